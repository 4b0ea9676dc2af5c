// checkRequest of compiled operations: one named scenario per violation class, with exact violations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract, type RequestCheck } from '../../src/contracts/compile/index.js';
import { contracts, fixture, jsonError } from './fixtures/compile/compiled-fixtures.js';

interface Scenario {
  name: string;
  version?: '3.0' | '3.1';
  op: string;
  path?: Record<string, string>;
  query?: string;
  headers?: IncomingHttpHeaders;
  body?: string | object;
  expect: RequestCheck;
}

const TENANT = { 'x-tenant': 'acme' };
const ORDER = { status: 'open', secret: 's3cret', items: [{ sku: 'ABC-1', price: 2.5 }] };
const JSON_HEADERS = { 'content-type': 'application/json' };
const OK = { ok: true } as const;

const scenarios: Scenario[] = [
  // query parameters, every style
  {
    name: 'query: every style and coercion accepted',
    op: 'GET /orders',
    query:
      'limit=10&status=open&tags=a&tags=b&ids=1,2&active=true&words=ab%20cd&fields=id|status' +
      '&filter[minTotal]=5&filter[currency]=EUR&lat=45.5&lon=7&q=abcd&where=%7B%22field%22%3A%22x%22%7D&unknown=1',
    headers: { ...TENANT, 'x-trace-ids': '1, 2', cookie: 'other=1; session=abc', accept: 'text/html' },
    expect: OK,
  },
  { name: 'query: integer that is not a number', op: 'GET /orders', query: 'limit=abc', headers: TENANT, expect: invalid(['/query/limit', 'must be integer', 'type']) },
  { name: 'query: integer with a fraction', op: 'GET /orders', query: 'limit=1.5', headers: TENANT, expect: invalid(['/query/limit', 'must be integer', 'type']) },
  { name: 'query: maximum', op: 'GET /orders', query: 'limit=500', headers: TENANT, expect: invalid(['/query/limit', 'must be <= 100', 'maximum']) },
  {
    name: 'query: enum names the allowed values',
    op: 'GET /orders',
    query: 'status=lost',
    headers: TENANT,
    expect: invalid(['/query/status', 'must be one of: "open", "shipped", "cancelled"', 'enum']),
  },
  { name: 'query: boolean coercion', op: 'GET /orders', query: 'active=yes', headers: TENANT, expect: invalid(['/query/active', 'must be boolean', 'type']) },
  {
    name: 'query: form explode array (repeated key) maxItems',
    op: 'GET /orders',
    query: 'tags=a&tags=b&tags=c&tags=d',
    headers: TENANT,
    expect: invalid(['/query/tags', 'must NOT have more than 3 items', 'maxItems']),
  },
  { name: 'query: form array, explode false (commas)', op: 'GET /orders', query: 'ids=1,x', headers: TENANT, expect: invalid(['/query/ids/1', 'must be integer', 'type']) },
  {
    name: 'query: spaceDelimited array',
    op: 'GET /orders',
    query: 'words=a%20bb',
    headers: TENANT,
    expect: invalid(['/query/words/0', 'must NOT have fewer than 2 characters', 'minLength']),
  },
  {
    name: 'query: pipeDelimited array',
    op: 'GET /orders',
    query: 'fields=id|foo',
    headers: TENANT,
    expect: invalid(['/query/fields/1', 'must be one of: "id", "status", "total"', 'enum']),
  },
  {
    name: 'query: deepObject members, coerced, with additionalProperties',
    op: 'GET /orders',
    query: 'filter[minTotal]=-1&filter[currency]=GBP&filter[other]=1',
    headers: TENANT,
    expect: invalid(
      ['/query/filter/other', 'property "other" is not allowed', 'additionalProperties'],
      ['/query/filter/minTotal', 'must be >= 0', 'minimum'],
      ['/query/filter/currency', 'must be one of: "EUR", "USD"', 'enum'],
    ),
  },
  { name: 'query: form explode object spreads over the query', op: 'GET /orders', query: 'lat=100&lon=1', headers: TENANT, expect: invalid(['/query/coords/lat', 'must be <= 90', 'maximum']) },
  { name: 'query: allowEmptyValue accepts an empty value', op: 'GET /orders', query: 'q=', headers: TENANT, expect: OK },
  {
    name: 'query: allowEmptyValue still checks other values',
    op: 'GET /orders',
    query: 'q=ab',
    headers: TENANT,
    expect: invalid(['/query/q', 'must NOT have fewer than 3 characters', 'minLength']),
  },
  {
    name: 'query: content parameter that is not JSON',
    op: 'GET /orders',
    query: 'where=%7Bbad',
    headers: TENANT,
    expect: invalid(['/query/where', `is not valid JSON: ${jsonError('{bad')}`, 'parse']),
  },
  {
    name: 'query: content parameter checked against its schema',
    op: 'GET /orders',
    query: 'where=%7B%7D',
    headers: TENANT,
    expect: invalid(['/query/where/field', 'missing required property "field"', 'required']),
  },
  {
    name: 'query: a scalar parameter repeated is ambiguous',
    op: 'GET /orders',
    query: 'limit=1&limit=2',
    headers: TENANT,
    expect: invalid(['/query/limit', 'must appear once (found 2 values)', 'duplicate']),
  },
  // headers and cookies
  { name: 'header: required header missing', op: 'GET /orders', expect: invalid(['/headers/x-tenant', 'missing required property "x-tenant"', 'required']) },
  { name: 'header: pattern', op: 'GET /orders', headers: { 'x-tenant': 'ACME' }, expect: invalid(['/headers/x-tenant', 'must match pattern "^[a-z]+$"', 'pattern']) },
  { name: 'header: simple array with padding', op: 'GET /orders', headers: { ...TENANT, 'x-trace-ids': '1 , x' }, expect: invalid(['/headers/x-trace-ids/1', 'must be integer', 'type']) },
  {
    name: 'cookie: form value',
    op: 'GET /orders',
    headers: { ...TENANT, cookie: 'session=ab' },
    expect: invalid(['/cookies/session', 'must NOT have fewer than 3 characters', 'minLength']),
  },
  {
    name: 'every parameter violation at once, in path/query/headers/cookies order',
    op: 'GET /orders',
    query: 'status=lost&limit=0',
    headers: { cookie: 'session=x' },
    expect: invalid(
      ['/query/limit', 'must be >= 1', 'minimum'],
      ['/query/status', 'must be one of: "open", "shipped", "cancelled"', 'enum'],
      ['/headers/x-tenant', 'missing required property "x-tenant"', 'required'],
      ['/cookies/session', 'must NOT have fewer than 3 characters', 'minLength'],
    ),
  },
  // path parameters
  { name: 'path: simple integer', op: 'GET /orders/{orderId}', path: { orderId: '42' }, expect: OK },
  { name: 'path: integer coercion', op: 'GET /orders/{orderId}', path: { orderId: 'abc' }, expect: invalid(['/path/orderId', 'must be integer', 'type']) },
  { name: 'path: minimum', op: 'GET /orders/{orderId}', path: { orderId: '0' }, expect: invalid(['/path/orderId', 'must be >= 1', 'minimum']) },
  { name: 'path: simple array', op: 'GET /items/{ids}', path: { ids: '1,2,x' }, expect: invalid(['/path/ids/2', 'must be integer', 'type']) },
  { name: 'path: simple array maxItems', op: 'GET /items/{ids}', path: { ids: '1,2,3,4' }, expect: invalid(['/path/ids', 'must NOT have more than 3 items', 'maxItems']) },
  { name: 'path: label array', op: 'GET /colors/{color}', path: { color: '.red,blue' }, expect: OK },
  {
    name: 'path: label array item enum',
    op: 'GET /colors/{color}',
    path: { color: '.red,pink' },
    expect: invalid(['/path/color/1', 'must be one of: "red", "green", "blue"', 'enum']),
  },
  {
    name: 'path: label style broken (reported once, not also missing)',
    op: 'GET /colors/{color}',
    path: { color: 'red' },
    expect: invalid(['/path/color', 'must be serialised in label style (starting with ".")', 'style']),
  },
  { name: 'path: matrix exploded object', op: 'GET /points/{point}', path: { point: ';x=1;y=2' }, expect: OK },
  { name: 'path: matrix object member coercion', op: 'GET /points/{point}', path: { point: ';x=1;y=b' }, expect: invalid(['/path/point/y', 'must be integer', 'type']) },
  { name: 'path: matrix object required member', op: 'GET /points/{point}', path: { point: ';x=1' }, expect: invalid(['/path/point/y', 'missing required property "y"', 'required']) },
  { name: 'path: matrix primitive', op: 'GET /sizes/{size}', path: { size: ';size=M' }, expect: OK },
  { name: 'path: matrix primitive enum', op: 'GET /sizes/{size}', path: { size: ';size=XL' }, expect: invalid(['/path/size', 'must be one of: "S", "M", "L"', 'enum']) },
  {
    name: 'path: matrix prefix missing',
    op: 'GET /sizes/{size}',
    path: { size: 'M' },
    expect: invalid(['/path/size', 'must be serialised in matrix style (starting with ";size=")', 'style']),
  },
  { name: 'path: matrix empty value', op: 'GET /sizes/{size}', path: { size: ';size' }, expect: invalid(['/path/size', 'must be one of: "S", "M", "L"', 'enum']) },
  { name: 'path: percent-decoded after splitting (%2F is a slash)', op: 'GET /docs/{file}', path: { file: 'guides%2Fintro' }, expect: OK },
  // JSON bodies
  { name: 'body: valid; readOnly id and createdAt not required in a request', op: 'POST /orders', headers: JSON_HEADERS, body: ORDER, expect: { ok: true, body: ORDER } },
  {
    name: 'body: writeOnly secret is still required in a request',
    op: 'POST /orders',
    headers: JSON_HEADERS,
    body: { status: 'open', items: [{ sku: 'ABC-1', price: 1 }] },
    expect: invalid(['/body/secret', 'missing required property "secret"', 'required']),
  },
  {
    name: 'body: readOnly property of an allOf member is not required in a request',
    op: 'POST /receipts',
    headers: JSON_HEADERS,
    body: { pin: '1234', amount: 5 },
    expect: { ok: true, body: { pin: '1234', amount: 5 } },
  },
  {
    name: 'body: writeOnly property of an allOf member is required in a request',
    op: 'POST /receipts',
    headers: JSON_HEADERS,
    body: { amount: 5 },
    expect: invalid(['/body/pin', 'missing required property "pin"', 'required']),
  },
  { name: 'body: type', op: 'POST /orders', headers: JSON_HEADERS, body: [], expect: invalid(['/body', 'must be object', 'type']) },
  {
    name: 'body: additionalProperties points at the extra property',
    op: 'POST /orders',
    headers: JSON_HEADERS,
    body: { ...ORDER, extra: 1 },
    expect: invalid(['/body/extra', 'property "extra" is not allowed', 'additionalProperties']),
  },
  { name: 'body: format', op: 'POST /orders', headers: JSON_HEADERS, body: { ...ORDER, email: 'nope' }, expect: invalid(['/body/email', 'must be a valid "email"', 'format']) },
  {
    name: 'body: nested pointers with ~1 and ~0 escaping, every violation',
    op: 'POST /orders',
    headers: JSON_HEADERS,
    body: { ...ORDER, 'a/b~c': 'x', items: [{ sku: 'ABC-1', price: 1 }, { sku: 'abc', price: -1 }] },
    expect: invalid(
      ['/body/items/1/sku', 'must match pattern "^[A-Z]{3}-\\d+$"', 'pattern'],
      ['/body/items/1/price', 'must be >= 0', 'minimum'],
      ['/body/a~1b~0c', 'must be integer', 'type'],
    ),
  },
  {
    name: 'body: 3.0 boolean exclusiveMinimum/exclusiveMaximum',
    op: 'POST /orders',
    headers: JSON_HEADERS,
    body: { ...ORDER, total: 0, items: [{ sku: 'ABC-1', price: 1, discount: 100 }] },
    expect: invalid(['/body/total', 'must be > 0', 'exclusiveMinimum'], ['/body/items/0/discount', 'must be < 100', 'exclusiveMaximum']),
  },
  { name: 'body: 3.0 nullable accepts null (with type, and beside allOf)', op: 'POST /orders', headers: JSON_HEADERS, body: { ...ORDER, note: null, coupon: null }, expect: { ok: true, body: { ...ORDER, note: null, coupon: null } } },
  { name: 'body: 3.0 nullable still checks other values', op: 'POST /orders', headers: JSON_HEADERS, body: { ...ORDER, note: 5 }, expect: invalid(['/body/note', 'must be string or null', 'type']) },
  {
    name: 'body: schema in a relative file ($ref ./common-30.yaml)',
    op: 'POST /orders',
    headers: JSON_HEADERS,
    body: { ...ORDER, meta: { source: 'tv', size: 3 } },
    expect: invalid(['/body/meta/size', 'must be string', 'type'], ['/body/meta/source', 'must be one of: "web", "app"', 'enum']),
  },
  { name: 'body: required body missing', op: 'POST /orders', headers: JSON_HEADERS, expect: invalid(['/body', 'request body is required', 'required']) },
  {
    name: 'body: malformed JSON',
    op: 'POST /orders',
    headers: JSON_HEADERS,
    body: '{"status":',
    expect: {
      ok: false,
      code: 'REQUEST_MALFORMED',
      violations: [{ pointer: '/body', message: `body is not valid JSON: ${jsonError('{"status":')}`, keyword: 'parse' }],
      detail: `request body is not valid JSON: ${jsonError('{"status":')}`,
    },
  },
  { name: 'body: charset and case of the media type are ignored', op: 'POST /orders', headers: { 'content-type': 'Application/JSON; charset=UTF-8' }, body: ORDER, expect: { ok: true, body: ORDER } },
  {
    name: 'body: 415 lists the allowed media types',
    op: 'POST /orders',
    headers: { 'content-type': 'text/xml' },
    body: '<order/>',
    expect: {
      ok: false,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      violations: [{ pointer: '/headers/content-type', message: 'media type "text/xml" is not accepted (allowed: application/json, application/x-www-form-urlencoded)', keyword: 'mediaType' }],
      detail: 'media type "text/xml" is not accepted; allowed: application/json, application/x-www-form-urlencoded',
    },
  },
  {
    name: 'body: 415 without a content-type',
    op: 'POST /orders',
    body: ORDER,
    expect: {
      ok: false,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      violations: [{ pointer: '/headers/content-type', message: 'content-type is missing (allowed: application/json, application/x-www-form-urlencoded)', keyword: 'mediaType' }],
      detail: 'request body without content-type; allowed: application/json, application/x-www-form-urlencoded',
    },
  },
  {
    name: 'body: form-urlencoded parsed and typed',
    op: 'POST /orders',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=Pen+blue&quantity=2&gift=true&tags=a&tags=b&codes=1,2',
    expect: { ok: true, body: { name: 'Pen blue', quantity: 2, gift: true, tags: ['a', 'b'], codes: [1, 2] } },
  },
  {
    name: 'body: form-urlencoded violations',
    op: 'POST /orders',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'quantity=0&tags=a&tags=b&tags=c&codes=1,x',
    expect: invalid(
      ['/body/name', 'missing required property "name"', 'required'],
      ['/body/quantity', 'must be >= 1', 'minimum'],
      ['/body/tags', 'must NOT have more than 2 items', 'maxItems'],
      ['/body/codes/1', 'must be integer', 'type'],
    ),
  },
  {
    name: 'body: application/*+json range takes a +json type',
    op: 'PATCH /orders/{orderId}',
    path: { orderId: '1' },
    headers: { 'content-type': 'application/merge-patch+json' },
    body: { a: 1, b: 2 },
    expect: invalid(['/body', 'must NOT have more than 1 properties', 'maxProperties']),
  },
  {
    name: 'body: application/*+json range does not take application/json',
    op: 'PATCH /orders/{orderId}',
    path: { orderId: '1' },
    headers: JSON_HEADERS,
    body: { a: 1 },
    expect: {
      ok: false,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      violations: [{ pointer: '/headers/content-type', message: 'media type "application/json" is not accepted (allowed: application/*+json)', keyword: 'mediaType' }],
      detail: 'media type "application/json" is not accepted; allowed: application/*+json',
    },
  },
  { name: 'body: optional body absent', op: 'PATCH /orders/{orderId}', path: { orderId: '1' }, expect: OK },
  { name: 'body: octet-stream checked for presence only', op: 'PUT /orders/{orderId}', path: { orderId: '1' }, headers: { 'content-type': 'application/octet-stream' }, body: 'raw', expect: OK },
  { name: 'body: text/* range, presence only', op: 'PUT /orders/{orderId}', path: { orderId: '1' }, headers: { 'content-type': 'text/plain' }, body: 'hello', expect: OK },
  { name: 'body: required octet-stream body missing', op: 'PUT /orders/{orderId}', path: { orderId: '1' }, expect: invalid(['/body', 'request body is required', 'required']) },
  { name: 'body: */* takes a body without content-type', op: 'POST /uploads', body: 'anything', expect: OK },
  // OpenAPI 3.1 keywords
  {
    name: '3.1: valid shape',
    version: '3.1',
    op: 'POST /shapes',
    headers: JSON_HEADERS,
    body: { kind: 'circle', radius: 2, unit: 'cm', point: [1, 2], label: null, name: 'ab' },
    expect: { ok: true, body: { kind: 'circle', radius: 2, unit: 'cm', point: [1, 2], label: null, name: 'ab' } },
  },
  { name: '3.1: prefixItems without minItems accepts a shorter tuple', version: '3.1', op: 'POST /shapes', headers: JSON_HEADERS, body: { point: [1] }, expect: { ok: true, body: { point: [1] } } },
  { name: '3.1: prefixItems item type', version: '3.1', op: 'POST /shapes', headers: JSON_HEADERS, body: { point: [1, 'a'] }, expect: invalid(['/body/point/1', 'must be number', 'type']) },
  { name: '3.1: const', version: '3.1', op: 'POST /shapes', headers: JSON_HEADERS, body: { kind: 'square' }, expect: invalid(['/body/kind', 'must be equal to "circle"', 'const']) },
  { name: '3.1: type array with null', version: '3.1', op: 'POST /shapes', headers: JSON_HEADERS, body: { label: 5 }, expect: invalid(['/body/label', 'must be string or null', 'type']) },
  { name: '3.1: nullable has no meaning', version: '3.1', op: 'POST /shapes', headers: JSON_HEADERS, body: { note: null }, expect: invalid(['/body/note', 'must be string', 'type']) },
  {
    name: '3.1: unevaluatedProperties across allOf',
    version: '3.1',
    op: 'POST /shapes',
    headers: JSON_HEADERS,
    body: { label: 'a', zzz: 1 },
    expect: invalid(['/body/zzz', 'property "zzz" is not allowed (not evaluated by any subschema)', 'unevaluatedProperties']),
  },
  {
    name: '3.1: dependentRequired',
    version: '3.1',
    op: 'POST /shapes',
    headers: JSON_HEADERS,
    body: { radius: 1 },
    expect: invalid(['/body/unit', 'missing property "unit", required when "radius" is present', 'dependentRequired']),
  },
  { name: '3.1: if/then', version: '3.1', op: 'POST /shapes', headers: JSON_HEADERS, body: { kind: 'circle' }, expect: invalid(['/body/radius', 'missing required property "radius"', 'required']) },
  {
    name: '3.1: $ref into $defs',
    version: '3.1',
    op: 'POST /shapes',
    headers: JSON_HEADERS,
    body: { radius: 1, unit: 'mm' },
    expect: invalid(['/body/unit', 'must be one of: "cm", "in"', 'enum']),
  },
  {
    name: '3.1: $ref with sibling keywords (both apply)',
    version: '3.1',
    op: 'POST /shapes',
    headers: JSON_HEADERS,
    body: { name: 'abcde' },
    expect: invalid(['/body/name', 'must NOT have more than 4 characters', 'maxLength']),
  },
  {
    name: '3.1: $id inside a component ($ref by $id, #/$defs inside the resource, #/components from it)',
    version: '3.1',
    op: 'POST /tagged',
    headers: JSON_HEADERS,
    body: { tag: 'toolong', name: 'a' },
    expect: invalid(['/body/tag', 'must NOT have more than 5 characters', 'maxLength'], ['/body/name', 'must NOT have fewer than 2 characters', 'minLength']),
  },
  { name: '3.1: path parameter with a type array', version: '3.1', op: 'GET /shapes/{id}', path: { id: 'x' }, expect: invalid(['/path/id', 'must be integer or null', 'type']) },
  { name: '3.1: oneOf parameter coerces when a branch is numeric', version: '3.1', op: 'GET /shapes/{id}', path: { id: '1' }, query: 'mode=5', expect: OK },
  { name: '3.1: oneOf parameter keeps text for the const branch', version: '3.1', op: 'GET /shapes/{id}', path: { id: '1' }, query: 'mode=all', expect: OK },
  {
    name: '3.1: oneOf parameter matching no branch',
    version: '3.1',
    op: 'GET /shapes/{id}',
    path: { id: '1' },
    query: 'mode=some',
    expect: invalid(
      ['/query/mode', 'must be integer', 'type'],
      ['/query/mode', 'must be equal to "all"', 'const'],
      ['/query/mode', 'must match exactly one schema in oneOf', 'oneOf'],
    ),
  },
];

