/**
 * What reaches the upstream from the client's header section: no forged identity, address or
 * routing header under any spelling, X-Forwarded-Host only as configured, and no Connection
 * option that would drop an end-to-end header after it was checked.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream, type ReceivedRequest } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { normaliseHeaderName } from '../../src/gateway/edge/stripped-headers.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

/** How many raw header fields the upstream received whose name is `name` under any case or `_`/`-` spelling. */
function occurrences(got: ReceivedRequest, name: string): string[] {
  const wanted = normaliseHeaderName(name);
  const values: string[] = [];
  for (let i = 0; i < got.rawHeaders.length; i += 2) if (normaliseHeaderName(got.rawHeaders[i]!) === wanted) values.push(got.rawHeaders[i + 1]!);
  return values;
}

/** The `_` spellings of a name a client can send beside the `-` one. */
function underscoreSpellings(name: string): string[] {
  return [name.replace(/-/g, '_'), name.replace(/-/g, '_').toUpperCase()];
}

/** Headers the gateway sets itself: the upstream gets exactly one, with the gateway's value. */
const GATEWAY_SET: Record<string, (got: ReceivedRequest) => void> = {
  'X-Consumer-Id': (got) => assert.deepEqual(occurrences(got, 'x-consumer-id'), ['test/acme']),
  'X-Forwarded-For': (got) => assert.deepEqual(occurrences(got, 'x-forwarded-for'), ['127.0.0.1']),
  'X-Forwarded-Proto': (got) => assert.deepEqual(occurrences(got, 'x-forwarded-proto'), ['http']),
  traceparent: (got) => assert.equal(occurrences(got, 'traceparent').length, 1),
};

/** Names upstreams trust for identity, address, scheme, host, path or method: none may pass. */
const FORGEABLE = [
  'Forwarded',
  'X-Forwarded-Host',
  'X-Forwarded-Port',
  'X-Forwarded-Scheme',
  'X-Forwarded-Ssl',
  'X-Forwarded-Prefix',
  'X-Forwarded-Server',
  'X-Forwarded-User',
  'X-Forwarded-Email',
  'X-Forwarded-Client-Cert',
  'X-Real-IP',
  'X-Client-IP',
  'Client-IP',
  'True-Client-IP',
  'CF-Connecting-IP',
  'Fastly-Client-IP',
  'X-Cluster-Client-IP',
  'X-Original-Forwarded-For',
  'X-Url-Scheme',
  'X-Host',
  'X-Original-Host',
  'X-Original-URL',
  'X-Rewrite-URL',
  'X-HTTP-Method-Override',
  'X-Method-Override',
  'X-HTTP-Method',
  'X-Remote-User',
  'Remote-User',
  'X-User',
  'X-Authenticated-User',
  'X-Authenticated-Userid',
  'X-Userinfo',
  'X-Auth-Request-User',
  'X-Auth-Request-Email',
  'X-Consumer-Username',
  'X-Consumer-Custom-Id',
  'X-Credential-Identifier',
  'X-Anonymous-Consumer',
  'X-Ssl-Client-Verify',
  'X-Envoy-Original-Path',
];

