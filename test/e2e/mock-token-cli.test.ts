/** `accord token` and `accord mock` as a user runs them: output, exit codes, key files, a running mock. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ensureDevKeys } from '../../src/dev/dev-issuer.js';
import { runCli, startCli } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KEY_FILE = join('dev-issuer', 'signing-key.private.jwk.json');
/** The parent's NODE_ENV and ACCORD_DATA_DIR must not leak into the runs. */
const CLEAN_ENV = { NODE_ENV: undefined, ACCORD_DATA_DIR: undefined };

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-e2e-token-'));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function verify(token: string, dataDir: string, audience: string): Promise<{ payload: Record<string, unknown>; kid: string | undefined }> {
  // The JWKS the gateway trusts is the one ensureDevKeys publishes from the same data directory.
  const { publicJwks } = await ensureDevKeys(dataDir);
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(publicJwks), { issuer: 'urn:accord:dev', audience, typ: 'at+jwt', algorithms: ['ES256'] });
  return { payload, kid: protectedHeader.kid };
}

describe('accord token', () => {
  it('prints only a JWT whose signature and claims match the flags; a second run reuses the key', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = runCli(['token', '--client', 'partner-a', '--scope', 'orders:read orders:write', '--audience', 'orders-api', '--ttl', '600', '--data-dir', dataDir], { cwd: ROOT, env: CLEAN_ENV });
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stderr, '');
    assert.match(first.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = first.stdout.trim();
    const { payload, kid } = await verify(token, dataDir, 'orders-api');
    assert.equal(payload.sub, 'partner-a');
    assert.equal(payload.client_id, 'partner-a');
    assert.equal(payload.scope, 'orders:read orders:write');
    assert.equal(payload.aud, 'orders-api');
    assert.equal(payload.iss, 'urn:accord:dev');
    assert.equal(Number(payload.exp) - Number(payload.iat), 600);

    const keyFile = join(dataDir, KEY_FILE);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const keyText = readFileSync(keyFile, 'utf8');
    const second = runCli(['token', '--client', 'partner-b', '--scope', 'orders:read', '--data-dir', dataDir], { cwd: ROOT, env: CLEAN_ENV });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(decodeProtectedHeader(second.stdout.trim()).kid, kid);
    assert.equal(readFileSync(keyFile, 'utf8'), keyText);
    const again = await verify(second.stdout.trim(), dataDir, 'accord');
    assert.equal(again.payload.scope, 'orders:read');
    assert.equal(Number(again.payload.exp) - Number(again.payload.iat), 3600);
  });

  const locations: Array<{ name: string; args: string[]; env: Record<string, string | undefined>; expected: (cwd: string) => string }> = [
    { name: 'ACCORD_DATA_DIR when there is no flag', args: [], env: { ACCORD_DATA_DIR: 'state' }, expected: (cwd) => join(cwd, 'state') },
    { name: '.accord under the working directory by default', args: [], env: {}, expected: (cwd) => join(cwd, '.accord') },
    { name: '--data-dir over ACCORD_DATA_DIR', args: ['--data-dir', 'flagged'], env: { ACCORD_DATA_DIR: 'state' }, expected: (cwd) => join(cwd, 'flagged') },
  ];
  for (const l of locations) {
    it(`keeps the key in ${l.name}`, () => {
      const cwd = tempDir();
      const result = runCli(['token', '--client', 'c1', '--scope', 'orders:read', ...l.args], { cwd, env: { ...CLEAN_ENV, ...l.env } });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(existsSync(join(l.expected(cwd), KEY_FILE)), true);
    });
  }

  const refusals: Array<{ name: string; args: string[]; env?: Record<string, string>; stderr: string }> = [
    { name: 'NODE_ENV=production', args: ['--client', 'c1', '--scope', 'orders:read'], env: { NODE_ENV: 'production' }, stderr: 'accord: the development issuer is refused when NODE_ENV=production\n' },
    { name: 'a missing --client', args: ['--scope', 'orders:read'], stderr: "error: required option '--client <id>' not specified\n" },
    { name: 'a missing --scope', args: ['--client', 'c1'], stderr: "error: required option '--scope <scopes>' not specified\n" },
    { name: 'a lifetime that is not a number', args: ['--client', 'c1', '--scope', 'a', '--ttl', '1h'], stderr: 'accord: --ttl must be a whole number of seconds from 1 to 86400 (got "1h")\n' },
    { name: 'a lifetime over a day', args: ['--client', 'c1', '--scope', 'a', '--ttl', '86401'], stderr: 'accord: --ttl must be a whole number of seconds from 1 to 86400 (got "86401")\n' },
    { name: 'a scope with a quote', args: ['--client', 'c1', '--scope', 'orders:read a"b'], stderr: 'accord: --scope: "a"b" is not a valid OAuth2 scope\n' },
    { name: 'a client id with a space', args: ['--client', 'c 1', '--scope', 'a'], stderr: 'accord: --client must be 1-128 letters, digits or ._:@- (got "c 1")\n' },
  ];
  for (const r of refusals) {
    it(`exits 2 with one line for ${r.name}, printing no token and writing no key`, () => {
      const cwd = tempDir();
      const result = runCli(['token', ...r.args], { cwd, env: { ...CLEAN_ENV, ...r.env } });
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, r.stderr);
      assert.equal(existsSync(join(cwd, '.accord')), false);
    });
  }
});

