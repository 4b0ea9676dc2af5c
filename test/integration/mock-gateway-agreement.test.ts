/**
 * `accord mock` and the gateway answer the same bad request with the same problem: status, code,
 * JSON pointers and Allow, so that a partner who tried the mock meets no surprise behind the gateway.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startMockServer, type RunningMock } from '../../src/mock/mock-server.js';
import { startTestGateway, createTestIssuer, type TestGateway } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';

const ORDERS_V1 = join(import.meta.dirname, '..', '..', 'contracts', 'orders', '1.0.0.yaml');

/** What must agree between the two answers. */
function shapeOf(res: RawResponse): Record<string, unknown> {
  const errors = Array.isArray(res.json?.errors) ? (res.json.errors as Array<{ pointer: string }>) : [];
  return {
    status: res.status,
    contentType: res.headers['content-type'],
    code: res.json?.code,
    problemStatus: res.json?.status,
    pointers: errors.map((e) => e.pointer).sort(),
    allow: res.headers.allow,
  };
}

describe('mock and gateway agree on problems', () => {
  let mock: RunningMock;
  let gw: TestGateway;
  let token: string;

  before(async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    mock = await startMockServer({ contractFile: ORDERS_V1, log: () => undefined });
    gw = await startTestGateway({
      contracts: { 'orders/1.0.0': ORDERS_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'orders', basePath: '/orders', versions: [{ version: '1.0.0', upstream: mock.url }], auth: { providers: ['test'] } }],
      },
    });
    token = await issuer.token({ scope: 'orders:read orders:write' });
  });
  after(async () => {
    await gw?.stop();
    await mock?.close();
  });

  const validOrder = { customerId: 'cus_4d9h2k7m1p3q', currency: 'EUR', lineItems: [{ sku: 'SKU-TEA-0042', quantity: 2, unitPrice: '4.50' }] };
  const json = { 'content-type': 'application/json' };
  const scenarios: Array<{ name: string; method: string; url: string; body?: string; headers?: Record<string, string>; status: number; code?: string }> = [
    { name: 'unknown query parameter', method: 'GET', url: '/orders?colour=red', status: 400, code: 'REQUEST_INVALID' },
    { name: 'query values out of range and outside the enum', method: 'GET', url: '/orders?limit=0&status=lost', status: 400, code: 'REQUEST_INVALID' },
    { name: 'path parameter that breaks its pattern', method: 'GET', url: '/orders/123', status: 400, code: 'REQUEST_INVALID' },
    { name: 'header parameter that breaks its pattern', method: 'POST', url: '/orders', body: JSON.stringify(validOrder), headers: { ...json, 'idempotency-key': 'not valid!' }, status: 400, code: 'REQUEST_INVALID' },
    {
      name: 'body with a missing, an extra and an out-of-range property',
      method: 'POST',
      url: '/orders',
      body: JSON.stringify({ customerId: 'cus_4d9h2k7m1p3q', lineItems: [{ sku: 'SKU-TEA-0042', quantity: 0, unitPrice: '4.50' }], coupon: 'FREE' }),
      headers: json,
      status: 400,
      code: 'REQUEST_INVALID',
    },
    { name: 'body with a wrongly typed nested property', method: 'POST', url: '/orders', body: JSON.stringify({ ...validOrder, lineItems: [{ sku: 'SKU-TEA-0042', quantity: '2', unitPrice: 4.5 }] }), headers: json, status: 400, code: 'REQUEST_INVALID' },
    { name: 'enum violation in the cancellation reason', method: 'POST', url: '/orders/ord_8f3k2m9x1q7w4z6p/cancellation', body: '{"reason":"bored"}', headers: json, status: 400, code: 'REQUEST_INVALID' },
    { name: 'body that is not JSON', method: 'POST', url: '/orders', body: '{"customerId":', headers: json, status: 400, code: 'REQUEST_MALFORMED' },
    { name: 'path the contract does not declare', method: 'GET', url: '/customers', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'method the path does not declare', method: 'DELETE', url: '/orders/ord_8f3k2m9x1q7w4z6p', status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'method the collection does not declare', method: 'PUT', url: '/orders', body: JSON.stringify(validOrder), headers: json, status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'body of an undeclared media type', method: 'POST', url: '/orders', body: 'two teas please', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'required body missing', method: 'POST', url: '/orders', status: 400, code: 'REQUEST_INVALID' },
    { name: 'HEAD on a GET operation', method: 'HEAD', url: '/orders?limit=1', status: 200 },
  ];
  for (const s of scenarios) {
    it(`${s.name}: ${s.status} ${s.code ?? ''}`, async () => {
      const direct = await rawRequest(mock.url, s.method, s.url, { body: s.body, headers: s.headers });
      const proxied = await rawRequest(gw.url, s.method, `/orders/v1${s.url}`, { body: s.body, headers: { ...s.headers, authorization: `Bearer ${token}` } });
      assert.deepEqual(shapeOf(direct), shapeOf(proxied), `mock: ${direct.text}\ngateway: ${proxied.text}`);
      assert.equal(proxied.status, s.status, proxied.text);
      assert.equal(proxied.json?.code, s.code);
    });
  }
});
