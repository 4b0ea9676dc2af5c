/** The data plane end to end: a real gateway in front of real upstream servers, with real JWTs. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, echo, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'gateway');
const SHOP_V1 = join(fixtures, 'shop-1.0.0.yaml');
const SHOP_V2 = join(fixtures, 'shop-2.0.0.yaml');

function gatewayConfig(issuer: TestIssuer, v1: string, v2: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0, maxBodyBytes: 2048, maxHeaderCount: 40, shutdownGraceMs: 2000 },
    identityProviders: [issuer.provider()],
    apis: [
      {
        id: 'shop',
        basePath: '/shop',
        versions: [
          { version: '1.0.0', upstream: v1 },
          { version: '2.0.0', upstream: v2 },
        ],
        upstream: { timeoutMs: 800 },
        auth: { providers: ['test'] },
        responseValidation: 'enforce',
        ...extra,
      },
    ],
  };
}

describe('gateway core', () => {
  let issuer: TestIssuer;
  let up1: TestUpstream;
  let up2: TestUpstream;
  let gw: TestGateway;
  let read: string;
  let write: string;

  before(async () => {
    issuer = await createTestIssuer();
    up1 = await startUpstream();
    up2 = await startUpstream();
    gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1, 'shop/2.0.0': SHOP_V2 }, config: gatewayConfig(issuer, up1.url, up2.url) });
    read = await issuer.token({ scope: 'items:read' });
    write = await issuer.token({ scope: 'items:read items:write', client_id: 'writer' });
  });
  after(async () => {
    await gw.stop();
    await up1.close();
    await up2.close();
  });

  it('receives requests and responses that node:http created with Express\'s prototypes, so Express need not re-parent them', async () => {
    const seen: Array<{ reqHasApp: boolean; resHasApp: boolean }> = [];
    // Runs before Express: what node:http created, as Express will receive it.
    const spy = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
      seen.push({ reqHasApp: 'app' in req && 'get' in req, resHasApp: 'app' in res && 'json' in res });
    };
    gw.running.server.server.prependListener('request', spy);
    try {
      up1.respond(json(200, { items: [] }));
      const answer = await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${read}` } });
      assert.equal(answer.status, 200);
      await answer.arrayBuffer();
      assert.deepEqual(seen, [{ reqHasApp: true, resHasApp: true }]);
    } finally {
      gw.running.server.server.off('request', spy);
    }
  });

  it('proxies an authorised request to the upstream of its major, with the forwarded headers', async () => {
    up1.respond(json(200, { items: [{ id: 'a1', name: 'A', price: 3 }] }));
    const before = up1.received.length;
    const res = await rawRequest(gw.url, 'GET', '/shop/v1/items?limit=5&status=active', {
      headers: { authorization: `Bearer ${read}`, 'x-request-id': 'req-123', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { items: [{ id: 'a1', name: 'A', price: 3 }] });
    assert.equal(res.headers['x-request-id'], 'req-123');
    const got = up1.received[before]!;
    assert.equal(got.url, '/items?limit=5&status=active');
    assert.equal(got.headers['x-request-id'], 'req-123');
    assert.equal(got.headers['x-consumer-id'], 'test/acme');
    assert.equal(got.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(got.headers['x-forwarded-proto'], 'http');
    assert.equal(got.headers['x-forwarded-host'], undefined, 'no X-Forwarded-Host unless configured');
    assert.match(String(got.headers.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    assert.notEqual(String(got.headers.traceparent).split('-')[2], 'b7ad6b7169203331');
    assert.equal(got.headers.authorization, undefined, 'the token is not forwarded by default');
  });

  it('serves several majors side by side', async () => {
    up2.respond(json(200, { items: [] }));
    const before = up2.received.length;
    const res = await rawRequest(gw.url, 'GET', '/shop/v2/items', { headers: { authorization: `Bearer ${read}` } });
    assert.equal(res.status, 200);
    assert.equal(up2.received.length, before + 1);
  });

  it('generates a request id when the caller sends none or a malformed one', async () => {
    up1.respond(json(200, { status: 'ok' }));
    for (const sent of [undefined, 'bad id with spaces', 'x'.repeat(200)]) {
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/public/status', { headers: sent ? { 'x-request-id': sent } : {} });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    }
  });

  describe('routing', () => {
    const cases: Array<{ name: string; method: string; path: string; status: number; code: string; allow?: string }> = [
      { name: 'unknown API', method: 'GET', path: '/nothing/v1/items', status: 404, code: 'ROUTE_NOT_FOUND' },
      { name: 'unknown major', method: 'GET', path: '/shop/v3/items', status: 404, code: 'ROUTE_NOT_FOUND' },
      { name: 'unknown operation path', method: 'GET', path: '/shop/v1/admin', status: 404, code: 'ROUTE_NOT_FOUND' },
      { name: 'wrong method', method: 'PUT', path: '/shop/v1/items', status: 405, code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD, POST' },
      { name: 'wrong method on a templated path', method: 'POST', path: '/shop/v1/items/abc', status: 405, code: 'METHOD_NOT_ALLOWED', allow: 'DELETE, GET, HEAD' },
      { name: 'raw dot-dot segment', method: 'GET', path: '/shop/v1/../admin', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'dot-dot back into the API', method: 'GET', path: '/shop/v1/items/../items', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'encoded dot-dot', method: 'GET', path: '/shop/v1/%2e%2e/admin', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'mixed-case encoded dot-dot', method: 'GET', path: '/shop/v1/%2E./items', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'single dot segment', method: 'GET', path: '/shop/v1/./items', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'encoded slash', method: 'GET', path: '/shop/v1/items%2Fabc', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'encoded backslash', method: 'GET', path: '/shop/v1/items%5cabc', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'encoded NUL', method: 'GET', path: '/shop/v1/items/abc%00', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'matrix parameter', method: 'GET', path: '/shop/v1/items;jsessionid=1', status: 400, code: 'REQUEST_MALFORMED' },
      { name: 'double slash', method: 'GET', path: '/shop/v1//items', status: 404, code: 'ROUTE_NOT_FOUND' },
      { name: 'double slash before the version', method: 'GET', path: '//shop/v1/items', status: 404, code: 'ROUTE_NOT_FOUND' },
      { name: 'trailing slash', method: 'GET', path: '/shop/v1/items/', status: 404, code: 'ROUTE_NOT_FOUND' },
      { name: 'bad percent-encoding', method: 'GET', path: '/shop/v1/items/%zz', status: 400, code: 'REQUEST_MALFORMED' },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.method} ${c.path} -> ${c.status} ${c.code}`, async () => {
        const before = up1.received.length + up2.received.length;
        const res = await rawRequest(gw.url, c.method, c.path, { headers: { authorization: `Bearer ${write}` } });
        assert.equal(res.status, c.status);
        assert.equal(res.headers['content-type'], 'application/problem+json');
        assert.equal(res.json?.code, c.code);
        assert.equal(res.json?.status, c.status);
        assert.equal(res.json?.instance, res.headers['x-request-id']);
        if (c.allow) assert.equal(res.headers.allow, c.allow);
        assert.equal(up1.received.length + up2.received.length, before, 'nothing reached an upstream');
      });
    }

    it('decodes percent-encoded characters in parameters but forwards the raw path', async () => {
      up1.respond(json(200, { id: 'ab-c', name: 'x', price: 1 }));
      const before = up1.received.length;
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items/ab%2Dc', { headers: { authorization: `Bearer ${read}` } });
      assert.equal(res.status, 200);
      assert.equal(up1.received[before]!.url, '/items/ab%2Dc');
    });
  });

  describe('authentication and scopes', () => {
    it('refuses each bad token with the matching code and WWW-Authenticate', async () => {
      const expired = await issuer.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
      const other = await createTestIssuer('https://issuer.test', 'shop-api');
      const forged = await other.token();
      const cases: Array<{ name: string; headers: Record<string, string>; status: number; code: string; www: RegExp }> = [
        { name: 'no token', headers: {}, status: 401, code: 'AUTH_TOKEN_MISSING', www: /^Bearer realm="accord"$/ },
        { name: 'basic scheme', headers: { authorization: 'Basic YTpi' }, status: 401, code: 'AUTH_TOKEN_MISSING', www: /^Bearer/ },
        { name: 'malformed token', headers: { authorization: 'Bearer not.a.jwt' }, status: 401, code: 'AUTH_TOKEN_INVALID', www: /error="invalid_token"/ },
        { name: 'expired token', headers: { authorization: `Bearer ${expired}` }, status: 401, code: 'AUTH_TOKEN_EXPIRED', www: /error="invalid_token"/ },
        { name: 'signed by another key', headers: { authorization: `Bearer ${forged}` }, status: 401, code: 'AUTH_TOKEN_INVALID', www: /error="invalid_token"/ },
      ];
      for (const c of cases) {
        const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: c.headers });
        assert.equal(res.status, c.status, c.name);
        assert.equal(res.json?.code, c.code, c.name);
        assert.match(String(res.headers['www-authenticate']), c.www, c.name);
      }
    });

    it('takes the required scopes from the operation security in the contract', async () => {
      up1.respond(json(201, { id: 'n1', name: 'New', price: 5 }));
      const body = JSON.stringify({ name: 'New', price: 5 });
      const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
      const denied = await rawRequest(gw.url, 'POST', '/shop/v1/items', { headers: headers(read), body });
      assert.equal(denied.status, 403);
      assert.equal(denied.json?.code, 'AUTH_SCOPE_INSUFFICIENT');
      assert.match(String(denied.headers['www-authenticate']), /error="insufficient_scope"/);
      const allowed = await rawRequest(gw.url, 'POST', '/shop/v1/items', { headers: headers(write), body });
      assert.equal(allowed.status, 201);
      up1.respond((_r, res) => {
        res.writeHead(204);
        res.end();
      });
      // DELETE needs (items:write AND items:admin) OR items:owner.
      const scopes: Array<[string, number]> = [
        ['items:write', 403],
        ['items:write items:admin', 204],
        ['items:owner', 204],
        ['items:admin', 403],
      ];
      for (const [scope, status] of scopes) {
        const token = await issuer.token({ scope });
        const res = await rawRequest(gw.url, 'DELETE', '/shop/v1/items/abc', { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, status, scope);
      }
    });

    it('lets anonymous operations through without a token', async () => {
      up1.respond(json(200, { status: 'ok' }));
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/public/status');
      assert.equal(res.status, 200);
    });
  });

  describe('request validation', () => {
    const auth = (): Record<string, string> => ({ authorization: `Bearer ${write}`, 'content-type': 'application/json' });
    it('lists every violation with a JSON pointer', async () => {
      const res = await rawRequest(gw.url, 'POST', '/shop/v1/items', { headers: auth(), body: JSON.stringify({ name: '', price: -1, colour: 'red' }) });
      assert.equal(res.status, 400);
      assert.equal(res.json?.code, 'REQUEST_INVALID');
      const pointers = (res.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort();
      assert.deepEqual(pointers, ['/body/colour', '/body/name', '/body/price']);
    });
    const cases: Array<{ name: string; method: string; path: string; headers?: Record<string, string>; body?: string; status: number; code: string; pointer?: string }> = [
      { name: 'query below minimum', method: 'GET', path: '/shop/v1/items?limit=0', status: 400, code: 'REQUEST_INVALID', pointer: '/query/limit' },
      { name: 'query not an integer', method: 'GET', path: '/shop/v1/items?limit=ten', status: 400, code: 'REQUEST_INVALID', pointer: '/query/limit' },
      { name: 'query enum', method: 'GET', path: '/shop/v1/items?status=lost', status: 400, code: 'REQUEST_INVALID', pointer: '/query/status' },
      { name: 'path pattern', method: 'GET', path: '/shop/v1/items/A_B', status: 400, code: 'REQUEST_INVALID', pointer: '/path/itemId' },
      { name: 'missing body', method: 'POST', path: '/shop/v1/items', status: 400, code: 'REQUEST_INVALID', pointer: '/body' },
      { name: 'body not JSON', method: 'POST', path: '/shop/v1/items', body: '{"name":', status: 400, code: 'REQUEST_MALFORMED', pointer: '/body' },
      { name: 'missing required property', method: 'POST', path: '/shop/v1/items', body: '{"name":"a"}', status: 400, code: 'REQUEST_INVALID', pointer: '/body/price' },
      { name: 'wrong media type', method: 'POST', path: '/shop/v1/items', headers: { 'content-type': 'text/plain' }, body: 'name=a', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { name: 'body over the limit', method: 'POST', path: '/shop/v1/items', body: JSON.stringify({ name: 'a', price: 1, tags: Array(400).fill('tag') }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ];
    for (const c of cases) {
      it(`${c.name} -> ${c.status} ${c.code}`, async () => {
        const before = up1.received.length;
        const res = await rawRequest(gw.url, c.method, c.path, { headers: { ...auth(), ...c.headers }, body: c.body });
        assert.equal(res.status, c.status);
        assert.equal(res.json?.code, c.code);
        if (c.pointer) assert.ok((res.json?.errors as Array<{ pointer: string }>).some((e) => e.pointer === c.pointer), JSON.stringify(res.json));
        assert.equal(up1.received.length, before, 'nothing reached the upstream');
      });
    }

    it('forwards a validated body intact with a correct Content-Length', async () => {
      up1.respond((req, res) => json(201, { id: 'x1', name: JSON.parse(req.body.toString()).name, price: 1 })(req, res));
      const body = '{ "name" : "caf\u00e9",\n "price": 1 }';
      const before = up1.received.length;
      const res = await rawRequest(gw.url, 'POST', '/shop/v1/items', { headers: auth(), body });
      assert.equal(res.status, 201);
      const got = up1.received[before]!;
      assert.equal(got.body.toString('utf8'), body);
      assert.equal(got.headers['content-length'], String(Buffer.byteLength(body)));
    });
  });

  describe('edge hygiene', () => {
    it('does not pass client-sent consumer id or forwarded headers as if the gateway set them', async () => {
      up1.respond(echo);
      const before = up1.received.length;
      await rawRequest(gw.url, 'GET', '/shop/v1/items', {
        headers: {
          authorization: `Bearer ${read}`,
          'x-consumer-id': 'admin',
          'x-forwarded-for': '10.9.9.9',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-proto': 'https',
          forwarded: 'for=10.9.9.9',
          connection: 'keep-alive, x-secret-hop',
          'x-secret-hop': '1',
        },
      });
      const got = up1.received[before]!;
      assert.equal(got.headers['x-consumer-id'], 'test/acme');
      assert.equal(got.headers['x-forwarded-for'], '127.0.0.1');
      assert.equal(got.headers['x-forwarded-proto'], 'http');
      assert.notEqual(got.headers['x-forwarded-host'], 'evil.example');
      assert.equal(got.headers.forwarded, undefined);
      assert.equal(got.headers['x-secret-hop'], undefined);
    });

    it('answers 431 to too many header fields', async () => {
      const headers: Record<string, string> = { authorization: `Bearer ${read}` };
      for (let i = 0; i < 60; i++) headers[`x-h-${i}`] = 'v';
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers });
      assert.equal(res.status, 431);
      assert.equal(res.json?.code, 'HEADERS_TOO_LARGE');
    });

    it('answers 431 to a request head over the size limit', async () => {
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { 'x-big': 'a'.repeat(20000) } });
      assert.equal(res.status, 431);
      assert.equal(res.json?.code, 'HEADERS_TOO_LARGE');
    });
  });

  describe('response validation (enforce)', () => {
    it('turns a contract-breaking upstream response into 502 RESPONSE_INVALID and logs the details', async () => {
      up1.respond(json(200, { items: [{ id: 'a', name: 'A', price: 'free' }] }));
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${read}`, 'x-request-id': 'resp-bad-1' } });
      assert.equal(res.status, 502);
      assert.equal(res.json?.code, 'RESPONSE_INVALID');
      assert.ok(!res.text.includes('free'), 'no upstream detail reaches the client');
      const logged = gw.logs.find((l) => l.requestId === 'resp-bad-1' && l.mode === 'enforce');
      assert.ok(logged, 'violation logged');
      assert.match(JSON.stringify(logged.violations), /\/body\/items\/0\/price/);
    });
    it('refuses an undeclared status code', async () => {
      up1.respond(json(418, { teapot: true }));
      const res = await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${read}` } });
      assert.equal(res.status, 502);
      assert.equal(res.json?.code, 'RESPONSE_INVALID');
    });
  });

  describe('access log', () => {
    it('writes one line per request with route, api, consumer and latency, never the token', async () => {
      up1.respond(json(200, { items: [] }));
      await rawRequest(gw.url, 'GET', '/shop/v1/items?limit=2', { headers: { authorization: `Bearer ${read}`, 'x-request-id': 'log-line-1' } });
      await new Promise((r) => setTimeout(r, 50));
      const lines = gw.logs.filter((l) => l.requestId === 'log-line-1' && l.type === 'access');
      assert.equal(lines.length, 1);
      const line = lines[0]!;
      assert.equal(line.method, 'GET');
      assert.equal(line.route, '/items');
      assert.equal(line.api, 'shop');
      assert.equal(line.version, '1.0.0');
      assert.equal(line.operationId, 'listItems');
      assert.equal(line.status, 200);
      assert.equal(line.consumer, 'test/acme');
      assert.equal(typeof line.latencyMs, 'number');
      assert.equal(typeof line.upstreamLatencyMs, 'number');
      assert.ok(!JSON.stringify(gw.logs).includes(read), 'no token in any log line');
    });
  });
});
