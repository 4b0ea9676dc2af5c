/**
 * What reaches the upstream is what the gateway checked: request smuggling through
 * `Expect: 100-continue`, request targets the router and the upstream could read differently,
 * and the framing of what the upstream receives, seen from a recording upstream's raw bytes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { startRecordingUpstream, sendRaw, type RecordingUpstream } from '../support/recording-upstream.js';

const FRAMING = join(import.meta.dirname, 'fixtures', 'gateway', 'framing-1.0.0.yaml');

function config(issuer: TestIssuer, upstream: string, timeoutMs = 1000): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 1000 },
    identityProviders: [issuer.provider()],
    apis: [{ id: 'items', basePath: '/items', versions: [{ version: '1.0.0', upstream }], upstream: { timeoutMs }, auth: { providers: ['test'] } }],
  };
}

/** A gateway on the framing contract in front of a recording upstream, started before and stopped after the suite it is called in. */
interface Setup {
  issuer: TestIssuer;
  upstream: RecordingUpstream;
  gw: TestGateway;
}

function framingGateway(api: Record<string, unknown> = {}): Setup {
  const setup = {} as Setup;
  before(async () => {
    setup.issuer = await createTestIssuer();
    setup.upstream = await startRecordingUpstream();
    const base = config(setup.issuer, setup.upstream.url);
    const apis = (base.apis as Array<Record<string, unknown>>).map((entry) => ({ ...entry, ...api }));
    setup.gw = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: { ...base, apis } });
  });
  after(async () => {
    await setup.gw.stop();
    await setup.upstream.close();
  });
  return setup;
}

