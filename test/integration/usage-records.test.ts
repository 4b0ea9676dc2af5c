/**
 * Usage records end to end: a scripted sequence of calls through a real gateway (two consumers,
 * three operations, refusals, an upstream 5xx, an anonymous caller), read back from the admin
 * listener's `GET /usage`; and the admin listener's authentication.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { ORDERS_V1, SCRIPT, adminToken, ordersConfig, ordersUpstream, send, settled } from '../support/usage-scenario.js';
import type { UsageReport } from '../../src/usage/usage-record.js';

describe('usage records after a scripted sequence of calls', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let report: UsageReport;

  const usage = async (query = ''): Promise<UsageReport> => {
    const res = await rawRequest(gw.adminUrl!, 'GET', `/usage${query}`, { headers: { authorization: `Bearer ${await adminToken(issuer)}` } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/json');
    return JSON.parse(res.text) as UsageReport;
  };

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(ordersUpstream);
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config: ordersConfig(issuer, upstream.url) });
    for (const call of SCRIPT) {
      const res = await send(gw.url, issuer, call);
      assert.equal(res.status, call.status, `${call.name}: ${res.text}`);
    }
    await settled(gw);
    report = await usage();
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('counts each (consumer, version, operation, status class)', () => {
    const rows = report.records.map((r) => `${r.consumer} ${r.operation} ${r.version} ${r.statusClass} ${r.calls}`);
    assert.deepEqual(rows, [
      '(anonymous) listOrders 1.0.0 4xx 1',
      'acme createOrder 1.0.0 2xx 1',
      'globex createOrder 1.0.0 4xx 1',
      'acme getOrder 1.0.0 2xx 1',
      'globex getOrder 1.0.0 5xx 1',
      'acme listOrders 1.0.0 2xx 3',
      'acme listOrders 1.0.0 4xx 1',
      'globex listOrders 1.0.0 2xx 1',
    ].sort((a, b) => {
      const [ca, oa] = a.split(' ');
      const [cb, ob] = b.split(' ');
      return oa! < ob! ? -1 : oa! > ob! ? 1 : ca! < cb! ? -1 : ca! > cb! ? 1 : a < b ? -1 : 1;
    }));
  });

  it('keeps first and last seen and one daily bucket for today', () => {
    const today = new Date().toISOString().slice(0, 10);
    const acme = report.records.find((r) => r.consumer === 'acme' && r.operation === 'listOrders' && r.statusClass === '2xx')!;
    assert.deepEqual(acme.daily, [{ day: today, count: 3 }]);
    assert.ok(acme.firstSeen <= acme.lastSeen);
    assert.equal(acme.major, 1);
    assert.equal(acme.api, 'orders');
    assert.deepEqual(report.window.until, today);
  });

  const locationsOf = (consumer: string, operation: string): string[] => {
    const fp = report.fingerprints.find((f) => f.consumer === consumer && f.operation === operation);
    assert.ok(fp, `fingerprint of ${consumer} ${operation}`);
    return fp.locations.map((l) => `${l.in}:${l.name}=${l.count}`);
  };

  const fingerprints: Array<{ name: string; consumer: string; operation: string; locations: string[]; requests: number; undeclaredQuery: number }> = [
    { name: 'declared query and header parameters, counted per request', consumer: 'acme', operation: 'listOrders', locations: ['header:x-tenant=1', 'query:limit=4'], requests: 4, undeclaredQuery: 0 },
    {
      name: 'body pointers with array indices as *',
      consumer: 'acme',
      operation: 'createOrder',
      locations: ['body:=1', 'body:/customer=1', 'body:/customer/id=1', 'body:/items=1', 'body:/items/*/options=1', 'body:/items/*/options/colour=1', 'body:/items/*/qty=1', 'body:/items/*/sku=1'],
      requests: 1,
      undeclaredQuery: 0,
    },
    { name: 'a deepObject parameter by its name; an undeclared key only counted', consumer: 'globex', operation: 'listOrders', locations: ['query:filter=1', 'query:status=1'], requests: 1, undeclaredQuery: 1 },
    { name: 'path parameters are implied by the operation', consumer: 'globex', operation: 'getOrder', locations: [], requests: 1, undeclaredQuery: 0 },
    { name: 'a body refused before it was read adds no pointer', consumer: 'globex', operation: 'createOrder', locations: [], requests: 1, undeclaredQuery: 0 },
    { name: 'an anonymous caller is fingerprinted too', consumer: '(anonymous)', operation: 'listOrders', locations: [], requests: 1, undeclaredQuery: 0 },
  ];
  for (const f of fingerprints) {
    it(`fingerprint: ${f.name}`, () => {
      assert.deepEqual(locationsOf(f.consumer, f.operation), f.locations);
      const fp = report.fingerprints.find((x) => x.consumer === f.consumer && x.operation === f.operation)!;
      assert.equal(fp.requests, f.requests);
      assert.equal(fp.examined, f.requests);
      assert.equal(fp.undeclaredQuery, f.undeclaredQuery);
      assert.equal(fp.overflow, 0);
      assert.equal(fp.major, 1);
    });
  }

  it('fingerprint: the enum value sent at an enum-restricted parameter, and no value anywhere else', () => {
    const values = (consumer: string, operation: string): string[] => report.fingerprints.find((f) => f.consumer === consumer && f.operation === operation)!.enumValues.map((v) => `${v.location}=${JSON.stringify(v.value)} x${v.count}`);
    assert.deepEqual(values('globex', 'listOrders'), ['query:status="open" x1']);
    assert.deepEqual(values('acme', 'listOrders'), []);
    assert.deepEqual(values('acme', 'createOrder'), []);
  });

  const filters: Array<{ name: string; query: string; records: number; fingerprints: number }> = [
    { name: 'by consumer', query: '?consumer=acme', records: 4, fingerprints: 3 },
    { name: 'by operation', query: '?operation=createOrder', records: 2, fingerprints: 2 },
    { name: 'by API, operation and consumer', query: '?api=orders&operation=listOrders&consumer=globex', records: 1, fingerprints: 1 },
    { name: 'by an unknown API', query: '?api=billing', records: 0, fingerprints: 0 },
    { name: 'since tomorrow', query: `?since=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`, records: 0, fingerprints: 0 },
    { name: 'since a date-time today', query: `?since=${encodeURIComponent(new Date().toISOString())}`, records: 8, fingerprints: 7 },
  ];
  for (const f of filters) {
    it(`filters ${f.name}`, async () => {
      const filtered = await usage(f.query);
      assert.equal(filtered.records.length, f.records);
      assert.equal(filtered.fingerprints.length, f.fingerprints);
    });
  }

  it('adds up across flushes', async () => {
    await send(gw.url, issuer, SCRIPT[0]!);
    await settled(gw);
    const again = await usage('?consumer=acme&operation=listOrders');
    assert.equal(again.records.find((r) => r.statusClass === '2xx')!.calls, 4);
    assert.equal(again.fingerprints[0]!.requests, 5);
    assert.equal(again.fingerprints[0]!.locations.find((l) => l.name === 'limit')!.count, 5);
  });

  it('is not served on the data-plane port', async () => {
    const res = await rawRequest(gw.url, 'GET', '/usage', { headers: { authorization: `Bearer ${await adminToken(issuer)}` } });
    assert.equal(res.status, 404);
    assert.equal(res.json?.code, 'ROUTE_NOT_FOUND');
  });

  it('exposes the usage metrics at zero', async () => {
    const text = await scrapeMetrics(gw, issuer);
    assert.match(text, /accord_usage_dropped_records_total\{reason="capacity"\} 0/);
    assert.match(text, /# TYPE accord_usage_flush_failures_total counter/);
  });

  const auth: Array<{ name: string; path: string; token?: () => Promise<string>; status: number; code?: string; challenge?: RegExp }> = [
    { name: 'no token', path: '/usage', status: 401, code: 'AUTH_TOKEN_MISSING', challenge: /^Bearer realm="accord"$/ },
    { name: 'a token from nobody trusted', path: '/usage', token: async () => (await createTestIssuer('https://stranger.test', 'orders-api')).token({ scope: 'accord:admin' }), status: 401, code: 'AUTH_TOKEN_INVALID' },
    { name: 'a token without accord:admin', path: '/usage', token: () => adminToken(issuer, 'orders:read'), status: 403, code: 'AUTH_SCOPE_INSUFFICIENT', challenge: /error="insufficient_scope", scope="accord:admin"/ },
    { name: 'a token with accord:admin', path: '/usage', token: () => adminToken(issuer), status: 200 },
    { name: 'an unknown admin path', path: '/nothing', token: () => adminToken(issuer), status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'an unknown filter', path: '/usage?consumers=acme', token: () => adminToken(issuer), status: 400, code: 'REQUEST_INVALID' },
    { name: 'a since that is no date', path: '/usage?since=yesterday', token: () => adminToken(issuer), status: 400, code: 'REQUEST_INVALID' },
    { name: 'an unknown path without a token is 401, not 404', path: '/nothing', status: 401, code: 'AUTH_TOKEN_MISSING' },
  ];
  for (const c of auth) {
    it(`admin auth: ${c.name}`, async () => {
      const headers: Record<string, string> = c.token ? { authorization: `Bearer ${await c.token()}` } : {};
      const res = await rawRequest(gw.adminUrl!, 'GET', c.path, { headers });
      assert.equal(res.status, c.status, res.text);
      if (c.code) {
        assert.equal(res.headers['content-type'], 'application/problem+json');
        assert.equal(res.json?.code, c.code);
      }
      if (c.challenge) assert.match(String(res.headers['www-authenticate']), c.challenge);
      assert.ok(res.headers['x-request-id']);
    });
  }

  it('names the bad filter by its pointer', async () => {
    const res = await rawRequest(gw.adminUrl!, 'GET', '/usage?consumers=acme&since=x', { headers: { authorization: `Bearer ${await adminToken(issuer)}` } });
    assert.deepEqual((res.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer), ['/query/consumers', '/query/since']);
  });
});
