// checkResponse of compiled operations: declared status (exact, range, default), media type, body schema.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ResponseCheck } from '../../src/contracts/compile/index.js';
import { contracts, jsonError } from './fixtures/compile/compiled-fixtures.js';

interface Scenario {
  name: string;
  version?: '3.0' | '3.1';
  op: string;
  status: number;
  contentType?: string;
  body?: string | object;
  expect: ResponseCheck;
}

const ORDER = { id: 1, status: 'open', items: [{ sku: 'ABC-1', price: 2 }], createdAt: '2026-01-02T03:04:05Z' };
const JSON_TYPE = 'application/json';
const OK = { ok: true } as const;

function invalid(...violations: Array<[pointer: string, message: string, keyword: string]>): ResponseCheck {
  const list = violations.map(([pointer, message, keyword]) => ({ pointer, message, keyword }));
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : '';
  return { ok: false, violations: list, detail: `response does not match the contract: ${list[0]!.pointer} ${list[0]!.message}${more}` };
}

const scenarios: Scenario[] = [
  { name: 'exact status, valid body; writeOnly secret not required in a response', op: 'GET /orders', status: 200, contentType: JSON_TYPE, body: [ORDER], expect: OK },
  {
    name: 'readOnly id is required in a response',
    op: 'GET /orders',
    status: 200,
    contentType: JSON_TYPE,
    body: [{ status: 'open', items: [{ sku: 'ABC-1', price: 2 }] }],
    expect: invalid(['/body/0/id', 'missing required property "id"', 'required']),
  },
  {
    name: 'schema mismatch, every violation with its pointer',
    op: 'GET /orders',
    status: 200,
    contentType: JSON_TYPE,
    body: [ORDER, { ...ORDER, status: 'lost', items: [{ sku: 'ABC-1', price: -2 }], createdAt: 'yesterday' }],
    expect: invalid(
      ['/body/1/status', 'must be one of: "open", "shipped", "cancelled"', 'enum'],
      ['/body/1/items/0/price', 'must be >= 0', 'minimum'],
      ['/body/1/createdAt', 'must be a valid "date-time"', 'format'],
    ),
  },
  { name: 'writeOnly property of an allOf member is not required in a response', op: 'POST /receipts', status: 201, contentType: JSON_TYPE, body: { stampId: 'r1', amount: 5 }, expect: OK },
  {
    name: 'readOnly property of an allOf member is required in a response',
    op: 'POST /receipts',
    status: 201,
    contentType: JSON_TYPE,
    body: { amount: 5 },
    expect: invalid(['/body/stampId', 'missing required property "stampId"', 'required']),
  },
  { name: 'charset parameter of the content type is ignored', op: 'GET /orders', status: 200, contentType: 'application/json; charset=utf-8', body: [], expect: OK },
  { name: '4XX range with its +json media type', op: 'GET /orders', status: 404, contentType: 'application/problem+json', body: { code: 'NOT_FOUND' }, expect: OK },
  {
    name: '4XX range schema mismatch',
    op: 'GET /orders',
    status: 429,
    contentType: 'application/problem+json',
    body: {},
    expect: invalid(['/body/code', 'missing required property "code"', 'required']),
  },
  {
    name: 'media type not declared for the status',
    op: 'GET /orders',
    status: 400,
    contentType: JSON_TYPE,
    body: { code: 'X' },
    expect: invalid(['/headers/content-type', 'media type "application/json" is not declared for response 4XX (declared: application/problem+json)', 'mediaType']),
  },
  {
    name: 'content-type missing on a body',
    op: 'GET /orders',
    status: 200,
    body: [],
    expect: invalid(['/headers/content-type', 'content-type is missing (declared for response 200: application/json)', 'mediaType']),
  },
  { name: 'empty body without content-type is accepted', op: 'GET /orders', status: 200, expect: OK },
  { name: 'default entry without content, empty body', op: 'GET /orders', status: 503, expect: OK },
  {
    name: 'default entry without content, but a body',
    op: 'GET /orders',
    status: 503,
    contentType: 'text/html',
    body: '<h1>down</h1>',
    expect: invalid(['/body', 'response default declares no body, got 13 bytes', 'mediaType']),
  },
  {
    name: 'undeclared status lists the declared ones',
    op: 'GET /orders/{orderId}',
    status: 500,
    expect: invalid(['/status', 'status 500 is not declared (declared: 200, 404)', 'status']),
  },
  { name: 'exact status without content', op: 'GET /orders/{orderId}', status: 404, expect: OK },
  {
    name: 'body that is not JSON',
    op: 'GET /orders/{orderId}',
    status: 200,
    contentType: JSON_TYPE,
    body: '{"id":',
    expect: invalid(['/body', `body is not valid JSON: ${jsonError('{"id":')}`, 'parse']),
  },
  { name: 'exact 204 without content', op: 'PATCH /orders/{orderId}', status: 204, expect: OK },
  {
    name: '3.1: type array and nullable in a response',
    version: '3.1',
    op: 'POST /shapes',
    status: 201,
    contentType: JSON_TYPE,
    body: { label: null, note: null },
    expect: invalid(['/body/note', 'must be string', 'type']),
  },
];

describe('compiled response validators', () => {
  for (const scenario of scenarios) {
    it(scenario.name, () => {
      const contract = contracts[scenario.version ?? '3.0']!;
      const [method, pathTemplate] = scenario.op.split(' ');
      const operation = contract.operations.find((o) => o.method === method && o.pathTemplate === pathTemplate);
      assert.ok(operation, `operation ${scenario.op}`);
      const body = scenario.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof scenario.body === 'string' ? scenario.body : JSON.stringify(scenario.body));
      assert.deepStrictEqual(operation.checkResponse(scenario.status, scenario.contentType, body), scenario.expect);
    });
  }
});