function invalid(...violations: Array<[pointer: string, message: string, keyword: string]>): RequestCheck {
  const list = violations.map(([pointer, message, keyword]) => ({ pointer, message, keyword }));
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : '';
  return { ok: false, code: 'REQUEST_INVALID', violations: list, detail: `request does not match the contract: ${list[0]!.pointer} ${list[0]!.message}${more}` };
}

describe('compiled request validators', () => {
  for (const scenario of scenarios) {
    it(scenario.name, () => {
      const contract = contracts[scenario.version ?? '3.0']!;
      const [method, pathTemplate] = scenario.op.split(' ');
      const operation = contract.operations.find((o) => o.method === method && o.pathTemplate === pathTemplate);
      assert.ok(operation, `operation ${scenario.op}`);
      const body = scenario.body === undefined ? undefined : Buffer.from(typeof scenario.body === 'string' ? scenario.body : JSON.stringify(scenario.body));
      const result = operation.checkRequest({ pathParams: scenario.path ?? {}, rawQuery: scenario.query ?? '', headers: scenario.headers ?? {}, body });
      assert.deepStrictEqual(result, scenario.expect);
    });
  }

  it('coerceTypes: false validates parameters as the strings they are', () => {
    const strict = compileContract(loadOpenApi(fixture('orders-30.yaml')), { coerceTypes: false });
    const operation = strict.operations.find((o) => o.pathTemplate === '/orders/{orderId}' && o.method === 'GET')!;
    assert.deepStrictEqual(operation.checkRequest({ pathParams: { orderId: '42' }, rawQuery: '', headers: {}, body: undefined }), invalid(['/path/orderId', 'must be integer', 'type']));
  });

  it('an empty body buffer counts as no body', () => {
    const operation = contracts['3.0']!.operations.find((o) => o.method === 'POST' && o.pathTemplate === '/orders')!;
    assert.deepStrictEqual(
      operation.checkRequest({ pathParams: {}, rawQuery: '', headers: JSON_HEADERS, body: Buffer.alloc(0) }),
      invalid(['/body', 'request body is required', 'required']),
    );
  });
});
