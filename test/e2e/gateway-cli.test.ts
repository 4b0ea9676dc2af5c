/** The README's example flow with the real `accord` binary, and `accord config validate`. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { runCli, startCli, waitForLine } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';
import { freePort, occupyPort } from '../support/free-port.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The bundled policies/gateway.yaml in a temporary folder, with its mock upstream ports replaced by
 * free ones, so that the suite runs while `npm start` (which holds the example's ports) runs too.
 */
async function examplePolicies(dir: string): Promise<{ policies: string; ports: number[] }> {
  const ports: number[] = [];
  let yaml = readFileSync(join(ROOT, 'policies', 'gateway.yaml'), 'utf8').replace(/^contractsDir: .*$/m, `contractsDir: ${join(ROOT, 'contracts')}`);
  const upstreams = [...yaml.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => m[1]!);
  assert.ok(upstreams.length >= 2, 'the example configuration has loopback upstreams');
  for (const original of new Set(upstreams)) {
    const port = await freePort();
    ports.push(port);
    yaml = yaml.replaceAll(`http://127.0.0.1:${original}`, `http://127.0.0.1:${port}`);
  }
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml);
  return { policies: join(dir, 'policies'), ports };
}

describe('README example flow', () => {
  it('serves the example contracts with mock upstreams; a dev token gets 200; stdout is JSON lines; SIGTERM exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-e2e-'));
    const { policies } = await examplePolicies(dataDir);
    const serve = startCli(['serve', '--config', policies, '--mock-upstreams', '--data-dir', dataDir, '--port', '0', '--no-watch'], { cwd: ROOT });
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

      // A token minted with the default data directory, not the one the gateway uses.
      const elsewhere = runCli(['token', '--client', 'acme', '--scope', 'orders:read', '--data-dir', join(dataDir, 'elsewhere')], { cwd: ROOT });
      const stranger = await rawRequest(listening.url, 'GET', '/orders/v1/orders', { headers: { authorization: `Bearer ${elsewhere.stdout.trim()}` } });
      assert.equal(stranger.status, 401);
      assert.equal(stranger.json?.detail, 'token signed by an unknown development key: was it minted with a different --data-dir / ACCORD_DATA_DIR than the gateway uses?');

      serve.child.kill('SIGTERM');
      const [code] = (await once(serve.child, 'exit')) as [number | null];
      assert.equal(code, 0);
      // Everything on stdout is one JSON object per line, the mocks' request lines included.
      const records = serve.lines.map((line) => {
        assert.doesNotThrow(() => JSON.parse(line), `not a JSON line: ${line}`);
        return JSON.parse(line) as Record<string, unknown>;
      });
      assert.ok(records.some((r) => r.component === 'mock' && /GET \/orders\?limit=2 200/.test(String(r.msg))), serve.lines.join('\n'));
      assert.equal(serve.stderr.join(''), '');
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('accord serve: a port that cannot be had names its setting', () => {
  const cases: Array<{ name: string; yaml: (busy: number, free: number) => string; args: (busy: number) => string[]; stderr: (busy: number) => RegExp }> = [
    {
      name: 'a mock upstream port in use names the upstream field, file and line',
      yaml: (busy) => `version: 1\ncontractsDir: CONTRACTS\ndevIssuer: {enabled: true}\napis:\n  - id: orders\n    basePath: /orders\n    auth: {providers: [dev]}\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:${busy}\n`,
      args: () => ['--mock-upstreams', '--port', '0'],
      stderr: (busy) => new RegExp(`^accord: \\S*gateway\\.yaml:10: /apis/0/versions/0/upstream: port ${busy} is in use \\(EADDRINUSE\\): .*\\n$`),
    },
    {
      name: 'a listen port in use names listen.port, file and line',
      yaml: (busy, free) => `version: 1\ncontractsDir: CONTRACTS\nlisten:\n  host: 127.0.0.1\n  port: ${busy}\ndevIssuer: {enabled: true}\napis:\n  - id: orders\n    basePath: /orders\n    auth: {providers: [dev]}\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:${free}\n`,
      args: () => [],
      stderr: (busy) => new RegExp(`^accord: \\S*gateway\\.yaml:5: /listen/port: port ${busy} is in use \\(EADDRINUSE\\): .*\\n$`),
    },
    {
      name: 'a --port in use names the flag',
      yaml: (_busy, free) => `version: 1\ncontractsDir: CONTRACTS\nlisten: {host: 127.0.0.1}\ndevIssuer: {enabled: true}\napis:\n  - id: orders\n    basePath: /orders\n    auth: {providers: [dev]}\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:${free}\n`,
      args: (busy) => ['--port', String(busy)],
      stderr: (busy) => new RegExp(`^accord: --port ${busy}: port ${busy} is in use \\(EADDRINUSE\\): .*\\n$`),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const busy = await occupyPort();
      const dir = mkdtempSync(join(tmpdir(), 'accord-busy-'));
      try {
        mkdirSync(join(dir, 'policies'));
        writeFileSync(join(dir, 'policies', 'gateway.yaml'), c.yaml(busy.port, await freePort()).replace('CONTRACTS', join(ROOT, 'contracts')));
        const result = runCli(['serve', '--config', join(dir, 'policies'), '--data-dir', join(dir, '.accord'), '--no-watch', ...c.args(busy.port)], { cwd: ROOT });
        assert.equal(result.status, 2, result.stdout + result.stderr);
        assert.match(result.stderr, c.stderr(busy.port));
      } finally {
        await busy.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
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
