/**
 * Consumers and entitlements end to end: a token maps to a declared consumer by (provider, claim);
 * the consumer's id goes upstream; callers that are no declared consumer, or not entitled to the
 * API major they call, get 403 CONSUMER_NOT_ENTITLED; an API may admit any authenticated caller.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'gateway');
const SHOP_V1 = join(FIXTURES, 'shop-1.0.0.yaml');
const SHOP_V2 = join(FIXTURES, 'shop-2.0.0.yaml');

describe('consumers and entitlements', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let other: TestIssuer;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    other = await createTestIssuer('https://other.test', 'shop-api');
    upstream = await startUpstream(json(200, { items: [] }));
    const api = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id,
      basePath: `/${id}`,
      versions: [{ version: '1.0.0', upstream: upstream.url }, { version: '2.0.0', upstream: upstream.url }],
      auth: { providers: ['test', 'other'] },
      responseValidation: 'off',
      ...extra,
    });
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1, 'shop/2.0.0': SHOP_V2, 'open/1.0.0': SHOP_V1, 'open/2.0.0': SHOP_V2 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider('test'), other.provider('other')],
        consumers: [
          { id: 'acme', contact: 'api@acme.example', identities: [{ provider: 'test', claim: 'acme-app' }], entitlements: [{ api: 'shop' }] },
          { id: 'globex', identities: [{ provider: 'other', claim: 'globex-app' }], entitlements: [{ api: 'shop', majors: [1] }] },
          { id: 'initech', identities: [{ provider: 'test', claim: 'initech-app' }], entitlements: [] },
        ],
        apis: [api('shop'), api('open', { admit: 'any-authenticated' })],
      },
    });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  const cases: Array<{ name: string; path: string; token?: () => Promise<string>; status: number; code?: string; consumer?: string }> = [
    { name: 'declared and entitled to every major (v1)', path: '/shop/v1/items', token: () => issuer.token({ client_id: 'acme-app' }), status: 200, consumer: 'acme' },
    { name: 'declared and entitled to every major (v2)', path: '/shop/v2/items', token: () => issuer.token({ client_id: 'acme-app' }), status: 200, consumer: 'acme' },
    { name: 'entitled to major 1 only, calling v1', path: '/shop/v1/items', token: () => other.token({ client_id: 'globex-app' }), status: 200, consumer: 'globex' },
    { name: 'entitled to major 1 only, calling v2', path: '/shop/v2/items', token: () => other.token({ client_id: 'globex-app' }), status: 403, code: 'CONSUMER_NOT_ENTITLED' },
    { name: 'declared without entitlements', path: '/shop/v1/items', token: () => issuer.token({ client_id: 'initech-app' }), status: 403, code: 'CONSUMER_NOT_ENTITLED' },
    { name: 'valid token, no declared consumer', path: '/shop/v1/items', token: () => issuer.token({ client_id: 'stranger' }), status: 403, code: 'CONSUMER_NOT_ENTITLED' },
    // The identity is (provider, claim): the same claim from another provider is somebody else.
    { name: "acme's claim from another provider", path: '/shop/v1/items', token: () => other.token({ client_id: 'acme-app' }), status: 403, code: 'CONSUMER_NOT_ENTITLED' },
    { name: 'anonymous operation needs no consumer', path: '/shop/v1/public/status', status: 200 },
    { name: 'no token on a secured operation is still 401', path: '/shop/v1/items', status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'any-authenticated API admits an undeclared caller', path: '/open/v1/items', token: () => issuer.token({ client_id: 'stranger' }), status: 200, consumer: 'test/stranger' },
    { name: 'any-authenticated API still names a declared consumer by its id', path: '/open/v2/items', token: () => other.token({ client_id: 'globex-app' }), status: 200, consumer: 'globex' },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = upstream.received.length;
      const headers: Record<string, string> = c.token ? { authorization: `Bearer ${await c.token()}` } : {};
      const res = await rawRequest(gw.url, 'GET', c.path, { headers });
      assert.equal(res.status, c.status, res.text);
      if (c.code) {
        assert.equal((JSON.parse(res.text) as { code: string }).code, c.code);
        assert.equal(upstream.received.length, before, 'a refused request never reaches the upstream');
      }
      if (c.status === 200) {
        assert.equal(upstream.received.length, before + 1);
        assert.equal(upstream.received[before]!.headers['x-consumer-id'], c.consumer);
      }
    });
  }

  it('does not let a caller name its own consumer', async () => {
    const before = upstream.received.length;
    const token = await issuer.token({ client_id: 'stranger' });
    const res = await rawRequest(gw.url, 'GET', '/open/v1/items', { headers: { authorization: `Bearer ${token}`, 'x-consumer-id': 'acme' } });
    assert.equal(res.status, 200);
    assert.equal(upstream.received[before]!.headers['x-consumer-id'], 'test/stranger');
  });

  it('adds the consumers step only where an operation is secured', () => {
    const table = gw.running.gateway.current()!;
    const shop = table.served.find((s) => s.apiId === 'shop' && s.major === 1)!;
    const policiesOf = (method: string, path: string): readonly string[] => {
      const segments = path.split('/').slice(1);
      return shop.operations.match(method, segments, segments, 0).route.policies;
    };
    assert.deepEqual(policiesOf('GET', '/items'), ['auth', 'consumers', 'scopes', 'request-validation']);
    assert.deepEqual(policiesOf('GET', '/public/status'), ['request-validation']);
  });
});
