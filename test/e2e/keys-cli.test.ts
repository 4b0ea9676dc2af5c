/**
 * `accord keys create|list|revoke` as a user runs them: the key printed once, listings without
 * secrets, revocation, and exit 2 with a one-line reason for unusable input; on the file store
 * and, when PostgreSQL answers, on the PostgreSQL store.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { POSTGRES_URL, dropSchema, skipUnlessPostgres, uniqueSchema } from '../support/pg-test-schema.js';

const postgresSkip = await skipUnlessPostgres();
const FIXTURE = join(import.meta.dirname, '..', 'integration', 'fixtures', 'gateway', 'partner-keys-1.0.0.yaml');

/** Writes a configuration folder (policies/ beside contracts/partner/1.0.0.yaml) under `dir`. */
function writeConfig(dir: string, extra: string): string {
  mkdirSync(join(dir, 'contracts', 'partner'), { recursive: true });
  copyFileSync(FIXTURE, join(dir, 'contracts', 'partner', '1.0.0.yaml'));
  mkdirSync(join(dir, 'policies'), { recursive: true });
  writeFileSync(
    join(dir, 'policies', 'gateway.yaml'),
    `version: 1\nconsumers:\n  - id: acme\n${extra}apis:\n  - id: partner\n    basePath: /partner\n    versions: [{ version: 1.0.0 }]\n    upstream: { url: "http://127.0.0.1:1" }\n`,
  );
  return join(dir, 'policies');
}

describe('accord keys on the file store', () => {
  let dir: string;
  let dataDir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-keys-cli-'));
    dataDir = join(dir, 'data');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key, prints it once, lists it without its secret, and revokes it', () => {
    const created = runCli(['keys', 'create', '--consumer', 'acme', '--expires', '30d', '--data-dir', dataDir]);
    assert.equal(created.status, 0, created.stderr);
    const key = /^key: +(acc_[0-9a-f]{16}_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    const id = /^id: +([0-9a-f]{16})$/m.exec(created.stdout)?.[1];
    assert.ok(key && id, created.stdout);
    assert.equal(key.slice(4, 20), id);
    assert.match(created.stdout, /^consumer: acme$/m);
    assert.match(created.stderr, /not shown again/);
    assert.ok(!readFileSync(join(dataDir, 'api-keys.json'), 'utf8').includes(key), 'the key file holds no key');

    const listed = runCli(['keys', 'list', '--consumer', 'acme', '--format', 'json', '--data-dir', dataDir]);
    assert.equal(listed.status, 0, listed.stderr);
    const records = (JSON.parse(listed.stdout) as { keys: Array<Record<string, unknown>> }).keys;
    assert.deepEqual(records.map((r) => [r.id, r.consumer, r.revokedAt]), [[id, 'acme', null]]);
    assert.ok(!listed.stdout.includes(key.slice(21)));

    const text = runCli(['keys', 'list', '--data-dir', dataDir]);
    assert.match(text.stdout, /^ID +CONSUMER +CREATED +EXPIRES +REVOKED$/m);
    assert.match(text.stdout, new RegExp(`^${id}  acme  `, 'm'));

    const revoked = runCli(['keys', 'revoke', id, '--data-dir', dataDir]);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`^revoked ${id} \\(consumer acme\\) at \\d{4}-`));
    const after = JSON.parse(runCli(['keys', 'list', '--format', 'json', '--data-dir', dataDir]).stdout) as { keys: Array<{ revokedAt: string | null }> };
    assert.ok(after.keys[0]!.revokedAt);
  });

  it('prints the key as JSON with --format json', () => {
    const created = runCli(['keys', 'create', '--consumer', 'globex', '--format', 'json', '--data-dir', dataDir]);
    assert.equal(created.status, 0, created.stderr);
    const body = JSON.parse(created.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['consumer', 'createdAt', 'expiresAt', 'id', 'key', 'revokedAt']);
  });

  it('exits 2 naming file, pointer and line when the configuration given with --config is invalid', () => {
    const bad = mkdtempSync(join(tmpdir(), 'accord-keys-cli-bad-'));
    try {
      const config = writeConfig(bad, 'apiKeys:\n  store: redis\n');
      const res = runCli(['keys', 'list', '--config', config, '--data-dir', dataDir]);
      assert.equal(res.status, 2);
      assert.match(res.stderr, /gateway\.yaml:5: \/apiKeys\/store: must be one of "file", "postgres"/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('checks the consumer against the configuration given with --config', () => {
    const config = writeConfig(dir, '');
    const ok = runCli(['keys', 'create', '--consumer', 'acme', '--config', config, '--data-dir', dataDir]);
    assert.equal(ok.status, 0, ok.stderr);
    const unknown = runCli(['keys', 'create', '--consumer', 'ghost', '--config', config, '--data-dir', dataDir]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /consumer "ghost" is not declared in .*gateway\.yaml/);
  });

  const usage: Array<{ name: string; args: string[]; message: RegExp }> = [
    { name: 'a consumer id no consumer can have', args: ['keys', 'create', '--consumer', 'Not/Valid'], message: /"Not\/Valid" is not a consumer id/ },
    { name: 'an expiry that is no duration or date', args: ['keys', 'create', '--consumer', 'acme', '--expires', 'soon'], message: /--expires: "soon" is neither a duration/ },
    { name: 'an expiry in the past', args: ['keys', 'create', '--consumer', 'acme', '--expires', '2001-01-01'], message: /--expires: 2001-01-01 is not in the future/ },
    { name: 'an unknown store', args: ['keys', 'list', '--store', 'redis'], message: /--store must be file or postgres/ },
    { name: 'revoking an unknown key id', args: ['keys', 'revoke', '0123456789abcdef'], message: /no key has the id 0123456789abcdef/ },
    { name: 'revoking something that is not a key id', args: ['keys', 'revoke', 'acc_x'], message: /"acc_x" is not a key id/ },
    { name: 'postgres without its environment variable', args: ['keys', 'list', '--store', 'postgres'], message: /environment variable DATABASE_URL is not set/ },
  ];
  for (const u of usage) {
    it(`exits 2 with one line for ${u.name}`, () => {
      const res = runCli([...u.args, '--data-dir', dataDir], { env: { DATABASE_URL: undefined } });
      assert.equal(res.status, 2, res.stdout + res.stderr);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.match(res.stderr, u.message);
    });
  }
});

describe('accord keys on the PostgreSQL store', { skip: postgresSkip }, () => {
  const schema = uniqueSchema('accord_keys_cli_test');
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-keys-cli-pg-'));
    writeConfig(dir, `apiKeys:\n  store: postgres\n  postgres: { urlEnv: ACCORD_TEST_KEYS_URL, schema: ${schema} }\n`);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  it('creates, lists and revokes through the store the configuration selects', () => {
    const env = { ACCORD_TEST_KEYS_URL: POSTGRES_URL };
    const config = join(dir, 'policies');
    const created = runCli(['keys', 'create', '--consumer', 'acme', '--config', config, '--format', 'json'], { env });
    assert.equal(created.status, 0, created.stderr);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const listed = JSON.parse(runCli(['keys', 'list', '--config', config, '--format', 'json'], { env }).stdout) as { keys: Array<{ id: string }> };
    assert.deepEqual(listed.keys.map((k) => k.id), [id]);
    const revoked = runCli(['keys', 'revoke', id, '--config', config], { env });
    assert.equal(revoked.status, 0, revoked.stderr);
  });
});
