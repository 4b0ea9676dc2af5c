/**
 * Contract drift through a real gateway: upstream responses that break the contract are counted
 * per API, version, operation and target with example pointers, over a window read on an injected
 * clock; counts survive a reload; `GET /admin/drift` access rules and input errors.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import type { DriftReport } from '../../src/observability/drift-recorder.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const T0 = Date.UTC(2026, 11, 3, 8, 0, 10);
const HOUR = 3_600_000;

describe('contract drift', () => {
  let issuer: TestIssuer;
  let good: TestUpstream;
  let bad: TestUpstream;
  let gw: TestGateway;
  let now = T0;
  let admin: string;
  let owner: string;
  let stranger: string;

  const drift = async (query: string, token = admin): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${gw.adminUrl}/admin/drift${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const call = async (path: string): Promise<number> => (await rawRequest(gw.url, 'GET', path, { headers: { authorization: `Bearer ${await issuer.token()}` } })).status;

  before(async () => {
    issuer = await createTestIssuer();
    // listItems: `price` must be an integer, `name` is required.
    bad = await startUpstream(json(200, { items: [{ id: 'a', name: 'A', price: 'free' }, { id: 'b', price: 3 }] }));
    good = await startUpstream(json(200, { items: [{ id: 'a', name: 'A', price: 1 }] }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        admin: { auth: { providers: ['test'] }, owners: [{ api: 'shop', provider: 'test', subjects: ['shop-team'] }] },
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: bad.url }], auth: { providers: ['test'] }, responseValidation: 'report' }],
      },
      start: { now: () => now },
    });
    admin = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
    owner = await issuer.token({ client_id: 'shop-team', scope: 'items:read' });
    stranger = await issuer.token({ client_id: 'nobody-owns', scope: 'items:read' });
  });
  after(async () => {
    await gw.stop();
    await good.close();
    await bad.close();
  });

  it('counts broken responses per site with example pointers, first and last seen', async () => {
    assert.equal(await call('/shop/v1/items'), 200);
    now = T0 + 5 * 60_000;
    assert.equal(await call('/shop/v1/items'), 200);
    const { status, body } = await drift('?window=1h');
    assert.equal(status, 200);
    const report = body as unknown as DriftReport;
    assert.equal(report.violations, 2);
    assert.deepEqual(report.window, { since: new Date(T0 + 5 * 60_000 - HOUR).toISOString().replace(/:10\.000Z$/, ':00.000Z'), until: new Date(T0 + 5 * 60_000).toISOString(), granularity: 'minute' });
    assert.deepEqual(report.entries, [
      {
        api: 'shop',
        version: '1.0.0',
        operation: 'listItems',
        target: bad.url,
        count: 2,
        total: 2,
        firstSeen: new Date(T0).toISOString(),
        lastSeen: new Date(T0 + 5 * 60_000).toISOString(),
        mode: 'report',
        examples: report.entries[0]!.examples,
        otherViolations: 0,
      },
    ]);
    assert.deepEqual(
      report.entries[0]!.examples.map((e) => [e.pointer, e.count]),
      [['/body/items/0/price', 2], ['/body/items/1/name', 2]],
    );
    assert.match(report.entries[0]!.examples[0]!.message, /integer/);
    assert.match(report.entries[0]!.examples[1]!.message, /name/);
  });

  it('a window that ends before the violations shows none; a longer one shows them', async () => {
    now = T0 + 3 * HOUR;
    const short = (await drift('?window=30m')).body as unknown as DriftReport;
    assert.deepEqual([short.violations, short.entries.length, short.window.granularity], [0, 0, 'minute']);
    const day = (await drift('?window=24h&api=shop&version=1.0.0')).body as unknown as DriftReport;
    assert.deepEqual([day.violations, day.entries.map((e) => e.count), day.window.granularity], [2, [2], 'hour']);
    const other = (await drift('?window=24h&api=orders')).body as unknown as DriftReport;
    assert.deepEqual(other.entries, []);
  });

  it('counts survive a reload that moves the version to another target, which gets its own site', async () => {
    const file = join(gw.dir, 'policies', 'gateway.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { apis: Array<{ versions: Array<{ upstream: string }> }> };
    config.apis[0]!.versions[0]!.upstream = good.url;
    writeFileSync(file, stringify(config));
    assert.equal(await gw.running.reload(), true);
    assert.equal(await call('/shop/v1/items'), 200);
    let report = (await drift('?window=24h')).body as unknown as DriftReport;
    assert.deepEqual(report.entries.map((e) => [e.target, e.count, e.total]), [[bad.url, 2, 2]]);
    // The good upstream breaks the contract too now: a second site, the first one's counts intact.
    good.respond(json(200, { items: [{ id: 'z', name: 'Z', price: -1 }] }));
    assert.equal(await call('/shop/v1/items'), 200);
    report = (await drift('?window=24h')).body as unknown as DriftReport;
    assert.deepEqual(report.entries.map((e) => [e.target, e.count, e.total, e.examples.map((x) => x.pointer)]), [
      [bad.url, 2, 2, ['/body/items/0/price', '/body/items/1/name']],
      [good.url, 1, 1, ['/body/items/0/price']],
    ]);
    assert.match(await scrapeMetrics(gw, issuer), /accord_response_contract_violations_total\{api="shop",version="1.0.0",operation="listItems",mode="report",kind="body-schema"\} 3/);
  });

  const access: Array<{ name: string; query: string; token: () => string; status: number; code?: string; pointer?: string }> = [
    { name: 'an owner reads the drift of its API', query: '?api=shop', token: () => owner, status: 200 },
    { name: 'an owner must name its API', query: '', token: () => owner, status: 403, code: 'API_NOT_OWNED' },
    { name: 'an owner cannot read another API', query: '?api=orders', token: () => owner, status: 403, code: 'API_NOT_OWNED' },
    { name: 'a token without the admin scope that owns nothing', query: '?api=shop', token: () => stranger, status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'no token', query: '', token: () => '', status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'a malformed window', query: '?window=2w', token: () => admin, status: 400, code: 'REQUEST_INVALID', pointer: '/query/window' },
    { name: 'a window of minutes beyond an hour', query: '?window=90m', token: () => admin, status: 400, code: 'REQUEST_INVALID', pointer: '/query/window' },
    { name: 'a window beyond the retention', query: '?window=8d', token: () => admin, status: 400, code: 'REQUEST_INVALID', pointer: '/query/window' },
    { name: 'an unknown parameter', query: '?apii=shop', token: () => admin, status: 400, code: 'REQUEST_INVALID', pointer: '/query/apii' },
  ];
  for (const row of access) {
    it(`GET /admin/drift: ${row.name} -> ${row.status}`, async () => {
      const res = await fetch(`${gw.adminUrl}/admin/drift${row.query}`, { headers: row.token() ? { authorization: `Bearer ${row.token()}` } : {} });
      const body = (await res.json()) as { code?: string; errors?: Array<{ pointer: string }> };
      assert.equal(res.status, row.status, JSON.stringify(body));
      if (row.code) assert.equal(body.code, row.code);
      if (row.pointer) assert.deepEqual(body.errors?.map((e) => e.pointer), [row.pointer]);
    });
  }
});
