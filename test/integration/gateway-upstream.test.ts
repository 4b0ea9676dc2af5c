/** Upstream failure, response validation in report mode, and graceful shutdown (rate limits: rate-limit-headers.test.ts). */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import http from 'node:http';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

function config(issuer: TestIssuer, upstream: string, api: Record<string, unknown> = {}, listen: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 3000, ...listen },
    identityProviders: [issuer.provider()],
    admin: { auth: { providers: ['test'] } },
    apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream }], upstream: { timeoutMs: 300 }, auth: { providers: ['test'] }, ...api }],
  };
}

/** A port on which nothing listens: bind, note it, close. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('upstream failures', () => {
  let issuer: TestIssuer;
  before(async () => {
    issuer = await createTestIssuer();
  });

  it('answers 502 UPSTREAM_UNAVAILABLE when the upstream refuses connections', async () => {
    const port = await closedPort();
    const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, `http://127.0.0.1:${port}`) });
    try {
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${await issuer.token()}` } });
      assert.equal(res.status, 502);
      assert.equal(res.json?.code, 'UPSTREAM_UNAVAILABLE');
    } finally {
      await gw.stop();
    }
  });

  it('answers 504 UPSTREAM_TIMEOUT when the upstream is slower than the timeout', async () => {
    const slow = await startUpstream((_req, res) => {
      const timer = setTimeout(() => json(200, { items: [] })(_req, res), 2000);
      res.on('close', () => clearTimeout(timer));
    });
    const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, slow.url) });
    try {
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${await issuer.token()}` } });
      assert.equal(res.status, 504);
      assert.equal(res.json?.code, 'UPSTREAM_TIMEOUT');
    } finally {
      await gw.stop();
      await slow.close();
    }
  });
});

describe('response validation (report)', () => {
  it('passes a contract-breaking response through, and logs it', async () => {
    const issuer = await createTestIssuer();
    const up = await startUpstream(json(200, { items: [{ id: 'a', price: 'free' }] }));
    const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, up.url, { responseValidation: 'report' }) });
    try {
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${await issuer.token()}`, 'x-request-id': 'report-1' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, { items: [{ id: 'a', price: 'free' }] });
      await new Promise((r) => setTimeout(r, 50));
      const logged = gw.logs.find((l) => l.requestId === 'report-1' && l.mode === 'report');
      assert.ok(logged, 'violation logged in report mode');
      const access = gw.logs.find((l) => l.requestId === 'report-1' && l.type === 'access');
      assert.ok(Number(access?.responseViolations) >= 2);
      const metrics = await scrapeMetrics(gw, issuer);
      assert.match(metrics, /accord_response_contract_violations_total\{api="shop",version="1.0.0",operation="listItems",mode="report",kind="body-schema"\} 1/);
      assert.match(metrics, /accord_requests_total\{api="shop",version="1.0.0",operation="listItems",consumer="[^"]+",status_class="2xx"\} 1/);
    } finally {
      await gw.stop();
      await up.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new connections, then stops', async () => {
    const issuer = await createTestIssuer();
    let release: (() => void) | undefined;
    const up = await startUpstream((req, res) => {
      release = () => json(200, { items: [] })(req, res);
    });
    const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, up.url, { upstream: { timeoutMs: 5000 } }) });
    const token = await issuer.token();
    const inFlight = rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}` } });
    while (!release) await new Promise((r) => setTimeout(r, 10));
    const stopping = gw.stop();
    await new Promise((r) => setTimeout(r, 100));
    await assert.rejects(rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}` } }), /ECONNREFUSED/);
    release();
    const res = await inFlight;
    assert.equal(res.status, 200);
    await stopping;
    await up.close();
  });
});

describe('operational endpoints', () => {
  it('answers /healthz and /readyz before any API routing; /metrics only on the admin listener', async () => {
    const issuer = await createTestIssuer();
    const up = await startUpstream(json(200, { items: [] }));
    const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, up.url) });
    try {
      const health = await rawRequest(gw.url, 'GET', '/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual(health.json, { status: 'ok' });
      const ready = await rawRequest(gw.url, 'GET', '/readyz?verbose=1');
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.json, { status: 'ready', limiter: { store: 'memory', degraded: false } });
      const dataPlane = await rawRequest(gw.url, 'GET', '/metrics');
      assert.equal(dataPlane.status, 404, 'the public port reveals nothing about the fleet');
      assert.equal(dataPlane.json?.code, 'ROUTE_NOT_FOUND');
      const token = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
      const metrics = await rawRequest(gw.adminUrl!, 'GET', '/metrics', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(metrics.status, 200);
      assert.match(String(metrics.headers['content-type']), /^text\/plain/);
      assert.match(metrics.text, /accord_process_cpu_user_seconds_total/);
      const ownerOnly = await rawRequest(gw.adminUrl!, 'GET', '/metrics', { headers: { authorization: `Bearer ${await issuer.token({ client_id: 'ops', scope: 'items:read' })}` } });
      assert.equal(ownerOnly.status, 403);
      assert.equal(ownerOnly.json?.code, 'AUTH_SCOPE_INSUFFICIENT');
      const post = await rawRequest(gw.url, 'POST', '/healthz');
      assert.equal(post.status, 404);
      assert.equal(post.json?.code, 'ROUTE_NOT_FOUND');
    } finally {
      await gw.stop();
      await up.close();
    }
  });
});