describe('accord mock', () => {
  it('serves a contract until SIGTERM, logging each request to stderr', async () => {
    const mock = startCli(['mock', join('contracts', 'orders', '2.0.0.yaml'), '--port', '0'], { cwd: ROOT, env: CLEAN_ENV });
    try {
      const stderrText = (): string => mock.stderr.join('');
      while (!/on http:\/\/127\.0\.0\.1:\d+\n/.test(stderrText())) {
        if (mock.child.exitCode !== null) assert.fail(`accord mock exited early: ${stderrText()}`);
        await once(mock.child.stderr!, 'data');
      }
      assert.match(stderrText(), /^accord mock: contracts\/orders\/2\.0\.0\.yaml \(6 operations\) on http:\/\/127\.0\.0\.1:\d+\n$/);
      const url = /on (http:\/\/\S+)\n/.exec(stderrText())![1];
      const response = await fetch(`${url}/orders/ord_8f3k2m9x1q7w4z6p/events`, { headers: { 'x-request-id': 'e2e-1' } });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as { items: unknown[] }).items.length, 2);
      // Wait for the whole line: a pipe may deliver it in pieces.
      while (!/listOrderEvents .*ms\n/.test(stderrText())) await once(mock.child.stderr!, 'data');
      assert.match(stderrText().split('\n')[1], /^\S+Z GET \/orders\/ord_8f3k2m9x1q7w4z6p\/events 200 listOrderEvents example=placedThenCancelled \d+\.\dms$/);
      assert.deepEqual(mock.lines, []);
      mock.child.kill('SIGTERM');
      const [code] = (await once(mock.child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (mock.child.exitCode === null) mock.child.kill('SIGKILL');
    }
  });

  it('exits 2 with one line when the port is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const result = runCli(['mock', join(ROOT, 'contracts', 'orders', '1.0.0.yaml'), '--port', String(port)], { cwd: ROOT, env: CLEAN_ENV });
      assert.equal(result.status, 2);
      assert.equal(result.stderr, `accord: 127.0.0.1:${port} is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  const unusable: Array<{ name: string; file: (dir: string) => string; args?: string[]; stderr: (dir: string) => string }> = [
    { name: 'a missing file', file: (dir) => join(dir, 'absent.yaml'), stderr: (dir) => `accord: ${join(dir, 'absent.yaml')}: file not found\n` },
    {
      name: 'a Swagger 2.0 document',
      file: () => join(ROOT, 'test', 'integration', 'fixtures', 'mock', 'not-openapi.yaml'),
      stderr: () => `accord: ${join(ROOT, 'test', 'integration', 'fixtures', 'mock', 'not-openapi.yaml')}:1 (#/openapi): not an OpenAPI document: no "openapi" version field (Swagger 2.0 is not supported; convert it to OpenAPI 3)\n`,
    },
    {
      name: 'a document the validator rejects',
      file: () => join(ROOT, 'test', 'integration', 'fixtures', 'mock', 'rejected-by-validator.yaml'),
      stderr: () => `accord: ${join(ROOT, 'test', 'integration', 'fixtures', 'mock', 'rejected-by-validator.yaml')}:10 (#/paths/~1things/get/responses/200): not a valid OpenAPI 3.0 document: must have required property 'description' (2 more)\n`,
    },
    { name: 'a directory', file: (dir) => dir, stderr: (dir) => `accord: ${dir}: is a directory, not a file\n` },
    { name: 'a bad port', file: () => join(ROOT, 'contracts', 'orders', '1.0.0.yaml'), args: ['--port', 'http'], stderr: () => 'accord: --port must be a port number, got "http"\n' },
  ];
  for (const u of unusable) {
    it(`exits 2 with one line for ${u.name}`, () => {
      const dir = tempDir();
      mkdirSync(join(dir, 'sub'));
      const result = runCli(['mock', u.file(dir), ...(u.args ?? [])], { cwd: ROOT, env: CLEAN_ENV });
      assert.equal(result.status, 2);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, u.stderr(dir));
    });
  }
});