describe('headers toward the upstream', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let token: string;
  /** Defaults: underscore names dropped, no X-Forwarded-Host. */
  let plain: TestGateway;
  /** Underscore names forwarded, extra stripped names, a fixed X-Forwarded-Host. */
  let tuned: TestGateway;
  /** The client's Host repeated as X-Forwarded-Host. */
  let echoing: TestGateway;

  const start = (listen: Record<string, unknown>): Promise<TestGateway> =>
    startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0, ...listen },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: up.url }], auth: { providers: ['test'] }, responseValidation: 'off' }],
      },
    });

  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { items: [] }));
    plain = await start({});
    tuned = await start({ underscoreHeaders: 'forward', stripHeaders: ['X-Tenant-Role', 'X-Internal-*'], forwardedHost: 'api.example.com' });
    echoing = await start({ forwardClientHost: true });
    token = await issuer.token({ client_id: 'acme' });
  });
  after(async () => {
    await plain.stop();
    await tuned.stop();
    await echoing.stop();
    await up.close();
  });

  /** Sends GET /shop/v1/items with the token and `headers`; returns what the upstream received. */
  async function through(gw: TestGateway, headers: Record<string, string>): Promise<ReceivedRequest> {
    const before = up.received.length;
    const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}`, ...headers } });
    assert.equal(res.status, 200, res.text);
    assert.equal(up.received.length, before + 1);
    return up.received[before]!;
  }

  describe('forged identity, address and routing headers, under every spelling', () => {
    for (const [label, gw] of [['underscore names dropped', () => plain], ['underscore names forwarded', () => tuned]] as const) {
      for (const name of [...Object.keys(GATEWAY_SET), ...FORGEABLE]) {
        it(`${label}: ${name}`, async () => {
          const headers: Record<string, string> = { [name]: '10.6.6.6' };
          for (const spelling of underscoreSpellings(name)) headers[spelling] = '10.6.6.7';
          const got = await through(gw(), headers);
          const check = GATEWAY_SET[name];
          if (check) check(got);
          else if (name === 'X-Forwarded-Host' && gw() === tuned) assert.deepEqual(occurrences(got, name), ['api.example.com']);
          else assert.deepEqual(occurrences(got, name), [], `no ${name} reaches the upstream`);
        });
      }
    }
  });

  describe('names added by listen.stripHeaders', () => {
    const cases: Array<{ name: string; sent: string; reaches: boolean }> = [
      { name: 'listed name', sent: 'X-Tenant-Role', reaches: false },
      { name: 'listed name with underscores', sent: 'x_tenant_role', reaches: false },
      { name: 'listed prefix', sent: 'X-Internal-Debug', reaches: false },
      { name: 'listed prefix with underscores', sent: 'X_INTERNAL_TRACE', reaches: false },
      { name: 'unlisted name', sent: 'X-Tenant', reaches: true },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.sent} ${c.reaches ? 'reaches' : 'does not reach'} the upstream`, async () => {
        const got = await through(tuned, { [c.sent]: 'admin' });
        assert.deepEqual(occurrences(got, c.sent), c.reaches ? ['admin'] : []);
      });
    }
  });

  describe('listen.underscoreHeaders', () => {
    it('drop (the default): a name with an underscore never reaches the upstream', async () => {
      const got = await through(plain, { X_Custom_Flag: 'on', 'X-Custom-Other': 'kept' });
      assert.deepEqual(occurrences(got, 'x_custom_flag'), []);
      assert.deepEqual(occurrences(got, 'x-custom-other'), ['kept']);
    });
    it('forward: a name with an underscore that aliases nothing stripped reaches the upstream', async () => {
      const got = await through(tuned, { X_Custom_Flag: 'on' });
      assert.deepEqual(occurrences(got, 'x_custom_flag'), ['on']);
    });
  });

  describe('X-Forwarded-Host', () => {
    const cases: Array<{ name: string; gw: () => TestGateway; host: string; expected: string[] }> = [
      { name: 'not configured: none, whatever Host the client sends', gw: () => plain, host: 'evil.example', expected: [] },
      { name: 'listen.forwardedHost: the configured host, not the client\'s', gw: () => tuned, host: 'evil.example', expected: ['api.example.com'] },
      { name: 'listen.forwardClientHost: the client\'s Host', gw: () => echoing, host: 'shop.example:8443', expected: ['shop.example:8443'] },
      { name: 'listen.forwardClientHost: a Host that is not a host name is not repeated', gw: () => echoing, host: 'a.example, b.example', expected: [] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const got = await through(c.gw(), { host: c.host, 'x-forwarded-host': 'forged.example' });
        assert.deepEqual(occurrences(got, 'x-forwarded-host'), c.expected);
      });
    }
  });
});

describe('Connection options', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let gw: TestGateway;
  let token: string;
  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(201, { id: 'n1', name: 'New', price: 5 }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: up.url }], auth: { providers: ['test'] }, upstream: { forwardAuthorization: true }, responseValidation: 'off' }],
      },
    });
    token = await issuer.token({ scope: 'items:read items:write' });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  const refused = ['content-type', 'Content-Length', 'host', 'authorization', 'cookie', 'x-consumer-id', 'X_Consumer_Id', 'x-request-id', 'traceparent', 'x-forwarded-for', 'x-real-ip', 'keep-alive, content-type'];
  for (const listed of refused) {
    it(`Connection: ${listed} -> 400 REQUEST_MALFORMED, nothing reaches the upstream`, async () => {
      const before = up.received.length;
      const res = await rawRequest(gw.url, 'POST', '/shop/v1/items', {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', cookie: 'a=1', connection: listed },
        body: JSON.stringify({ name: 'New', price: 5 }),
      });
      assert.equal(res.status, 400);
      assert.equal(res.json?.code, 'REQUEST_MALFORMED');
      assert.equal(up.received.length, before);
    });
  }

  const allowed: Array<{ listed: string; extra: Record<string, string>; gone: string[] }> = [
    { listed: 'close', extra: {}, gone: [] },
    { listed: 'Keep-Alive', extra: { 'keep-alive': 'timeout=5' }, gone: ['keep-alive'] },
    { listed: 'keep-alive, x-secret-hop', extra: { 'x-secret-hop': '1' }, gone: ['x-secret-hop'] },
  ];
  for (const c of allowed) {
    it(`Connection: ${c.listed} -> proxied with the body's headers intact, hop-by-hop fields removed`, async () => {
      const before = up.received.length;
      const body = JSON.stringify({ name: 'New', price: 5 });
      const res = await rawRequest(gw.url, 'POST', '/shop/v1/items', {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: c.listed, ...c.extra },
        body,
      });
      assert.equal(res.status, 201, res.text);
      const got = up.received[before]!;
      assert.deepEqual(occurrences(got, 'content-type'), ['application/json']);
      assert.deepEqual(occurrences(got, 'content-length'), [String(Buffer.byteLength(body))]);
      assert.deepEqual(occurrences(got, 'authorization'), [`Bearer ${token}`]);
      for (const name of c.gone) assert.deepEqual(occurrences(got, name), [], name);
    });
  }
});
