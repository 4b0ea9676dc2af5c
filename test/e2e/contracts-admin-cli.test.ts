/**
 * `accord contracts ... --admin-url` against a real admin listener (file store) with the token in
 * ACCORD_TOKEN: the same outcomes and exit codes as `--local` (0 stored or identical, 1 rejected
 * with the findings printed, 2 refused or unusable), and ownership refusals as exit 2.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import { startAdminRegistry, type AdminRegistryFixture } from '../support/admin-registry.js';
import { runCliAsync } from '../support/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const V1 = readFileSync(join(ROOT, 'contracts', 'orders', '1.0.0.yaml'), 'utf8');
const V2_FILE = join(ROOT, 'contracts', 'orders', '2.0.0.yaml');
const withVersion = (text: string, version: string): string => text.replace(/^  version: \d+\.\d+\.\d+$/m, `  version: ${version}`);

describe('accord contracts --admin-url (a real admin listener)', () => {
  let dir: string;
  let fx: AdminRegistryFixture;
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    return file;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-contracts-admin-cli-'));
    fx = await startAdminRegistry(new FileRegistryStore(join(dir, 'registry')));
    write('orders/1.0.0.yaml', V1);
  });
  after(async () => {
    await fx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  type Who = 'admin' | 'owner' | 'otherOwner' | 'none';
  const cases: Array<{ name: string; who: Who; args: () => string[]; status: number; stdout?: RegExp; stderr?: RegExp }> = [
    { name: 'an owner registers its API', who: 'owner', args: () => ['contracts', 'register', join(dir, 'orders/1.0.0.yaml')], status: 0, stdout: /^stored orders 1\.0\.0 \(sha256:[0-9a-f]{64}\)/m },
    { name: 'the same content again is identical', who: 'owner', args: () => ['contracts', 'register', join(dir, 'orders/1.0.0.yaml')], status: 0, stdout: /orders 1\.0\.0 is already registered with this content: nothing to do/ },
    { name: 'other content for a published version is refused', who: 'owner', args: () => ['contracts', 'register', write('orders/edited/1.0.0.yaml', V1.replace('Order management', 'Order handling')), '--api', 'orders'], status: 2, stderr: /already registered with other content/ },
    { name: 'a breaking minor is rejected with its findings', who: 'owner', args: () => ['contracts', 'register', write('orders/1.1.0.yaml', withVersion(V1, '1.1.0').replace('  /catalogue-items:', '  /catalog-items:'))], status: 1, stdout: /api-path-removed-without-deprecation[\s\S]*rejected: orders/ },
    { name: 'an override is stored', who: 'owner', args: () => ['contracts', 'register', join(dir, 'orders/1.1.0.yaml'), '--override-reason', 'agreed with every partner (CHG-7)'], status: 0, stdout: /stored orders 1\.1\.0 .*over a governance rejection/ },
    { name: 'another team cannot register it', who: 'otherOwner', args: () => ['contracts', 'register', write('orders/1.2.0.yaml', withVersion(V1, '1.2.0'))], status: 2, stderr: /403 API_NOT_OWNED/ },
    { name: 'a document that is not OpenAPI', who: 'admin', args: () => ['contracts', 'register', write('orders/9.0.0.yaml', 'hello: world\n')], status: 2, stderr: /OpenAPI/ },
    { name: 'the admin registers the next major', who: 'admin', args: () => ['contracts', 'register', V2_FILE], status: 0, stdout: /^stored orders 2\.0\.0/m },
    { name: 'a breaking diff exits 1', who: 'otherOwner', args: () => ['contracts', 'diff', 'orders', '1.0.0', '2.0.0'], status: 1, stdout: /failed: \d+ at or above error/ },
    { name: 'a diff of an unknown version exits 2', who: 'owner', args: () => ['contracts', 'diff', 'orders', '1.0.0', '7.0.0'], status: 2, stderr: /7\.0\.0/ },
    { name: 'deprecate with sunset and successor', who: 'owner', args: () => ['contracts', 'deprecate', 'orders', '1.0.0', '--sunset', '2099-01-01T00:00:00Z', '--successor', '2.0.0'], status: 0, stdout: /deprecated orders 1\.0\.0, sunset 2099-01-01T00:00:00\.000Z, successor 2\.0\.0/ },
    { name: 'a sunset in the past is refused', who: 'owner', args: () => ['contracts', 'deprecate', 'orders', '1.1.0', '--sunset', '2001-01-01T00:00:00Z'], status: 2, stderr: /is not in the future/ },
    { name: 'retire --force without --reason is a usage error', who: 'owner', args: () => ['contracts', 'retire', 'orders', '1.1.0', '--force'], status: 2, stderr: /--force needs --reason/ },
    { name: 'retire --reason without --force is a usage error', who: 'owner', args: () => ['contracts', 'retire', 'orders', '1.1.0', '--reason', 'x'], status: 2, stderr: /--reason goes with --force/ },
    { name: 'retire', who: 'owner', args: () => ['contracts', 'retire', 'orders', '1.1.0'], status: 0, stdout: /retired orders 1\.1\.0/ },
    { name: 'retire again is refused', who: 'owner', args: () => ['contracts', 'retire', 'orders', '1.1.0'], status: 2, stderr: /orders 1\.1\.0 is retired/ },
    { name: 'list shows the lifecycle', who: 'otherOwner', args: () => ['contracts', 'list'], status: 0, stdout: /orders\n  1\.0\.0 +deprecated \(sunset 2099-01-01T00:00:00\.000Z, successor 2\.0\.0\)\n  1\.1\.0 +retired\n  2\.0\.0 +published\n/ },
    { name: 'show prints the document as registered', who: 'owner', args: () => ['contracts', 'show', 'orders', '1.0.0'], status: 0, stdout: new RegExp(`^${V1.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) },
    { name: 'audit pages with a cursor', who: 'admin', args: () => ['contracts', 'audit', '--limit', '2'], status: 0, stdout: /^ +1 .* register orders 1\.0\.0 .*\n +2 .* register orders 1\.1\.0 .*\nmore: --cursor 2\n$/ },
    { name: 'audit records the override reason', who: 'admin', args: () => ['contracts', 'audit', '--api', 'orders'], status: 0, stdout: /register orders 1\.1\.0 +\(override: agreed with every partner \(CHG-7\)/ },
    { name: 'no token is refused with a hint', who: 'none', args: () => ['contracts', 'list'], status: 2, stderr: /401 AUTH_TOKEN_MISSING.*set ACCORD_TOKEN/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const token = c.who === 'none' ? '' : fx.tokens[c.who];
      const r = await runCliAsync([...c.args(), '--admin-url', fx.admin.url], { env: { ACCORD_TOKEN: token, ACCORD_ADMIN_URL: undefined } });
      assert.equal(r.status, c.status, `${r.stdout}\n${r.stderr}`);
      if (c.stdout) assert.match(r.stdout, c.stdout);
      if (c.stderr) assert.match(r.stderr, c.stderr);
      if (c.status === 2) assert.equal(r.stderr.trim().split('\n').length, 1, 'one line on stderr');
    });
  }
});
