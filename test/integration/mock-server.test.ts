/** `startMockServer` on 127.0.0.1 against the example orders contracts and small fixtures: answers, Prefer, generation, rejections. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startMockServer, type RunningMock } from '../../src/mock/mock-server.js';
import { ContractError } from '../../src/contracts/openapi-document.js';
import { SourceError } from '../../src/contracts/source.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/mock/', import.meta.url));
const CONTRACTS = ['1.0.0', '2.0.0'].map((version) => ({ version, file: `${ROOT}contracts/orders/${version}.yaml` }));
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Json = Record<string, any>;

/** Validates values against schemas of a contract with Ajv, independently of the mock's own validator. */
function contractValidator(document: Json): (pointer: string, value: unknown) => string[] {
  const is31 = String(document.openapi).startsWith('3.1');
  // Ajv 8 knows OpenAPI 3.0's `nullable`; 3.1 schemas are JSON Schema 2020-12.
  const ajv = is31 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, 'urn:test:contract');
  return (pointer, value) => {
    const validate = ajv.compile({ $ref: `urn:test:contract#${pointer}` });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}

function deref(document: Json, value: Json): Json {
  let current = value;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref.slice(2).split('/').reduce((node: Json, token: string) => node[token.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  }
  return current;
}

function escape(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

interface ExampleCase {
  name: string;
  method: string;
  url: string;
  body?: string;
  status: number;
  example: string;
  value: unknown;
  schemaPointer: string;
  isDefault: boolean;
}

/** One case per named example of every response of every operation, built from the contract alone. */
function exampleCases(document: Json): ExampleCase[] {
  const cases: ExampleCase[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p: Json) => deref(document, p));
      const url = path.replace(/\{([^}]+)\}/g, (_m, name: string) => parameters.find((p) => p.name === name && p.in === 'path')!.example);
      const requestMedia = operation.requestBody ? deref(document, operation.requestBody).content['application/json'] : undefined;
      const body = requestMedia ? JSON.stringify(Object.values<Json>(requestMedia.examples)[0].value) : undefined;
      const statuses = Object.keys(operation.responses);
      const firstSuccess = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0];
      for (const status of statuses) {
        const response = deref(document, operation.responses[status]);
        const raw = operation.responses[status];
        const responsePointer = typeof raw.$ref === 'string' ? raw.$ref.slice(1) : `/paths/${escape(path)}/${method}/responses/${status}`;
        for (const [type, media] of Object.entries<Json>(response.content ?? {})) {
          Object.entries<Json>(media.examples).forEach(([example, entry], index) => {
            cases.push({
              name: `${operation.operationId} ${status} ${example}`,
              method: method.toUpperCase(),
              url,
              body,
              status: Number(status),
              example,
              value: deref(document, entry).value,
              schemaPointer: `${responsePointer}/content/${escape(type)}/schema`,
              isDefault: status === firstSuccess && index === 0,
            });
          });
        }
      }
    }
  }
  return cases;
}

/**
 * Collects the mock's log. A request's line is written when the server finishes the response, which
 * can be after the client has read it, so tests wait for the line they expect instead of counting.
 */
