// The `kind` label of validation failures, from verdicts of real compiled operations (the compile fixtures).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { contracts } from './fixtures/compile/compiled-fixtures.js';
import { requestViolationKind, responseViolationKind } from '../../src/observability/violation-kinds.js';

const TENANT = { 'x-tenant': 'acme' };
const JSON_HEADERS = { 'content-type': 'application/json' };

function operation(op: string) {
  const [method, template] = op.split(' ') as [string, string];
  const found = contracts['3.0']!.operations.find((o) => o.method === method && o.pathTemplate === template);
  assert.ok(found, op);
  return found;
}

describe('validation failure kinds', () => {
  const requests: Array<{ name: string; op: string; path?: Record<string, string>; query?: string; headers?: IncomingHttpHeaders; body?: string; kind: string }> = [
    { name: 'a query parameter out of range', op: 'GET /orders', query: 'limit=500', headers: TENANT, kind: 'query' },
    { name: 'a required header missing', op: 'GET /orders', kind: 'header' },
    { name: 'a cookie too short', op: 'GET /orders', headers: { ...TENANT, cookie: 'session=ab' }, kind: 'cookie' },
    { name: 'a path parameter of the wrong type', op: 'GET /orders/{orderId}', path: { orderId: 'abc' }, kind: 'path' },
    { name: 'a body of the wrong type', op: 'POST /orders', headers: JSON_HEADERS, body: '[]', kind: 'body' },
    { name: 'a body in a media type not declared', op: 'POST /orders', headers: { 'content-type': 'text/plain' }, body: 'x', kind: 'media-type' },
    { name: 'a body that is not JSON', op: 'POST /orders', headers: JSON_HEADERS, body: '{"status":', kind: 'malformed' },
  ];
  for (const c of requests) {
    it(`request: ${c.name} is ${c.kind}`, () => {
      const verdict = operation(c.op).checkRequest({ pathParams: c.path ?? {}, rawQuery: c.query ?? '', headers: c.headers ?? {}, body: c.body === undefined ? undefined : Buffer.from(c.body) });
      assert.equal(verdict.ok, false);
      if (verdict.ok) return;
      assert.equal(requestViolationKind(verdict.code, verdict.violations), c.kind);
    });
  }

  const responses: Array<{ name: string; status: number; contentType?: string; body: string; kind: string }> = [
    { name: 'a status the operation does not declare', status: 418, contentType: 'application/json', body: '{}', kind: 'status' },
    { name: 'a media type not declared', status: 200, contentType: 'text/html', body: '<p>', kind: 'media-type' },
    { name: 'a body that is not JSON', status: 200, contentType: 'application/json', body: '{"id":', kind: 'body-syntax' },
    { name: 'a body against the schema', status: 200, contentType: 'application/json', body: '{"id":"not-a-number"}', kind: 'body-schema' },
  ];
  for (const c of responses) {
    it(`response: ${c.name} is ${c.kind}`, () => {
      const verdict = operation('GET /orders/{orderId}').checkResponse(c.status, c.contentType, Buffer.from(c.body));
      assert.equal(verdict.ok, false);
      if (verdict.ok) return;
      assert.equal(responseViolationKind(verdict.violations), c.kind);
    });
  }
});