describe('request smuggling through Expect: 100-continue', { timeout: 60_000 }, () => {
  const setup = framingGateway();
  let token: string;
  before(async () => {
    token = await setup.issuer.token({ scope: 'items:read' });
  });

  it('forwards the validated body with its own length, without Expect, when the client sends Expect with its body', async () => {
    setup.upstream.requests.length = 0;
    const body = '{"name":"widget"}';
    const res = await rawRequest(setup.gw.url, 'POST', '/items/v1/items', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', expect: '100-continue' }, body });
    assert.equal(res.status, 201);
    assert.equal(setup.upstream.requests.length, 1);
    const [seen] = setup.upstream.requests;
    assert.equal(seen!.body.toString('latin1'), body);
    assert.equal(seen!.headers['content-length'], String(body.length));
    assert.equal(seen!.headers.expect, undefined, 'Expect is answered by the gateway, not forwarded');
  });

  it('never lets a body the upstream was not sent cut the next request on a pooled connection', async () => {
    setup.upstream.requests.length = 0;
    const smuggled = 'GET /admin/delete-everything HTTP/1.1\r\nhost: upstream\r\n\r\n';
    // Sent as the attacker sends it: Expect, a declared length, and the body right away.
    const first = await sendRaw(
      setup.gw.url,
      `GET /items/v1/items/first HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer ${token}\r\nexpect: 100-continue\r\ncontent-type: text/plain\r\ncontent-length: ${smuggled.length}\r\nconnection: close\r\n\r\n${smuggled}`,
    );
    const status = Number(/HTTP\/1\.1 (\d{3}) (?!Continue)/.exec(first)?.[1]);
    const second = await rawRequest(setup.gw.url, 'GET', '/items/v1/items/second', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(second.status, 200);
    // Every request the upstream parsed is one the gateway routed, with exactly the body it checked.
    const routed = setup.upstream.requests.map((r) => `${r.method} ${r.url} ${r.body.toString('latin1')}`);
    const expected = status === 200 ? [`GET /items/first ${smuggled}`, 'GET /items/second '] : ['GET /items/second '];
    assert.deepEqual(routed, expected);
    assert.ok(!routed.some((line) => line.startsWith('GET /admin')));
  });

  it('tells the client to continue only once the request is admitted', async () => {
    setup.upstream.requests.length = 0;
    const head = (auth: string): string =>
      `POST /items/v1/items HTTP/1.1\r\nhost: gw\r\n${auth}content-type: application/json\r\ncontent-length: 17\r\nexpect: 100-continue\r\n\r\n`;
    const refused = await sendRaw(setup.gw.url, head(''), 800);
    assert.match(refused, /^HTTP\/1\.1 401 /, 'no 100 Continue before a refusal');
    assert.ok(!refused.includes('100 Continue'));
    const admitted = await sendRaw(setup.gw.url, head(`authorization: Bearer ${token}\r\n`), 800);
    assert.match(admitted, /^HTTP\/1\.1 100 Continue\r\n\r\n/, 'an admitted request is told to continue');
    assert.equal(setup.upstream.requests.length, 0, 'nothing is forwarded before the body arrives');
  });

  it('holds the upstream timeout for a request that carried Expect', async () => {
    const silent = await startRecordingUpstream(() => undefined);
    const slow = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: config(setup.issuer, silent.url, 300) });
    try {
      const res = await rawRequest(slow.url, 'POST', '/items/v1/items', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', expect: '100-continue' }, body: '{"name":"w"}' });
      assert.equal(res.status, 504);
      assert.equal(res.json?.code, 'UPSTREAM_TIMEOUT');
      assert.equal(silent.requests[0]?.body.toString(), '{"name":"w"}', 'the upstream got the whole body');
    } finally {
      await slow.stop();
      await silent.close();
    }
  });
});

describe('request target the router and the upstream could read differently', () => {
  const setup = framingGateway();

  const refused: Array<[string, string]> = [
    ['a raw "#" that makes a summary route serve the item', '/items/v1/items/123#/summary'],
    ['a raw "#" in the query', '/items/v1/items?limit=5#frag'],
    ['a double quote', '/items/v1/items/a"b'],
    ['braces', '/items/v1/items/{x}'],
    ['a pipe', '/items/v1/items/a|b'],
    ['a caret', '/items/v1/items/a^b'],
    ['a backtick', '/items/v1/items/a`b'],
    ['a raw non-ASCII byte', '/items/v1/items/caf\u00e9'],
    ['a pipe in the query', '/items/v1/items?limit=1|2'],
    ['a double quote in the query', '/items/v1/items?limit="1"'],
  ];
  for (const [name, target] of refused) {
    it(`refuses ${name} with 400 REQUEST_MALFORMED before anything reaches the upstream`, async () => {
      setup.upstream.requests.length = 0;
      const token = await setup.issuer.token({ scope: 'items:summary items:read' });
      const answer = await sendRaw(setup.gw.url, Buffer.from(`GET ${target} HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer ${token}\r\nconnection: close\r\n\r\n`, 'latin1'));
      assert.match(answer, /^HTTP\/1\.1 400 /);
      assert.match(answer, /"code":"REQUEST_MALFORMED"/);
      assert.equal(setup.upstream.requests.length, 0);
    });
  }

  const forwarded: Array<[string, string, string]> = [
    ['sub-delimiters and an escape in a path parameter', "/items/v1/items/a!$&'()*+,=:@%20b", "/items/a!$&'()*+,=:@%20b"],
    ['the query as sent', '/items/v1/items?limit=5', '/items?limit=5'],
    ['a nested operation path', '/items/v1/items/abc/summary', '/items/abc/summary'],
  ];
  for (const [name, target, upstreamTarget] of forwarded) {
    it(`forwards ${name} byte for byte`, async () => {
      setup.upstream.requests.length = 0;
      const token = await setup.issuer.token({ scope: 'items:summary items:read' });
      const res = await rawRequest(setup.gw.url, 'GET', target, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, res.text);
      assert.equal(setup.upstream.requests.length, 1);
      assert.equal(setup.upstream.requests[0]!.url, upstreamTarget);
      assert.ok(setup.upstream.wire().some((bytes) => bytes.includes(`GET ${upstreamTarget} HTTP/1.1\r\n`)), 'the request line on the wire is the routed path');
    });
  }
});

describe('framing rules without contract validation (requestValidation: false)', () => {
  const setup = framingGateway({ requestValidation: false });
  let token: string;
  before(async () => {
    token = await setup.issuer.token({ scope: 'items:read' });
  });

  const cases: Array<{ name: string; method: string; path: string; headers: Record<string, string>; body: string; status: number; code: string; pointer: string }> = [
    { name: 'a body on an operation that declares none', method: 'GET', path: '/items/v1/items/1', headers: { 'content-type': 'application/json', 'content-length': '14' }, body: '{"limit":1000}', status: 400, code: 'REQUEST_INVALID', pointer: '/body' },
    { name: 'an encoded body the gateway does not decode', method: 'POST', path: '/items/v1/items', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"name":"x"}', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', pointer: '/headers/content-encoding' },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} (${c.status} ${c.code}) and forwards nothing`, async () => {
      setup.upstream.requests.length = 0;
      const res = await rawRequest(setup.gw.url, c.method, c.path, { headers: { authorization: `Bearer ${token}`, ...c.headers }, body: c.body });
      assert.equal(res.status, c.status);
      assert.equal(res.json?.code, c.code);
      assert.deepEqual((res.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer), [c.pointer]);
      assert.equal(setup.upstream.requests.length, 0);
    });
  }

  it('forwards an invalid but well-framed body unchecked, byte for byte', async () => {
    setup.upstream.requests.length = 0;
    const body = '{"name":42}';
    const res = await rawRequest(setup.gw.url, 'POST', '/items/v1/items', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    assert.equal(res.status, 201);
    assert.equal(setup.upstream.requests[0]?.body.toString(), body);
  });
});

describe('deeply nested JSON bodies', () => {
  const setup = framingGateway();

  const bodies: Array<[string, string, string]> = [
    ['400,000 nested arrays', '['.repeat(400_000) + ']'.repeat(400_000), '/body'],
    ['100,000 nested objects under a declared property', '{"name":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}', '/body/name'],
  ];
  for (const [name, body, pointer] of bodies) {
    it(`${name}: 400 REQUEST_INVALID at ${pointer}, nothing forwarded, the process serves on`, async () => {
      setup.upstream.requests.length = 0;
      const token = await setup.issuer.token({ scope: 'items:read' });
      const res = await rawRequest(setup.gw.url, 'POST', '/items/v1/items', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400);
      assert.equal(res.json?.code, 'REQUEST_INVALID');
      assert.deepEqual((res.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer), [pointer]);
      assert.equal(setup.upstream.requests.length, 0);
      assert.equal((await rawRequest(setup.gw.url, 'GET', '/healthz')).status, 200);
    });
  }
});
