/** `accord usage` as a user runs it, against a running gateway's admin listener. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { freePort, occupyPort } from '../support/free-port.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliResult } from '../support/cli.js';

/** Runs `accord ...args` without blocking this process, whose event loop serves the gateway. */
async function runCli(args: string[], options: { env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const { child, lines, stderr } = startCli(args, { env: { NO_COLOR: '1', ...options.env } });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { status, stdout: lines.map((l) => `${l}\n`).join(''), stderr: stderr.join('') };
}
import { ORDERS_V1, SCRIPT, adminToken, ordersConfig, ordersUpstream, send, settled } from '../support/usage-scenario.js';
import type { UsageReport } from '../../src/usage/usage-record.js';

describe('accord usage', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let token: string;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(ordersUpstream);
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config: ordersConfig(issuer, upstream.url) });
    for (const call of SCRIPT) assert.equal((await send(gw.url, issuer, call)).status, call.status, call.name);
    await settled(gw);
    token = await adminToken(issuer);
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('prints the records as JSON, filtered', async () => {
    const result = await runCli(['usage', '--admin-url', gw.adminUrl!, '--operation', 'listOrders', '--consumer', 'acme', '--format', 'json'], { env: { ACCORD_TOKEN: token } });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as UsageReport;
    assert.deepEqual(report.records.map((r) => `${r.statusClass} ${r.calls}`), ['2xx 3', '4xx 1']);
    assert.deepEqual(report.fingerprints[0]!.locations.map((l) => `${l.in}:${l.name}=${l.count}`), ['header:x-tenant=1', 'query:limit=4']);
  });

  it('prints a block per operation as text', async () => {
    const result = await runCli(['usage', '--admin-url', gw.adminUrl!, '--api', 'orders'], { env: { ACCORD_TOKEN: token } });
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^usage from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(UTC days\)$/);
    assert.ok(lines.includes('orders listOrders'));
    assert.ok(lines.some((l) => /^ {2}acme +4 calls \(2xx 3, 4xx 1\) {2}versions 1\.0\.0 {2}last seen /.test(l)), result.stdout);
    assert.ok(lines.some((l) => /^ {2}acme +v1 sends: header x-tenant 1\/4, query limit 4\/4$/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /^ {2}globex +v1 sends: query filter 1\/1, query status 1\/1, query status = "open" 1\/1, undeclared query 1\/1$/.test(l)), result.stdout);
  });

  it('says so when nothing matches', async () => {
    const result = await runCli(['usage', '--admin-url', gw.adminUrl!, '--consumer', 'nobody'], { env: { ACCORD_TOKEN: token } });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\nno calls recorded\n$/);
  });

  const refusals: Array<{ name: string; args: () => Promise<string[]>; token?: () => Promise<string | undefined>; stderr: RegExp }> = [
    { name: 'no ACCORD_TOKEN', args: async () => ['usage', '--admin-url', gw.adminUrl!], token: async () => undefined, stderr: /^accord: ACCORD_TOKEN is not set/ },
    { name: 'a token without accord:admin', args: async () => ['usage', '--admin-url', gw.adminUrl!], token: () => adminToken(issuer, 'orders:read'), stderr: /^accord: the admin listener refused the request: 403 AUTH_SCOPE_INSUFFICIENT/ },
    { name: 'a since that is no date', args: async () => ['usage', '--admin-url', gw.adminUrl!, '--since', 'soon'], stderr: /^accord: the admin listener refused the request: 400 REQUEST_INVALID: .*\/query\/since/ },
    { name: 'no listener there', args: async () => ['usage', '--admin-url', `http://127.0.0.1:${await freePort()}`], stderr: /^accord: cannot reach the admin listener at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/ },
    { name: 'an unknown format', args: async () => ['usage', '--admin-url', gw.adminUrl!, '--format', 'sarif'], stderr: /^accord: --format must be text or json/ },
    { name: 'an admin URL that is no URL', args: async () => ['usage', '--admin-url', 'nowhere'], stderr: /^accord: --admin-url: "nowhere" is not a URL/ },
  ];
  for (const r of refusals) {
    it(`exits 2 on ${r.name}`, async () => {
      const env: Record<string, string | undefined> = { ACCORD_TOKEN: r.token ? await r.token() : token };
      const result = await runCli(await r.args(), { env });
      assert.equal(result.status, 2, result.stdout);
      assert.match(result.stderr, r.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }

  it('accord serve exits 2 naming ADMIN_PORT when the admin port is taken', async () => {
    const taken = await occupyPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'accord-usage-cli-'));
    try {
      const result = await runCli(['serve', '--config', join(import.meta.dirname, '..', '..', 'policies'), '--port', '0', '--data-dir', dataDir, '--no-watch'], { env: { ADMIN_PORT: String(taken.port) } });
      assert.equal(result.status, 2, result.stdout);
      assert.equal(result.stderr, `accord: ADMIN_PORT=${taken.port}: admin port ${taken.port} is in use (EADDRINUSE): another program (perhaps another \`accord serve\`) listens there; choose another port (ADMIN_PORT) or set admin.enabled: false\n`);
    } finally {
      await taken.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
