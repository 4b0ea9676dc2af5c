// Requests that one parser would read differently from another: each scenario names the class of
// ambiguity the request validator refuses (or the well-formed request it still accepts), with the
// exact outcome.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract, type CompiledOperation, type RequestCheck, type UndeclaredParameters } from '../../src/contracts/compile/index.js';
import { fixture } from './fixtures/compile/compiled-fixtures.js';

const compiled = {
  allow: compileContract(loadOpenApi(fixture('ambiguity-30.yaml'))),
  refuse: compileContract(loadOpenApi(fixture('ambiguity-30.yaml')), { undeclaredParameters: 'refuse' }),
};

function operation(method: string, path: string, undeclared: UndeclaredParameters = 'allow'): CompiledOperation {
  const found = compiled[undeclared].operations.find((op) => op.method === method && op.pathTemplate === path);
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
}

interface Scenario {
  name: string;
  op: string;
  undeclared?: UndeclaredParameters;
  path?: Record<string, string>;
  query?: string;
  headers?: IncomingHttpHeaders;
  body?: string | Buffer;
  expect: RequestCheck;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function fail(code: 'REQUEST_INVALID' | 'REQUEST_MALFORMED' | 'UNSUPPORTED_MEDIA_TYPE', detail: string, ...violations: Array<[string, string, string]>): RequestCheck {
  return { ok: false, code, violations: violations.map(([pointer, message, keyword]) => ({ pointer, message, keyword })), detail };
}

function invalid(...violations: Array<[string, string, string]>): RequestCheck {
  const detail = violations.length === 1
    ? `request does not match the contract: ${violations[0]![0]} ${violations[0]![1]}`
    : `request does not match the contract: ${violations[0]![0]} ${violations[0]![1]} (and ${violations.length - 1} more)`;
  return fail('REQUEST_INVALID', detail, ...violations);
}

const typeInteger = (pointer: string): [string, string, string] => [pointer, 'must be integer', 'type'];

const scenarios: Scenario[] = [
  // Duplicate member names in JSON bodies: JSON.parse keeps the last, first-wins parsers the first.
  {
    name: 'duplicate JSON keys: a repeated member is refused with its pointer',
    op: 'POST /items',
    headers: JSON_TYPE,
    body: '{"amount":1000,"amount":5}',
    expect: fail('REQUEST_MALFORMED', 'request body/amount: member name appears more than once in its object', ['/body/amount', 'member name appears more than once in its object', 'duplicate']),
  },
  {
    name: 'duplicate JSON keys: nested in an array item, one spelled with an escape',
    op: 'POST /items',
    headers: JSON_TYPE,
    body: '{"lines":[{"sku":"a"},{"sku":"b","\\u0073ku":"c"}]}',
    expect: fail('REQUEST_MALFORMED', 'request body/lines/1/sku: member name appears more than once in its object', ['/body/lines/1/sku', 'member name appears more than once in its object', 'duplicate']),
  },
  {
    name: 'duplicate JSON keys: the same name in sibling objects is no repeat',
    op: 'POST /items',
    headers: JSON_TYPE,
    body: '{"amount":5,"lines":[{"sku":"a"},{"sku":"b"}],"note":"{\\"amount\\":1}"}',
    expect: { ok: true, body: { amount: 5, lines: [{ sku: 'a' }, { sku: 'b' }], note: '{"amount":1}' } },
  },
  // Bodies on operations that declare none.
  {
    name: 'body on a body-less operation: a GET with a JSON body is refused',
    op: 'GET /items',
    headers: JSON_TYPE,
    body: '{"limit":100000}',
    expect: fail('REQUEST_INVALID', 'body: this operation takes no request body', ['/body', 'this operation takes no request body', 'requestBody']),
  },
  {
    name: 'body on a body-less operation: refused even without a content-type',
    op: 'GET /items/{id}',
    path: { id: '1' },
    body: 'x',
    expect: fail('REQUEST_INVALID', 'body: this operation takes no request body', ['/body', 'this operation takes no request body', 'requestBody']),
  },
  { name: 'body on a body-less operation: an empty body is no body', op: 'GET /items/{id}', path: { id: '1' }, body: '', expect: { ok: true } },
  // Headers that change what the bytes mean.
  {
    name: 'content-encoding: a gzip body is refused (415), not forwarded as validated',
    op: 'POST /items',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    body: '{"amount":1}',
    expect: fail('UNSUPPORTED_MEDIA_TYPE', 'headers/content-encoding: content-encoding "gzip" is not accepted (bodies are validated and forwarded as sent)', [
      '/headers/content-encoding',
      'content-encoding "gzip" is not accepted (bodies are validated and forwarded as sent)',
      'mediaType',
    ]),
  },
  { name: 'content-encoding: identity is accepted', op: 'POST /items', headers: { ...JSON_TYPE, 'content-encoding': 'identity' }, body: '{"amount":1}', expect: { ok: true, body: { amount: 1 } } },
  {
    name: 'charset: a JSON body declared iso-8859-1 is refused (415)',
    op: 'POST /items',
    headers: { 'content-type': 'application/json; charset=iso-8859-1' },
    body: '{"amount":1}',
    expect: fail('UNSUPPORTED_MEDIA_TYPE', 'headers/content-type: charset of "application/json; charset=iso-8859-1" is not accepted (bodies are UTF-8)', [
      '/headers/content-type',
      'charset of "application/json; charset=iso-8859-1" is not accepted (bodies are UTF-8)',
      'mediaType',
    ]),
  },
  {
    name: 'charset: a form body declared utf-16 is refused (415)',
    op: 'POST /forms',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset="UTF-16"' },
    body: 'email=a',
    expect: fail('UNSUPPORTED_MEDIA_TYPE', 'headers/content-type: charset of "application/x-www-form-urlencoded;charset="UTF-16"" is not accepted (bodies are UTF-8)', [
      '/headers/content-type',
      'charset of "application/x-www-form-urlencoded;charset="UTF-16"" is not accepted (bodies are UTF-8)',
      'mediaType',
    ]),
  },
  { name: 'charset: utf-8 named in any case is accepted', op: 'POST /items', headers: { 'content-type': 'application/json; Charset=UTF-8' }, body: '{"amount":1}', expect: { ok: true, body: { amount: 1 } } },
  {
    name: 'invalid UTF-8: a JSON body with a lone latin1 byte is refused',
    op: 'POST /items',
    headers: JSON_TYPE,
    body: Buffer.concat([Buffer.from('{"note":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
    expect: fail('REQUEST_MALFORMED', 'request body is not valid UTF-8', ['/body', 'body is not valid UTF-8', 'parse']),
  },
  {
    name: 'invalid UTF-8: a form body with an overlong sequence is refused',
    op: 'POST /forms',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.concat([Buffer.from('email=a'), Buffer.from([0xc0, 0xaf])]),
    expect: fail('REQUEST_MALFORMED', 'request body is not valid UTF-8', ['/body', 'body is not valid UTF-8', 'parse']),
  },
  // Numbers in parameters: only the one canonical text of a value.
  { name: 'canonical integer: plain digits are accepted', op: 'GET /items', query: 'limit=100&price=-2.5', expect: { ok: true } },
  { name: 'canonical integer: exponent form 100000e-3 is refused', op: 'GET /items', query: 'limit=100000e-3', expect: invalid(typeInteger('/query/limit')) },
  { name: 'canonical integer: 1e2 is refused', op: 'GET /items', query: 'limit=1e2', expect: invalid(typeInteger('/query/limit')) },
  { name: 'canonical integer: a fraction that rounds to an integer is refused', op: 'GET /items', query: 'limit=100.0000000000000001', expect: invalid(typeInteger('/query/limit')) },
  { name: 'canonical integer: -0 is refused', op: 'GET /items', query: 'limit=-0', expect: invalid(typeInteger('/query/limit')) },
  { name: 'canonical integer: a leading zero is refused', op: 'GET /items', query: 'limit=010', expect: invalid(typeInteger('/query/limit')) },
  { name: 'canonical integer: a plus sign is refused', op: 'GET /items', query: 'limit=%2B10', expect: invalid(typeInteger('/query/limit')) },
  { name: 'canonical integer: beyond the safe-integer range is refused', op: 'GET /items', query: 'limit=9007199254740993', expect: invalid(typeInteger('/query/limit')) },
  { name: 'plain decimal number: an exponent is refused', op: 'GET /items', query: 'price=1e3', expect: invalid(['/query/price', 'must be number', 'type']) },
  { name: 'plain decimal number: a trailing point is refused', op: 'GET /items', query: 'price=1.', expect: invalid(['/query/price', 'must be number', 'type']) },
  { name: 'plain decimal number: -0.0 is refused', op: 'GET /items', query: 'price=-0.0', expect: invalid(['/query/price', 'must be number', 'type']) },
  { name: 'canonical integer: in a path parameter too', op: 'GET /items/{id}', path: { id: '1e2' }, expect: invalid(typeInteger('/path/id')) },
  // Bracket forms and case variants of declared names.
  {
    name: 'bracket form: limit[] of a form parameter is refused',
    op: 'GET /items',
    query: 'limit[]=1000',
    expect: invalid(['/query/limit[]', '"limit[]" is not accepted: "limit" is not a deepObject parameter', 'undeclared']),
  },
  {
    name: 'bracket form: an operator object limit[$gt] is refused',
    op: 'GET /items',
    query: 'limit[$gt]=0',
    expect: invalid(['/query/limit[$gt]', '"limit[$gt]" is not accepted: "limit" is not a deepObject parameter', 'undeclared']),
  },
  {
    name: 'bracket form: percent-encoded brackets are the same key',
    op: 'GET /items',
    query: 'tags%5B%5D=a',
    expect: invalid(['/query/tags[]', '"tags[]" is not accepted: "tags" is not a deepObject parameter', 'undeclared']),
  },
  { name: 'bracket form: a deepObject parameter takes its brackets, to any depth', op: 'GET /items', query: 'filter[gt]=5&filter[range][from]=1', expect: { ok: true } },
  {
    name: 'bracket form: deepObject members are typed and checked at depth',
    op: 'GET /items',
    query: 'filter[range][from]=x',
    expect: invalid(typeInteger('/query/filter/range/from')),
  },
  { name: 'deepObject: a bare value the schema allows beside the object', op: 'GET /items', query: 'created=1680000000', expect: { ok: true } },
  {
    name: 'case variant: LIMIT is refused even when undeclared names are allowed',
    op: 'GET /items',
    query: 'LIMIT=100000&limit=5',
    expect: invalid(['/query/LIMIT', '"LIMIT" is not declared (the parameter is "limit"; names are case-sensitive)', 'undeclared']),
  },
  { name: 'undeclared: allowed by default', op: 'GET /items', query: 'limit=5&cachebuster=123', expect: { ok: true } },
  {
    name: 'undeclared: refused when the API says so',
    op: 'GET /items',
    undeclared: 'refuse',
    query: 'limit=5&cachebuster=123&cachebuster=4',
    expect: invalid(['/query/cachebuster', '"cachebuster" is not a parameter of this operation', 'undeclared']),
  },
  {
    name: 'undeclared: refused on an operation that declares no query parameter',
    op: 'GET /items/{id}',
    undeclared: 'refuse',
    path: { id: '1' },
    query: 'debug=1',
    expect: invalid(['/query/debug', '"debug" is not a parameter of this operation', 'undeclared']),
  },
  {
    name: 'semicolon: a raw ";" in the query is refused',
    op: 'GET /items',
    query: 'limit=5;limit=100000',
    expect: fail('REQUEST_MALFORMED', 'query: must not contain ";" (some servers split parameters on it); send it as %3B', ['/query', 'must not contain ";" (some servers split parameters on it); send it as %3B', 'parse']),
  },
  { name: 'semicolon: an encoded %3B is a character of the value', op: 'GET /items', query: 'tags=a%3Bb', expect: { ok: true } },
];

describe('request ambiguities refused by the compiled validators', () => {
  for (const scenario of scenarios) {
    it(scenario.name, () => {
      const [method, path] = scenario.op.split(' ') as [string, string];
      const body = scenario.body === undefined ? undefined : Buffer.isBuffer(scenario.body) ? scenario.body : Buffer.from(scenario.body);
      const actual = operation(method, path, scenario.undeclared).checkRequest({
        pathParams: scenario.path ?? {},
        rawQuery: scenario.query ?? '',
        headers: scenario.headers ?? {},
        body,
      });
      assert.deepStrictEqual(actual, scenario.expect);
    });
  }
});

describe('checkFraming: the body rules that hold without contract checks', () => {
  it('refuses a body on a body-less operation and an encoded body, and passes the rest', () => {
    const get = operation('GET', '/items');
    const post = operation('POST', '/items');
    const body = Buffer.from('{}');
    assert.deepStrictEqual(get.checkFraming({ pathParams: {}, rawQuery: '', headers: {}, body })?.code, 'REQUEST_INVALID');
    assert.deepStrictEqual(post.checkFraming({ pathParams: {}, rawQuery: '', headers: { 'content-encoding': 'br' }, body })?.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(post.checkFraming({ pathParams: {}, rawQuery: '', headers: JSON_TYPE, body }), undefined);
    assert.equal(get.checkFraming({ pathParams: {}, rawQuery: '', headers: {}, body: undefined }), undefined);
  });
});

describe('duplicate JSON keys in responses', () => {
  const list = operation('GET', '/items');
  const cases: Array<{ name: string; body: string; expect: unknown }> = [
    {
      name: 'a repeated member of a response is a violation with its pointer',
      body: '{"amount":1000,"amount":5}',
      expect: { ok: false, violations: [{ pointer: '/body/amount', message: 'member name appears more than once in its object', keyword: 'duplicate' }], detail: 'response does not match the contract: /body/amount member name appears more than once in its object' },
    },
    {
      name: 'a repeated member deep in a response',
      body: '{"items":[{},{"a":1,"b":{"c":1,"c":2}}]}',
      expect: { ok: false, violations: [{ pointer: '/body/items/1/b/c', message: 'member name appears more than once in its object', keyword: 'duplicate' }], detail: 'response does not match the contract: /body/items/1/b/c member name appears more than once in its object' },
    },
    {
      name: 'a repeated member of a large object (names kept in a set past eight members)',
      body: `{"items":[{${Array.from({ length: 12 }, (_, i) => `"k${i}":${i}`).join(',')},"k3":0}]}`,
      expect: { ok: false, violations: [{ pointer: '/body/items/0/k3', message: 'member name appears more than once in its object', keyword: 'duplicate' }], detail: 'response does not match the contract: /body/items/0/k3 member name appears more than once in its object' },
    },
    { name: 'distinct members pass', body: '{"amount":5,"items":[{"amount":1}]}', expect: { ok: true } },
  ];
  for (const scenario of cases) {
    it(scenario.name, () => {
      assert.deepStrictEqual(list.checkResponse(200, 'application/json', Buffer.from(scenario.body)), scenario.expect);
    });
  }
});
