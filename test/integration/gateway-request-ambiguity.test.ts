/** Requests that the gateway and an upstream could read differently, through a real gateway to a real upstream: refused before the upstream sees them, or forwarded byte for byte. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const CONTRACT = join(import.meta.dirname, 'fixtures', 'gateway', 'ambiguity-1.0.0.yaml');
const JSON_TYPE = { 'content-type': 'application/json' };

interface Refusal {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  code: string;
  pointer: string;
}

const refusals: Refusal[] = [
  { name: 'duplicate JSON keys in a request body', method: 'POST', path: '/pay/v1/payments', headers: JSON_TYPE, body: '{"amount":1000,"amount":5}', status: 400, code: 'REQUEST_MALFORMED', pointer: '/body/amount' },
  { name: 'a body on an operation that declares none', method: 'GET', path: '/pay/v1/payments?limit=5', headers: { ...JSON_TYPE, 'content-length': '16' }, body: '{"limit":100000}', status: 400, code: 'REQUEST_INVALID', pointer: '/body' },
  { name: 'an encoded request body', method: 'POST', path: '/pay/v1/payments', headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: '{"amount":5}', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', pointer: '/headers/content-encoding' },
  { name: 'a JSON body in a non-UTF-8 charset', method: 'POST', path: '/pay/v1/payments', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: '{"amount":5}', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', pointer: '/headers/content-type' },
  { name: 'a JSON body that is not UTF-8', method: 'POST', path: '/pay/v1/payments', headers: JSON_TYPE, body: Buffer.from([0x7b, 0x22, 0x6e, 0x6f, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x2c, 0x22, 0x61, 0x6d, 0x6f, 0x75, 0x6e, 0x74, 0x22, 0x3a, 0x35, 0x7d]), status: 400, code: 'REQUEST_MALFORMED', pointer: '/body' },
  { name: 'an integer in exponent form', method: 'GET', path: '/pay/v1/payments?limit=100000e-3', status: 400, code: 'REQUEST_INVALID', pointer: '/query/limit' },
  { name: 'negative zero', method: 'GET', path: '/pay/v1/payments?limit=-0', status: 400, code: 'REQUEST_INVALID', pointer: '/query/limit' },
  { name: 'the bracket form of a declared parameter', method: 'GET', path: '/pay/v1/payments?limit[]=1000', status: 400, code: 'REQUEST_INVALID', pointer: '/query/limit[]' },
  { name: 'an operator object on a declared parameter', method: 'GET', path: '/pay/v1/payments?limit%5B%24gt%5D=0', status: 400, code: 'REQUEST_INVALID', pointer: '/query/limit[$gt]' },
  { name: 'a case variant of a declared parameter', method: 'GET', path: '/pay/v1/payments?LIMIT=1000&limit=5', status: 400, code: 'REQUEST_INVALID', pointer: '/query/LIMIT' },
  { name: 'a ";" in the query', method: 'GET', path: '/pay/v1/payments?limit=5;limit=1000', status: 400, code: 'REQUEST_MALFORMED', pointer: '/query' },
  { name: 'an undeclared parameter where the API refuses them', method: 'GET', path: '/strict/v1/payments?limit=5&debug=1', status: 400, code: 'REQUEST_INVALID', pointer: '/query/debug' },
];

interface Forward {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  upstreamPath: string;
}

const forwards: Forward[] = [
  { name: 'canonical integer', method: 'GET', path: '/pay/v1/payments?limit=100', upstreamPath: '/payments?limit=100' },
  { name: 'an undeclared parameter where the API allows them (the default)', method: 'GET', path: '/pay/v1/payments?limit=5&cachebuster=1', upstreamPath: '/payments?limit=5&cachebuster=1' },
  { name: 'distinct JSON keys', method: 'POST', path: '/pay/v1/payments', headers: JSON_TYPE, body: '{"amount":5,"note":"{\\"amount\\":1000}"}', upstreamPath: '/payments' },
  { name: 'a deepObject form field', method: 'POST', path: '/pay/v1/forms', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.c&metadata[order_id]=6735', upstreamPath: '/forms' },
  {
    name: 'a multipart body with a JSON part',
    method: 'POST',
    path: '/pay/v1/forms',
    headers: { 'content-type': 'multipart/form-data; boundary=b0' },
    body: '--b0\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"title":"T"}\r\n--b0\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b0--\r\n',
    upstreamPath: '/forms',
  },
];

describe('gateway: ambiguous requests and responses', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    upstream = await startUpstream(json(200, { amount: 5 }));
    gw = await startTestGateway({
      contracts: { 'pay/1.0.0': CONTRACT, 'strict/1.0.0': CONTRACT },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        apis: [
          { id: 'pay', basePath: '/pay', versions: [{ version: '1.0.0' }], upstream: { url: upstream.url }, responseValidation: 'enforce' },
          { id: 'strict', basePath: '/strict', versions: [{ version: '1.0.0' }], upstream: { url: upstream.url }, undeclaredParameters: 'refuse' },
        ],
      },
    });
  });
  after(async () => {
    try {
      await gw?.stop();
    } finally {
      await upstream.close();
    }
  });

  for (const scenario of refusals) {
    it(`refuses ${scenario.name} (${scenario.status} ${scenario.code}) before the upstream sees it`, async () => {
      const seen = upstream.received.length;
      const res = await rawRequest(gw.url, scenario.method, scenario.path, { headers: scenario.headers, body: scenario.body });
      assert.equal(res.status, scenario.status, res.text);
      assert.equal(res.json?.code, scenario.code);
      assert.deepEqual((res.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer), [scenario.pointer]);
      assert.equal(upstream.received.length, seen);
    });
  }

  for (const scenario of forwards) {
    it(`forwards ${scenario.name} byte for byte`, async () => {
      upstream.respond(scenario.path.includes('/forms') ? (_req, res) => res.writeHead(204).end() : json(200, { amount: 5 }));
      const seen = upstream.received.length;
      const res = await rawRequest(gw.url, scenario.method, scenario.path, { headers: scenario.headers, body: scenario.body });
      assert.equal(res.status, scenario.path.includes('/forms') ? 204 : 200, res.text);
      assert.equal(upstream.received.length, seen + 1);
      const received = upstream.received[seen]!;
      assert.equal(received.url, scenario.upstreamPath);
      assert.equal(received.body.toString('latin1'), scenario.body ?? '');
    });
  }

  it('answers 502 RESPONSE_INVALID (enforce) when the upstream repeats a member name', async () => {
    upstream.respond((_req, res) => {
      const body = '{"amount":1000,"amount":5}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
    const res = await rawRequest(gw.url, 'GET', '/pay/v1/payments?limit=5');
    assert.equal(res.status, 502, res.text);
    assert.equal(res.json?.code, 'RESPONSE_INVALID');
  });
});
