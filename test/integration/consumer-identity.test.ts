/**
 * Consumer identity end to end: a consumer is (identity provider, claim). Two real authorization
 * servers issuing the same client_id give two consumers upstream, in the log and in the rate
 * limiter; an authenticated consumer never shares the budget of anonymous callers.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { startOAuthServer, type OAuthServer } from '../support/oauth-server.js';

const ORDERS_V1 = join(import.meta.dirname, '..', '..', 'contracts', 'orders', '1.0.0.yaml');
const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const RESOURCE = 'https://api.example/orders';

describe('the same client_id at two identity providers', () => {
  let idpA: OAuthServer;
  let idpB: OAuthServer;
  let upstream: TestUpstream;
  let gw: TestGateway;
  let tokenA: string;
  let tokenB: string;

  before(async () => {
    idpA = await startOAuthServer();
    idpB = await startOAuthServer();
    upstream = await startUpstream(json(200, { items: [], nextCursor: null }));
    const provider = (id: string, idp: OAuthServer): Record<string, unknown> => ({ id, issuer: idp.issuer, discovery: true, audiences: ['orders-api'], algorithms: ['RS256'] });
    const orders = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id,
      basePath: `/${id}`,
      versions: [{ version: '1.0.0', upstream: upstream.url }],
      auth: { providers: ['idp-a', 'idp-b'] },
      responseValidation: 'off',
      ...extra,
    });
    gw = await startTestGateway({
      contracts: { 'orders/1.0.0': ORDERS_V1, 'limited/1.0.0': ORDERS_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [provider('idp-a', idpA), provider('idp-b', idpB)],
        apis: [orders('orders'), orders('limited', { rateLimit: { points: 2, windowSeconds: 60 } })],
      },
    });
    tokenA = await idpA.getToken({ clientId: 'orders-app', scope: 'orders:read', resource: RESOURCE });
    tokenB = await idpB.getToken({ clientId: 'orders-app', scope: 'orders:read', resource: RESOURCE });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
    await idpA.close();
    await idpB.close();
  });

  it('is two consumers upstream (X-Consumer-Id) and in the access log', async () => {
    const cases: Array<{ name: string; token: () => string; requestId: string; consumer: string }> = [
      { name: 'first provider', token: () => tokenA, requestId: 'consumer-a-1', consumer: 'idp-a/orders-app' },
      { name: 'second provider', token: () => tokenB, requestId: 'consumer-b-1', consumer: 'idp-b/orders-app' },
    ];
    for (const c of cases) {
      const before = upstream.received.length;
      const res = await rawRequest(gw.url, 'GET', '/orders/v1/orders', { headers: { authorization: `Bearer ${c.token()}`, 'x-request-id': c.requestId } });
      assert.equal(res.status, 200, `${c.name}: ${res.text}`);
      assert.equal(upstream.received[before]!.headers['x-consumer-id'], c.consumer, c.name);
    }
    // The access line is written when the response closes.
    for (let i = 0; i < 50 && gw.logs.filter((l) => l.type === 'access' && String(l.requestId).startsWith('consumer-')).length < cases.length; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const c of cases) {
      const line = gw.logs.find((l) => l.type === 'access' && l.requestId === c.requestId);
      assert.equal(line?.consumer, c.consumer, c.name);
    }
  });

  it('is two rate-limit budgets', async () => {
    const call = async (token: string): Promise<number> =>
      (await rawRequest(gw.url, 'GET', '/limited/v1/orders', { headers: { authorization: `Bearer ${token}` } })).status;
    const statuses = { a: [] as number[], b: [] as number[] };
    for (let i = 0; i < 3; i++) statuses.a.push(await call(tokenA));
    for (let i = 0; i < 3; i++) statuses.b.push(await call(tokenB));
    assert.deepEqual(statuses, { a: [200, 200, 429], b: [200, 200, 429] });
  });
});

describe('an authenticated consumer and anonymous callers', () => {
  let issuer: TestIssuer;
  let upstream: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    issuer = await createTestIssuer();
    upstream = await startUpstream(json(200, { status: 'ok' }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] }, responseValidation: 'off', rateLimit: { points: 2, windowSeconds: 60 } }],
      },
    });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('a consumer whose claim is "ip:127.0.0.1" does not share the budget of anonymous callers at 127.0.0.1', async () => {
    const anonymous: number[] = [];
    for (let i = 0; i < 3; i++) anonymous.push((await rawRequest(gw.url, 'GET', '/shop/v1/public/status')).status);
    assert.deepEqual(anonymous, [200, 200, 429], 'the anonymous budget of 127.0.0.1 is spent');

    const token = await issuer.token({ client_id: 'ip:127.0.0.1' });
    const consumer: number[] = [];
    const before = upstream.received.length;
    for (let i = 0; i < 3; i++) consumer.push((await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}` } })).status);
    assert.deepEqual(consumer, [200, 200, 429], 'the consumer has a budget of its own');
    assert.equal(upstream.received[before]!.headers['x-consumer-id'], 'test/ip%3A127.0.0.1');
  });
});
