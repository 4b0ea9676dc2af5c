/**
 * IP allow and deny lists end to end, per API and per consumer, and the client address they are
 * checked against: the peer (127.0.0.1 here), or, only when the peer is a trusted proxy, the
 * right-most untrusted hop of the one configured header (X-Forwarded-For or Forwarded).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

interface Case {
  name: string;
  path: string;
  headers?: Record<string, string | string[]>;
  /** client_id of a token to send. */
  as?: string;
  status: 200 | 403;
  /** X-Forwarded-For the upstream receives (for 200). */
  upstreamXff?: string;
  /** clientIp of the access-log line (for 403). */
  clientIp?: string;
  /** consumer of the access-log line (for 403). */
  consumer?: string;
}

describe('IP rules and client addresses', () => {
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  const gateways: Record<'direct' | 'xff' | 'forwarded', TestGateway> = {} as Record<'direct' | 'xff' | 'forwarded', TestGateway>;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    upstream = await startUpstream(json(200, { items: [] }));
    const api = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      id,
      basePath: `/${id}`,
      versions: [{ version: '1.0.0', upstream: upstream.url }],
      auth: { providers: ['test'] },
      responseValidation: 'off',
      ...extra,
    });
    const contracts = (ids: string[]): Record<string, string> => Object.fromEntries(ids.map((id) => [`${id}/1.0.0`, SHOP_V1]));
    // The test client's peer address is 127.0.0.1, which is not trusted here.
    gateways.direct = await startTestGateway({
      contracts: contracts(['allowed', 'denied', 'denywins', 'tenonly', 'open']),
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider('test')],
        apis: [
          api('allowed', { ipRules: { allow: ['127.0.0.0/8', '::1'] } }),
          api('denied', { ipRules: { deny: ['127.0.0.1'] } }),
          api('denywins', { ipRules: { allow: ['127.0.0.0/8'], deny: ['127.0.0.1/32'] } }),
          api('tenonly', { ipRules: { allow: ['10.0.0.0/8'] } }),
          api('open'),
        ],
      },
    });
    // 127.0.0.1 is a trusted proxy, and so is 192.168.0.0/16 (an inner proxy tier).
    gateways.xff = await startTestGateway({
      contracts: contracts(['partners']),
      config: {
        listen: { host: '127.0.0.1', port: 0, trustedProxies: ['127.0.0.1', '192.168.0.0/16'] },
        identityProviders: [issuer.provider('test')],
        consumers: [
          { id: 'acme', identities: [{ provider: 'test', claim: 'acme-app' }], entitlements: [{ api: 'partners' }], ipRules: { allow: ['10.0.0.0/8'] } },
          { id: 'globex', identities: [{ provider: 'test', claim: 'globex-app' }], entitlements: [{ api: 'partners' }] },
        ],
        apis: [api('partners', { ipRules: { deny: ['203.0.113.0/24'] } })],
      },
    });
    gateways.forwarded = await startTestGateway({
      contracts: contracts(['partners']),
      config: {
        listen: { host: '127.0.0.1', port: 0, trustedProxies: ['127.0.0.1'], clientAddressHeader: 'forwarded' },
        identityProviders: [issuer.provider('test')],
        apis: [api('partners', { ipRules: { allow: ['10.0.0.0/8', '2001:db8::/32'] } })],
      },
    });
  });
  after(async () => {
    for (const gw of Object.values(gateways)) await gw.stop();
    await upstream.close();
  });

  const table: Record<'direct' | 'xff' | 'forwarded', Case[]> = {
    direct: [
      { name: 'allowed by the API', path: '/allowed/v1/public/status', status: 200, upstreamXff: '127.0.0.1' },
      { name: 'denied by the API (an anonymous operation too)', path: '/denied/v1/public/status', status: 403, clientIp: '127.0.0.1' },
      { name: 'deny wins over allow', path: '/denywins/v1/public/status', status: 403, clientIp: '127.0.0.1' },
      { name: 'not on the allow list', path: '/tenonly/v1/public/status', status: 403, clientIp: '127.0.0.1' },
      {
        name: 'spoofed X-Forwarded-For and Forwarded from an untrusted peer: the peer decides',
        path: '/tenonly/v1/public/status',
        headers: { 'x-forwarded-for': '10.1.2.3', forwarded: 'for=10.1.2.3', 'x-real-ip': '10.1.2.3' },
        status: 403,
        clientIp: '127.0.0.1',
      },
      {
        name: 'spoofed headers do not reach the upstream either',
        path: '/allowed/v1/public/status',
        headers: { 'x-forwarded-for': '10.1.2.3', forwarded: 'for=10.1.2.3' },
        status: 200,
        upstreamXff: '127.0.0.1',
      },
      { name: 'an API without rules', path: '/open/v1/public/status', status: 200, upstreamXff: '127.0.0.1' },
    ],
    xff: [
      { name: 'consumer allowed only from 10/8, through the proxy from 10.1.2.3', path: '/partners/v1/items', as: 'acme-app', headers: { 'x-forwarded-for': '10.1.2.3' }, status: 200, upstreamXff: '10.1.2.3, 127.0.0.1' },
      { name: 'the same consumer from 198.51.100.7', path: '/partners/v1/items', as: 'acme-app', headers: { 'x-forwarded-for': '198.51.100.7' }, status: 403, clientIp: '198.51.100.7', consumer: 'acme' },
      { name: 'the same consumer with no hop: the proxy itself is the client', path: '/partners/v1/items', as: 'acme-app', status: 403, clientIp: '127.0.0.1', consumer: 'acme' },
      { name: 'a consumer without rules from anywhere not denied', path: '/partners/v1/items', as: 'globex-app', headers: { 'x-forwarded-for': '198.51.100.7' }, status: 200, upstreamXff: '198.51.100.7, 127.0.0.1' },
      {
        name: 'several hops: the right-most untrusted one is the client, the spoofed left part dropped',
        path: '/partners/v1/items',
        as: 'acme-app',
        headers: { 'x-forwarded-for': '203.0.113.5, 10.1.2.3, 192.168.4.4, 192.168.1.1' },
        status: 200,
        upstreamXff: '10.1.2.3, 192.168.4.4, 192.168.1.1, 127.0.0.1',
      },
      {
        name: 'several hops: the API denies the right-most untrusted one',
        path: '/partners/v1/items',
        as: 'globex-app',
        headers: { 'x-forwarded-for': '10.1.2.3, 203.0.113.5, 192.168.1.1' },
        status: 403,
        clientIp: '203.0.113.5',
      },
      { name: 'the API rule applies before any credential', path: '/partners/v1/items', headers: { 'x-forwarded-for': '203.0.113.5' }, status: 403, clientIp: '203.0.113.5' },
      { name: 'IPv4-mapped hop is IPv4', path: '/partners/v1/items', as: 'acme-app', headers: { 'x-forwarded-for': '::ffff:10.1.2.3' }, status: 200, upstreamXff: '10.1.2.3, 127.0.0.1' },
      { name: 'repeated X-Forwarded-For fields read as one list', path: '/partners/v1/items', as: 'acme-app', headers: { 'x-forwarded-for': ['198.51.100.7', '10.1.2.3'] }, status: 200, upstreamXff: '10.1.2.3, 127.0.0.1' },
      { name: 'an unreadable hop is an unknown client, never the hop left of it (refused by the API\'s deny-only list)', path: '/partners/v1/items', as: 'acme-app', headers: { 'x-forwarded-for': '10.1.2.3, garbage' }, status: 403, clientIp: 'unknown' },
      { name: 'Forwarded is ignored when X-Forwarded-For is the configured header', path: '/partners/v1/items', as: 'acme-app', headers: { forwarded: 'for=10.1.2.3' }, status: 403, clientIp: '127.0.0.1', consumer: 'acme' },
    ],
    forwarded: [
      { name: 'Forwarded IPv4 client', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: 'for=10.1.2.3;proto=https' }, status: 200, upstreamXff: '10.1.2.3, 127.0.0.1' },
      { name: 'Forwarded quoted IPv6 with port', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: 'for="[2001:db8:cafe::17]:4711"' }, status: 200, upstreamXff: '2001:db8:cafe::17, 127.0.0.1' },
      { name: 'Forwarded client outside the allow list', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: 'for=198.51.100.7' }, status: 403, clientIp: '198.51.100.7' },
      { name: 'obfuscated client is not an address: not admitted', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: 'for=10.1.2.3, for=_hidden' }, status: 403, clientIp: '_hidden' },
      { name: 'unknown client: not admitted', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: 'for=unknown' }, status: 403, clientIp: 'unknown' },
      { name: 'X-Forwarded-For is ignored when Forwarded is the configured header', path: '/partners/v1/items', as: 'any-app', headers: { 'x-forwarded-for': '10.1.2.3' }, status: 403, clientIp: '127.0.0.1' },
      { name: 'repeated Forwarded fields: the last one is nearest', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: ['for=198.51.100.7', 'for=10.1.2.3'] }, status: 200, upstreamXff: '10.1.2.3, 127.0.0.1' },
      { name: 'a client quote cannot swallow the proxy element into its own', path: '/partners/v1/items', as: 'any-app', headers: { forwarded: ['for="10.1.2.3', 'for=198.51.100.7'] }, status: 403, clientIp: 'unknown' },
    ],
  };

  for (const [which, cases] of Object.entries(table) as Array<['direct' | 'xff' | 'forwarded', Case[]]>) {
    describe(`${which} gateway`, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const gw = gateways[which];
          const before = upstream.received.length;
          const headers: Record<string, string | string[]> = { ...c.headers, 'x-request-id': `ip-${which}-${cases.indexOf(c)}` };
          if (c.as) headers.authorization = `Bearer ${await issuer.token({ client_id: c.as })}`;
          const res = await rawRequest(gw.url, 'GET', c.path, { headers });
          assert.equal(res.status, c.status, res.text);
          if (c.status === 403) {
            assert.equal(res.json?.code, 'IP_NOT_ALLOWED');
            assert.equal(upstream.received.length, before, 'a refused request never reaches the upstream');
            const line = gw.logs.find((l) => l.requestId === headers['x-request-id'] && l.msg === 'request');
            assert.equal(line?.code, 'IP_NOT_ALLOWED');
            assert.equal(line?.clientIp, c.clientIp);
            assert.equal(line?.consumer, c.consumer);
          } else {
            assert.equal(upstream.received.length, before + 1);
            assert.equal(upstream.received[before]!.headers['x-forwarded-for'], c.upstreamXff);
            assert.equal(upstream.received[before]!.headers.forwarded, undefined);
          }
        });
      }
    });
  }

  describe('dual-stack listener: IPv4 peers arrive as ::ffff:127.0.0.1 and are matched as IPv4', () => {
    let dual: TestGateway;
    let url: string;
    before(async () => {
      dual = await startTestGateway({
        contracts: { 'local/1.0.0': SHOP_V1 },
        config: {
          listen: { host: '::', port: 0, trustedProxies: ['127.0.0.1'] },
          identityProviders: [issuer.provider('test')],
          apis: [{ id: 'local', basePath: '/local', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] }, responseValidation: 'off', ipRules: { allow: ['127.0.0.1', '198.51.100.0/24'] } }],
        },
      });
      url = `http://127.0.0.1:${new URL(dual.url).port}`;
    });
    after(() => dual.stop());

    it('the mapped peer is the IPv4 address an IPv4 rule allows', async () => {
      const before = upstream.received.length;
      const res = await rawRequest(url, 'GET', '/local/v1/public/status');
      assert.equal(res.status, 200, res.text);
      assert.equal(upstream.received[before]!.headers['x-forwarded-for'], '127.0.0.1');
    });

    it('the mapped peer is the IPv4 trusted proxy', async () => {
      const allowed = await rawRequest(url, 'GET', '/local/v1/public/status', { headers: { 'x-forwarded-for': '198.51.100.7' } });
      assert.equal(allowed.status, 200, allowed.text);
      const refused = await rawRequest(url, 'GET', '/local/v1/public/status', { headers: { 'x-forwarded-for': '10.1.2.3', 'x-request-id': 'ip-dual-refused' } });
      assert.equal(refused.status, 403);
      assert.equal(dual.logs.find((l) => l.requestId === 'ip-dual-refused' && l.msg === 'request')?.clientIp, '10.1.2.3');
    });
  });

  it('adds the ip-rules step first, and only to APIs with rules', () => {
    const policiesOf = (apiId: string): readonly string[] => {
      const served = gateways.direct.running.gateway.current()!.served.find((s) => s.apiId === apiId)!;
      return served.operations.match('GET', ['items'], ['items'], 0).route.policies;
    };
    assert.deepEqual(policiesOf('tenonly'), ['ip-rules', 'auth', 'scopes', 'request-validation']);
    assert.deepEqual(policiesOf('open'), ['auth', 'scopes', 'request-validation']);
  });

  it('counts refusals under accord_rejections_total{code="IP_NOT_ALLOWED"}', async () => {
    const metrics = await gateways.direct.running.gateway.metrics!.registry.metrics();
    assert.match(metrics, /accord_rejections_total\{api="denied",version="1\.0\.0",code="IP_NOT_ALLOWED"\} 1/);
  });
});
