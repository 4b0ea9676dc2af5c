// Times the compiled validators: µs per checkRequest/checkResponse call (median of runs), and the
// load-time cost of compileContract on a generated contract with many operations sharing schemas.
// Build first (npx tsc -p .), then: node bench/validators.mjs
import { loadOpenApi } from '../dist/contracts/openapi-document.js';
import { compileContract } from '../dist/contracts/compile/index.js';

const CONTRACT = `
openapi: 3.1.0
info: { title: bench, version: 1.0.0 }
paths:
  /orders:
    get:
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 100 } }
        - { name: status, in: query, schema: { type: string, enum: [open, shipped, cancelled] } }
        - { name: tags, in: query, schema: { type: array, items: { type: string } } }
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Order' } } } } }
    post:
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Order' } } }
      responses:
        '201': { description: created, content: { application/json: { schema: { $ref: '#/components/schemas/Order' } } } }
components:
  schemas:
    Order:
      type: object
      required: [customer, items]
      additionalProperties: false
      properties:
        id: { type: integer, readOnly: true }
        customer: { type: object, required: [email, name], properties: { email: { type: string, format: email }, name: { type: string, maxLength: 100 } } }
        status: { type: string, enum: [open, shipped, cancelled] }
        note: { type: [string, 'null'], maxLength: 500 }
        items:
          type: array
          maxItems: 50
          items:
            type: object
            required: [sku, quantity, price]
            properties:
              sku: { type: string, pattern: '^[A-Z]{3}-[0-9]+$' }
              quantity: { type: integer, minimum: 1 }
              price: { type: number, minimum: 0 }
              currency: { type: string, enum: [EUR, USD] }
`;

const RUNS = 15;
const CALLS = 20_000;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(label, fn) {
  for (let i = 0; i < CALLS; i++) fn(); // warm-up: let V8 optimise before measuring
  const perCall = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) fn();
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / CALLS);
  }
  console.log(`${label.padEnd(48)} ${median(perCall).toFixed(2)} µs/call (median of ${RUNS} runs × ${CALLS}; min ${Math.min(...perCall).toFixed(2)}, max ${Math.max(...perCall).toFixed(2)})`);
}

const compileStart = process.hrtime.bigint();
const contract = compileContract(loadOpenApi('bench.yaml', { text: CONTRACT, reader: () => CONTRACT }));
console.log(`compileContract: ${(Number(process.hrtime.bigint() - compileStart) / 1e6).toFixed(1)} ms for ${contract.operations.length} operations`);
const list = contract.operations.find((o) => o.method === 'GET');
const create = contract.operations.find((o) => o.method === 'POST');

// About 1 KB of JSON: items are added until the body reaches 1,000 bytes.
const items = [];
const order = { customer: { email: 'buyer@example.com', name: 'A. Buyer' }, status: 'open', note: 'leave at the door', items };
for (let i = 0; i < 50 && JSON.stringify(order).length < 1000; i++) items.push({ sku: `ABC-${1000 + i}`, quantity: i + 1, price: 9.99 + i, currency: 'EUR' });
const body = Buffer.from(JSON.stringify(order));
const headers = { host: 'localhost', 'content-type': 'application/json', 'content-length': String(body.length) };

const getParts = { pathParams: {}, rawQuery: 'limit=20&status=open&tags=a', headers: { host: 'localhost' }, body: undefined };
const postParts = { pathParams: {}, rawQuery: '', headers, body };
if (!list.checkRequest(getParts).ok || !create.checkRequest(postParts).ok) throw new Error('bench requests must be valid');
const badGet = { ...getParts, rawQuery: 'limit=500&status=lost&tags=a' };
if (list.checkRequest(badGet).ok) throw new Error('bench invalid request must be invalid');
const responseBody = Buffer.from(JSON.stringify({ id: 7, ...order }));
if (!create.checkResponse(201, 'application/json', responseBody).ok) throw new Error('bench response must be valid');

console.log(`POST body: ${body.length} bytes`);
time('checkRequest GET, 3 query params', () => list.checkRequest(getParts));
time(`checkRequest POST, ${body.length} B JSON body`, () => create.checkRequest(postParts));
time('checkRequest GET, 2 violations', () => list.checkRequest(badGet));
time(`checkResponse 201, ${responseBody.length} B JSON body`, () => create.checkResponse(201, 'application/json', responseBody));

// Load time: operations × 2 methods over 50 component schemas that refer to each other in a ring.
const PATHS = 500;
const SCHEMAS = 50;
const schemas = {};
for (let i = 0; i < SCHEMAS; i++) {
  schemas[`M${i}`] = {
    type: 'object',
    required: ['id', 'name'],
    properties: {
      id: { type: 'integer', readOnly: true },
      name: { type: 'string', maxLength: 50 },
      email: { type: 'string', format: 'email' },
      tags: { type: 'array', items: { type: 'string' } },
      next: { $ref: `#/components/schemas/M${(i + 1) % SCHEMAS}` },
    },
  };
}
const paths = {};
for (let i = 0; i < PATHS; i++) {
  const content = { 'application/json': { schema: { $ref: `#/components/schemas/M${i % SCHEMAS}` } } };
  paths[`/r${i}/{id}`] = {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
    get: { parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } }], responses: { 200: { description: 'ok', content }, default: { description: 'error' } } },
    put: { requestBody: { required: true, content }, responses: { 200: { description: 'ok', content } } },
  };
}
const big = JSON.stringify({ openapi: '3.0.3', info: { title: 'big', version: '1' }, paths, components: { schemas } });
const bigDoc = loadOpenApi('big.json', { text: big, reader: () => big });
const rssBefore = process.memoryUsage().rss;
const bigStart = process.hrtime.bigint();
const bigContract = compileContract(bigDoc);
const bigMs = Number(process.hrtime.bigint() - bigStart) / 1e6;
console.log(
  `compileContract, ${bigContract.operations.length} operations / ${SCHEMAS} schemas (${(big.length / 1024).toFixed(0)} KB JSON, parsed beforehand): ` +
    `${bigMs.toFixed(0)} ms, RSS +${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB`,
);