function logCollector(): { lines: string[]; log: (line: string) => void; waitFor(pattern: RegExp): Promise<string> } {
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  return {
    lines,
    log: (line) => {
      lines.push(line);
      for (const wake of waiters.splice(0)) wake();
    },
    async waitFor(pattern) {
      for (;;) {
        const found = lines.find((line) => pattern.test(line));
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

async function call(mock: RunningMock, method: string, url: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers };
  const response = await fetch(mock.url + url, { method, body: init.body, headers });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body, text };
}

for (const contract of CONTRACTS) {
  describe(`mock of orders ${contract.version}`, () => {
    const document = parse(readFileSync(contract.file, 'utf8')) as Json;
    const validate = contractValidator(document);
    const cases = exampleCases(document);
    let mock: RunningMock;
    before(async () => {
      mock = await startMockServer({ contractFile: contract.file, log: () => undefined });
    });
    after(() => mock.close());

    it('has examples to answer with for every operation', () => {
      const operations = new Set(cases.map((c) => c.name.split(' ')[0]));
      assert.equal(operations.size, contract.version === '1.0.0' ? 5 : 6);
      assert.equal(cases.filter((c) => c.isDefault).length, operations.size);
    });

    for (const c of cases.filter((x) => x.isDefault)) {
      it(`${c.name}: answered without Prefer, with its status and first example`, async () => {
        const res = await call(mock, c.method, c.url, { body: c.body });
        assert.equal(res.status, c.status);
        assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.deepEqual(res.body, c.value);
        assert.deepEqual(validate(c.schemaPointer, res.body), []);
      });
    }

    for (const c of cases) {
      it(`${c.name}: answered for Prefer code=${c.status}, example=${c.example}`, async () => {
        const res = await call(mock, c.method, c.url, { body: c.body, headers: { prefer: `code=${c.status}, example=${c.example}` } });
        assert.equal(res.status, c.status);
        assert.match(res.headers.get('content-type') ?? '', c.status >= 400 ? /^application\/problem\+json/ : /^application\/json/);
        assert.deepEqual(res.body, c.value);
        assert.deepEqual(validate(c.schemaPointer, res.body), []);
      });
    }

    it('sets a declared response header from its example (Location on 201)', async () => {
      const create = cases.find((c) => c.isDefault && c.status === 201)!;
      const res = await call(mock, create.method, create.url, { body: create.body });
      assert.equal(res.headers.get('location'), '/orders/ord_8f3k2m9x1q7w4z6p');
    });

    it('generates a valid order from the schema for Prefer dynamic=true', async () => {
      const res = await call(mock, 'GET', '/orders/ord_8f3k2m9x1q7w4z6p', { headers: { prefer: 'dynamic=true' } });
      assert.equal(res.status, 200);
      assert.deepEqual(validate('/components/schemas/Order', res.body), []);
      const examples = cases.filter((c) => c.name.startsWith('getOrder 200')).map((c) => c.value);
      assert.equal(examples.some((value) => JSON.stringify(value) === res.text), false);
    });
  });
}

describe('Prefer header on the 1.0.0 mock', () => {
  const file = `${ROOT}contracts/orders/1.0.0.yaml`;
  let mock: RunningMock;
  before(async () => {
    mock = await startMockServer({ contractFile: file, log: () => undefined });
  });
  after(() => mock.close());

  const scenarios: Array<{ name: string; prefer: string; status: number; example?: string; code?: string; violation?: { pointer: string; message: string } }> = [
    { name: 'an example name alone picks the response holding it', prefer: 'example=orderNotFound', status: 404, example: 'ORDER_NOT_FOUND' },
    { name: 'quoted example names are read', prefer: 'example="cancelled"', status: 200, example: 'cancelled' },
    { name: 'unknown preferences are ignored', prefer: 'return=minimal; respond-async, code=500', status: 500, example: 'INTERNAL_ERROR' },
    {
      name: 'a status the operation does not declare is refused',
      prefer: 'code=418',
      status: 400,
      code: 'REQUEST_INVALID',
      violation: { pointer: '/headers/prefer', message: 'code=418 is not declared for this operation (declared: 200, 400, 401, 403, 404, 500)' },
    },
    {
      name: 'an example name nobody declares is refused with the names there are',
      prefer: 'example=shipped',
      status: 400,
      code: 'REQUEST_INVALID',
      violation: { pointer: '/headers/prefer', message: 'no example is named "shipped" (examples: confirmed, cancelled, invalidQuantity, tokenMissing, scopeMissing, orderNotFound, unexpected)' },
    },
    {
      name: 'an example of another status than the one asked for is refused',
      prefer: 'code=200, example=orderNotFound',
      status: 400,
      code: 'REQUEST_INVALID',
      violation: { pointer: '/headers/prefer', message: 'the 200 response has no example named "orderNotFound" (examples: confirmed, cancelled)' },
    },
    {
      name: 'a malformed code is refused',
      prefer: 'code=2OO',
      status: 400,
      code: 'REQUEST_INVALID',
      violation: { pointer: '/headers/prefer', message: 'code must be an HTTP status between 100 and 599, got "2OO"' },
    },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const res = await call(mock, 'GET', '/orders/ord_8f3k2m9x1q7w4z6p', { headers: { prefer: s.prefer } });
      assert.equal(res.status, s.status);
      if (s.example === 'cancelled') assert.equal(res.body.status, 'cancelled');
      else if (s.example) assert.equal(res.body.code, s.example);
      if (s.code) {
        assert.equal(res.headers.get('content-type'), 'application/problem+json');
        assert.equal(res.body.code, s.code);
        assert.deepEqual(res.body.errors, [s.violation]);
      }
    });
  }
});

