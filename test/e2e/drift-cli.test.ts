/** `accord drift` as a user runs it, against a real gateway whose upstream breaks its contract: the formats and the exit codes. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { startCli, type CliResult } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';
import type { DriftReport } from '../../src/observability/drift-recorder.js';

const SHOP_V1 = join(import.meta.dirname, '..', 'integration', 'fixtures', 'gateway', 'shop-1.0.0.yaml');

/** Runs `accord ...args` without blocking this process, whose event loop serves the gateway. */
async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const { child, lines, stderr } = startCli(args, { env: { NO_COLOR: '1', ...env } });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { status, stdout: lines.map((l) => `${l}\n`).join(''), stderr: stderr.join('') };
}

describe('accord drift', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let gw: TestGateway;
  let env: Record<string, string>;

  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { items: [{ id: 'a', name: 'A', price: 'free' }] }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        admin: { auth: { providers: ['test'] }, owners: [{ api: 'shop', provider: 'test', subjects: ['shop-team'] }] },
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: up.url }], auth: { providers: ['test'] }, responseValidation: 'enforce' }],
      },
    });
    for (let i = 0; i < 3; i++) {
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${await issuer.token()}` } });
      assert.equal(res.status, 502);
    }
    env = { ACCORD_TOKEN: await issuer.token({ client_id: 'ops', scope: 'accord:admin' }) };
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  it('json: the site, its count and example pointer; exit 1', async () => {
    const result = await runCli(['drift', '--admin-url', gw.adminUrl!, '--format', 'json'], env);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as DriftReport;
    assert.deepEqual(
      report.entries.map((e) => [e.api, e.version, e.operation, e.target, e.count, e.mode, e.examples.map((x) => x.pointer)]),
      [['shop', '1.0.0', 'listItems', up.url, 3, 'enforce', ['/body/items/0/price']]],
    );
  });

  it('text: one block per site; exit 1', async () => {
    const result = await runCli(['drift', '--admin-url', gw.adminUrl!, '--window', '1h'], env);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^contract drift from .+ \(counted by minute\): 3 responses broke the contract\n/);
    assert.match(result.stdout, new RegExp(`\\nshop 1\\.0\\.0 listItems  <-  ${up.url.replace(/[.]/g, '\\.')}\\n  3 in the window \\(3 in all, mode enforce\\), first seen \\S+, last seen \\S+\\n  /body/items/0/price  must be integer  \\(3×\\)\\n`));
  });

  it('markdown: a table row per site; exit 1', async () => {
    const result = await runCli(['drift', '--admin-url', gw.adminUrl!, '--format', 'markdown', '--api', 'shop'], env);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^## Contract drift\n/);
    assert.match(result.stdout, new RegExp(`\\| shop \\| 1\\.0\\.0 \\| \`listItems\` \\| \`${up.url.replace(/[.]/g, '\\.')}\` \\| 3 \\| 3 \\| `));
  });

  it('--api-version filters by version', async () => {
    const other = await runCli(['drift', '--admin-url', gw.adminUrl!, '--api', 'shop', '--api-version', '2.0.0', '--format', 'json'], env);
    assert.equal(other.status, 0, other.stderr);
    assert.deepEqual((JSON.parse(other.stdout) as DriftReport).entries, []);
    const same = await runCli(['drift', '--admin-url', gw.adminUrl!, '--api', 'shop', '--api-version', '1.0.0', '--format', 'json'], env);
    assert.equal(same.status, 1, same.stderr);
    assert.equal((JSON.parse(same.stdout) as DriftReport).violations, 3);
  });

  it('no drift for another API: exit 0', async () => {
    const result = await runCli(['drift', '--admin-url', gw.adminUrl!, '--api', 'orders'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /0 responses broke the contract\nno drift in the window\n$/);
  });

  it('an owner reads its own API with --api', async () => {
    const result = await runCli(['drift', '--admin-url', gw.adminUrl!, '--api', 'shop', '--format', 'json'], { ACCORD_TOKEN: await issuer.token({ client_id: 'shop-team', scope: 'items:read' }) });
    assert.equal(result.status, 1, result.stderr);
    assert.equal((JSON.parse(result.stdout) as DriftReport).violations, 3);
  });

  const unusable: Array<{ name: string; args: () => string[]; env?: Record<string, string | undefined>; stderr: RegExp }> = [
    { name: 'a bad window', args: () => ['drift', '--admin-url', gw.adminUrl!, '--window', '2w'], stderr: /--window must be <n>m \(up to 60m\), <n>h or <n>d, at most 168h \(got "2w"\)/ },
    { name: 'a bad format', args: () => ['drift', '--admin-url', gw.adminUrl!, '--format', 'sarif'], stderr: /--format must be one of text, json, markdown/ },
    { name: 'a bad API id', args: () => ['drift', '--admin-url', gw.adminUrl!, '--api', 'Shop!'], stderr: /--api must be an API id/ },
    { name: 'no token', args: () => ['drift', '--admin-url', gw.adminUrl!], env: { ACCORD_TOKEN: undefined }, stderr: /ACCORD_TOKEN is not set/ },
    { name: 'an owner without --api', args: () => ['drift', '--admin-url', gw.adminUrl!], env: { ACCORD_TOKEN: 'owner' }, stderr: /refused the request: 403 API_NOT_OWNED/ },
    { name: 'an unreachable listener', args: () => ['drift', '--admin-url', 'http://127.0.0.1:1'], stderr: /cannot reach the admin listener/ },
  ];
  for (const row of unusable) {
    it(`${row.name}: exit 2 with one line`, async () => {
      const rowEnv = row.env?.ACCORD_TOKEN === 'owner' ? { ACCORD_TOKEN: await issuer.token({ client_id: 'shop-team', scope: 'items:read' }) } : row.env;
      const result = await runCli(row.args(), { ...env, ...rowEnv });
      assert.equal(result.status, 2, result.stdout);
      assert.match(result.stderr, row.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }
});
