/** The README's example flow with the real `accord` binary, and `accord config validate`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { runCli, startCli, waitForLine } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('README example flow', () => {
  it('serves the example contracts with mock upstreams; a dev token gets 200; SIGTERM exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-e2e-'));
    const serve = startCli(['serve', '--config', 'policies', '--mock-upstreams', '--data-dir', dataDir, '--port', '0', '--no-watch'], { cwd: ROOT });
    try {
      const listening = JSON.parse(await waitForLine(serve.lines, /"gateway listening"/)) as { url: string };
      const token = runCli(['token', '--client', 'acme', '--scope', 'orders:read', '--data-dir', dataDir], { cwd: ROOT });
      assert.equal(token.status, 0, token.stderr);
      const jwt = token.stdout.trim();
      assert.match(jwt, /^[\w-]+\.[\w-]+\.[\w-]+$/);

      const ok = await rawRequest(listening.url, 'GET', '/orders/v1/orders?limit=2', { headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(ok.status, 200, ok.text);
      assert.ok(Array.isArray(ok.json?.items), 'the mock answered with the contract example');
      const v2 = await rawRequest(listening.url, 'GET', '/orders/v2/orders?limit=2', { headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(v2.status, 200, v2.text);

      const invalid = await rawRequest(listening.url, 'GET', '/orders/v1/orders?limit=0', { headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.json?.code, 'REQUEST_INVALID');
      const anonymous = await rawRequest(listening.url, 'GET', '/orders/v1/orders');
      assert.equal(anonymous.status, 401);

      serve.child.kill('SIGTERM');
      const [code] = (await once(serve.child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('accord --version', () => {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  for (const flag of ['--version', '-V']) {
    it(`${flag} prints the package version and exits 0`, () => {
      const result = runCli([flag], { cwd: ROOT });
      assert.deepEqual([result.status, result.stdout, result.stderr], [0, `${version}\n`, '']);
    });
  }
});

describe('accord config validate', () => {
  function dirWith(yaml: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'accord-cv-'));
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml.replace('CONTRACTS', join(ROOT, 'contracts')));
    return join(dir, 'policies');
  }
  const cases: Array<{ name: string; args: (dir: string) => string[]; yaml?: string; status: number; stdout?: RegExp; stderr?: RegExp }> = [
    { name: 'the example configuration is valid', args: () => ['config', 'validate', '--config', join(ROOT, 'policies')], status: 0, stdout: /valid \(2 API versions served\)/ },
    {
      name: 'an invalid configuration lists every problem with file, pointer and line',
      yaml: 'version: 1\ncontractsDir: CONTRACTS\nlisten:\n  port: high\napis:\n  - id: orders\n    basePath: /orders\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:1\n    colour: blue\n',
      args: (dir) => ['config', 'validate', '--config', dir],
      status: 1,
      stdout: /gateway\.yaml:4: \/listen\/port: must be integer\n.*gateway\.yaml:11: \/apis\/0\/colour: unknown property "colour"/,
    },
    {
      name: 'a contract the gateway cannot serve is invalid too',
      yaml: 'version: 1\ncontractsDir: CONTRACTS\napis:\n  - id: orders\n    basePath: /orders\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:1\n',
      args: (dir) => ['config', 'validate', '--config', dir],
      status: 1,
      stdout: /requires a token but API "orders" has no auth.providers configured/,
    },
    {
      name: 'an upstream URL the proxy cannot use is invalid, with file, line and pointer',
      yaml: 'version: 1\ncontractsDir: CONTRACTS\napis:\n  - id: orders\n    basePath: /orders\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:99999\n',
      args: (dir) => ['config', 'validate', '--config', dir],
      status: 1,
      stdout: /^.*gateway\.yaml:8: \/apis\/0\/versions\/0\/upstream: port 99999 is not a port number from 1 to 65535\n$/,
    },
    { name: 'a missing configuration is unusable input', args: () => ['config', 'validate', '--config', '/nonexistent/policies'], status: 2, stderr: /^accord: .*file not found\n$/ },
    { name: 'YAML that does not parse is unusable input, with its line', yaml: 'version: 1\napis:\n  - id: a\n    id: b\n', args: (dir) => ['config', 'validate', '--config', dir], status: 2, stderr: /gateway\.yaml:4: invalid YAML/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = c.yaml ? dirWith(c.yaml) : '';
      const result = runCli(c.args(dir), { cwd: ROOT });
      assert.equal(result.status, c.status, result.stdout + result.stderr);
      if (c.stdout) assert.match(result.stdout, c.stdout);
      if (c.stderr) assert.match(result.stderr, c.stderr);
    });
  }
});