describe('requests that break the 1.0.0 contract', () => {
  const file = `${ROOT}contracts/orders/1.0.0.yaml`;
  const collector = logCollector();
  let mock: RunningMock;
  before(async () => {
    mock = await startMockServer({ contractFile: file, log: collector.log });
  });
  after(() => mock.close());

  const validOrder = { customerId: 'cus_4d9h2k7m1p3q', currency: 'EUR', lineItems: [{ sku: 'SKU-TEA-0042', quantity: 2, unitPrice: '4.50' }] };
  const scenarios: Array<{ name: string; method: string; url: string; body?: string; headers?: Record<string, string>; status: number; code: string; pointers?: string[]; allow?: string }> = [
    { name: 'unknown query parameter', method: 'GET', url: '/orders?colour=red', status: 400, code: 'REQUEST_INVALID', pointers: ['/query/colour'] },
    { name: 'query values out of range and outside the enum', method: 'GET', url: '/orders?limit=0&status=lost', status: 400, code: 'REQUEST_INVALID', pointers: ['/query/limit', '/query/status'] },
    { name: 'path parameter that breaks its pattern', method: 'GET', url: '/orders/123', status: 400, code: 'REQUEST_INVALID', pointers: ['/path/orderId'] },
    {
      name: 'body with a missing, an extra and an out-of-range property',
      method: 'POST',
      url: '/orders',
      body: JSON.stringify({ customerId: 'cus_4d9h2k7m1p3q', lineItems: [{ sku: 'SKU-TEA-0042', quantity: 0, unitPrice: '4.50' }], coupon: 'FREE' }),
      status: 400,
      code: 'REQUEST_INVALID',
      pointers: ['/body/coupon', '/body/currency', '/body/lineItems/0/quantity'],
    },
    { name: 'body with a wrongly typed nested property', method: 'POST', url: '/orders', body: JSON.stringify({ ...validOrder, lineItems: [{ sku: 'SKU-TEA-0042', quantity: '2', unitPrice: 4.5 }] }), status: 400, code: 'REQUEST_INVALID', pointers: ['/body/lineItems/0/quantity', '/body/lineItems/0/unitPrice'] },
    { name: 'enum violation in the cancellation reason', method: 'POST', url: '/orders/ord_8f3k2m9x1q7w4z6p/cancellation', body: '{"reason":"bored"}', status: 400, code: 'REQUEST_INVALID', pointers: ['/body/reason'] },
    { name: 'body that is not JSON', method: 'POST', url: '/orders', body: '{"customerId":', status: 400, code: 'REQUEST_MALFORMED', pointers: ['/body'] },
    { name: 'path the contract does not declare', method: 'GET', url: '/customers', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'method the path does not declare', method: 'DELETE', url: '/orders/ord_8f3k2m9x1q7w4z6p', status: 405, code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD' },
    { name: 'method the collection does not declare', method: 'PUT', url: '/orders', body: JSON.stringify(validOrder), status: 405, code: 'METHOD_NOT_ALLOWED', allow: 'GET, HEAD, POST' },
    { name: 'body of an undeclared media type', method: 'POST', url: '/orders', body: 'two teas please', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', pointers: ['/headers/content-type'] },
    { name: 'required body missing', method: 'POST', url: '/orders', status: 400, code: 'REQUEST_INVALID', pointers: ['/body'] },
    { name: 'body over the 1 MB limit', method: 'POST', url: '/orders', body: JSON.stringify({ ...validOrder, note: 'x'.repeat(1_100_000) }), status: 413, code: 'PAYLOAD_TOO_LARGE' },
  ];
  for (const s of scenarios) {
    it(`${s.name}: ${s.status} ${s.code}`, async () => {
      const res = await call(mock, s.method, s.url, { body: s.body, headers: { 'x-request-id': 'req-42', ...s.headers } });
      assert.equal(res.status, s.status);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(res.headers.get('x-request-id'), 'req-42');
      assert.equal(res.body.code, s.code);
      assert.equal(res.body.status, s.status);
      assert.equal(res.body.instance, 'req-42');
      assert.equal(res.body.type, `https://accord.dev/problems/${s.code.toLowerCase().replace(/_/g, '-')}`);
      assert.deepEqual((res.body.errors ?? []).map((e: { pointer: string }) => e.pointer).sort(), s.pointers ?? []);
      assert.equal(res.headers.get('allow'), s.allow ?? null);
    });
  }

  it('logs one line per request with method, path, status, operation and answer', async () => {
    await call(mock, 'GET', '/orders?limit=7');
    await call(mock, 'GET', '/orders/1234');
    const ok = await collector.waitFor(/ \/orders\?limit=7 /);
    const rejected = await collector.waitFor(/ \/orders\/1234 /);
    assert.match(ok, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z GET \/orders\?limit=7 200 listOrders example=firstPage \d+\.\dms$/);
    assert.match(rejected, /^\S+Z GET \/orders\/1234 400 getOrder problem \d+\.\dms$/);
    assert.equal(collector.lines.filter((line) => / \/orders(\?limit=7|\/1234) /.test(line)).length, 2);
  });
});

describe('mock of a contract without examples, split over two files', () => {
  const file = `${FIXTURES}no-examples.yaml`;
  const shared = parse(readFileSync(`${FIXTURES}shared/bin.yaml`, 'utf8')) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(shared, 'urn:test:bin');
  let mock: RunningMock;
  before(async () => {
    mock = await startMockServer({ contractFile: file, log: () => undefined });
  });
  after(() => mock.close());

  it('answers 200 with a value generated from the referenced schema', async () => {
    const res = await call(mock, 'GET', '/bins/AB123');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const validate = ajv.compile({ $ref: 'urn:test:bin#/Bin' });
    assert.equal(validate(res.body), true, JSON.stringify(validate.errors));
    assert.equal(res.body.zone, 'cold');
    assert.equal(res.body.capacity, 10);
  });

  it('answers a declared status without content with an empty body', async () => {
    const res = await call(mock, 'GET', '/bins/AB123', { headers: { prefer: 'code=404' } });
    assert.equal(res.status, 404);
    assert.equal(res.text, '');
  });

  it('answers 204 with a required header generated from its schema', async () => {
    const res = await call(mock, 'POST', '/bins/AB123/audit');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('retry-after'), '30');
    assert.equal(res.text, '');
  });
});

describe('mock of a contract whose example contradicts its schema', () => {
  it('answers with the example and says on its log that it does not match', async () => {
    const collector = logCollector();
    const mock = await startMockServer({ contractFile: `${FIXTURES}contradicting-example.yaml`, log: collector.log });
    try {
      const res = await call(mock, 'GET', '/counter');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { value: -1 });
      // The warning is written while the body is serialised, so before the request's own line.
      await collector.waitFor(/ GET \/counter /);
      assert.equal(collector.lines.length, 2);
      assert.equal(collector.lines[0], 'mock: the getCounter response does not match the contract: /response/value must be >= 0');
      assert.match(collector.lines[1], / GET \/counter 200 getCounter example=negative /);
    } finally {
      await mock.close();
    }
  });
});

describe('unusable contracts', () => {
  const scenarios: Array<{ name: string; file: string; error: typeof SourceError | typeof ContractError; code: string; pointer?: string; line?: number }> = [
    { name: 'missing file', file: `${FIXTURES}absent.yaml`, error: SourceError, code: 'SOURCE_NOT_FOUND' },
    { name: 'Swagger 2.0 document', file: `${FIXTURES}not-openapi.yaml`, error: ContractError, code: 'CONTRACT_NOT_OPENAPI', pointer: '/openapi', line: 1 },
    { name: 'response without a description', file: `${FIXTURES}rejected-by-validator.yaml`, error: ContractError, code: 'CONTRACT_INVALID', pointer: '/paths/~1things/get/responses/200', line: 10 },
  ];
  for (const s of scenarios) {
    it(`${s.name} is refused before listening`, async () => {
      await assert.rejects(startMockServer({ contractFile: s.file, log: () => undefined }), (error: unknown) => {
        assert.ok(error instanceof s.error);
        assert.equal((error as { code: string }).code, s.code);
        if (error instanceof ContractError) {
          assert.equal(error.pointer, s.pointer);
          assert.equal(error.line, s.line);
        }
        return true;
      });
    });
  }
});
