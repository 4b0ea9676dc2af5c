/**
 * `accord contracts` on the local file store, as an owner runs it: register (stored, identical,
 * rejected, overridden, conflicting, unusable), import, list, show, diff, deprecate, retire and
 * audit, with the exit codes of the command-line contract.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';

const ROOT = join(import.meta.dirname, '..', '..');
const V1 = readFileSync(join(ROOT, 'contracts', 'orders', '1.0.0.yaml'), 'utf8');
const withVersion = (text: string, version: string): string => text.replace(/^  version: \d+\.\d+\.\d+$/m, `  version: ${version}`);

describe('accord contracts --local', () => {
  let dir: string;
  const local = (): string[] => ['--local', '--data-dir', join(dir, '.accord')];
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    return file;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-contracts-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a contracts folder oldest version first', () => {
    const r = runCli(['contracts', 'import', join(ROOT, 'contracts'), ...local()]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^stored orders 1\.0\.0 \(sha256:[0-9a-f]{64}\)$/m);
    assert.match(r.stdout, /^stored orders 2\.0\.0 \(sha256:[0-9a-f]{64}\)$/m);
    assert.ok(r.stdout.indexOf('orders 1.0.0') < r.stdout.indexOf('orders 2.0.0'));
  });

  const cases: Array<{ name: string; args: () => string[]; status: number; stdout?: RegExp; stderr?: RegExp }> = [
    { name: 'the same content again is identical', args: () => ['contracts', 'register', join(ROOT, 'contracts', 'orders', '1.0.0.yaml')], status: 0, stdout: /orders 1\.0\.0 is already registered with this content: nothing to do/ },
    { name: 'other content for a published version is refused', args: () => ['contracts', 'register', write('orders/1.0.0.yaml', V1.replace('Order management', 'Order handling'))], status: 2, stderr: /1\.0\.0 is already registered with other content/ },
    { name: 'a breaking minor is rejected with its findings', args: () => ['contracts', 'register', write('orders/1.1.0.yaml', withVersion(V1, '1.1.0').replace('  /catalogue-items:', '  /catalog-items:'))], status: 1, stdout: /api-path-removed-without-deprecation[\s\S]*rejected: orders/ },
    { name: 'an override needs a reason and is then stored', args: () => ['contracts', 'register', join(dir, 'orders/1.1.0.yaml'), '--override-reason', 'agreed with every partner (CHG-7)'], status: 0, stdout: /stored orders 1\.1\.0 .*over a governance rejection/ },
    { name: 'a document that is not OpenAPI', args: () => ['contracts', 'register', write('orders/9.0.0.yaml', 'hello: world\n')], status: 2, stderr: /OpenAPI/ },
    { name: 'a missing file', args: () => ['contracts', 'register', join(dir, 'nope.yaml'), '--api', 'orders'], status: 2, stderr: /nope\.yaml: file not found/ },
    { name: 'an API id from a folder name that is not one', args: () => ['contracts', 'register', write('Bad_Folder/1.0.0.yaml', V1)], status: 2, stderr: /API id "Bad_Folder" must match/ },
    { name: 'a breaking diff exits 1', args: () => ['contracts', 'diff', 'orders', '1.0.0', '2.0.0'], status: 1, stdout: /failed: \d+ at or above error/ },
    { name: 'a diff of an unknown version exits 2', args: () => ['contracts', 'diff', 'orders', '1.0.0', '7.0.0'], status: 2, stderr: /orders 7\.0\.0 is not registered/ },
    { name: 'deprecate with sunset and successor', args: () => ['contracts', 'deprecate', 'orders', '1.0.0', '--sunset', '2099-01-01T00:00:00Z', '--successor', '2.0.0'], status: 0, stdout: /deprecated orders 1\.0\.0, sunset 2099-01-01T00:00:00\.000Z, successor 2\.0\.0/ },
    { name: 'a sunset in the past is refused', args: () => ['contracts', 'deprecate', 'orders', '1.1.0', '--sunset', '2001-01-01T00:00:00Z'], status: 2, stderr: /is not in the future/ },
    { name: 'retire', args: () => ['contracts', 'retire', 'orders', '1.1.0'], status: 0, stdout: /retired orders 1\.1\.0/ },
    { name: 'retire again is refused', args: () => ['contracts', 'retire', 'orders', '1.1.0'], status: 2, stderr: /orders 1\.1\.0 is retired/ },
    { name: 'list shows the lifecycle', args: () => ['contracts', 'list'], status: 0, stdout: /orders\n  1\.0\.0 +deprecated \(sunset 2099-01-01T00:00:00\.000Z, successor 2\.0\.0\)\n  1\.1\.0 +retired\n  2\.0\.0 +published\n/ },
    { name: 'show prints the document as registered', args: () => ['contracts', 'show', 'orders', '1.0.0'], status: 0, stdout: new RegExp(`^${V1.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) },
    { name: 'audit pages with a cursor', args: () => ['contracts', 'audit', '--limit', '2'], status: 0, stdout: /^ +1 .* register orders 1\.0\.0 .*\n +2 .* register orders 2\.0\.0 .*\nmore: --cursor 2\n$/ },
    { name: 'audit records the override reason', args: () => ['contracts', 'audit', '--cursor', '2', '--api', 'orders'], status: 0, stdout: /register orders 1\.1\.0 +\(override: agreed with every partner \(CHG-7\); 2 error\(s\)/ },
    { name: 'a bad --limit', args: () => ['contracts', 'audit', '--limit', '0'], status: 2, stderr: /--limit must be a whole number from 1 to 500/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = runCli([...c.args(), ...local()]);
      assert.equal(r.status, c.status, `${r.stdout}\n${r.stderr}`);
      if (c.stdout) assert.match(r.stdout, c.stdout);
      if (c.stderr) assert.match(r.stderr, c.stderr);
      if (c.status === 2) assert.equal(r.stderr.trim().split('\n').length, 1, 'one line on stderr');
    });
  }

  it('without --local, names the admin API it could not reach', async () => {
    const port = await freePort();
    const r = runCli(['contracts', 'list', '--admin-url', `http://127.0.0.1:${port}`]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `accord: cannot reach the admin API at http://127.0.0.1:${port} (ECONNREFUSED); is \`accord serve\` running, or use --local\n`);
  });
});
