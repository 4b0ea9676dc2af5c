// Request bodies judged exactly as JSON Schema says, in the cases Ajv's defaults or Ajv itself get wrong (pinned from the JSON Schema Test Suite).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContractError, loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract } from '../../src/contracts/compile/index.js';

/** A one-operation contract (POST /x) whose JSON body has `schema`; extra `components.schemas` optional. */
function contract(openapi: '3.0.3' | '3.1.0', schema: unknown, schemas?: Record<string, unknown>): string {
  return JSON.stringify({
    openapi,
    info: { title: 'exactness', version: '1.0.0' },
    security: [],
    paths: { '/x': { post: { operationId: 'x', requestBody: { required: true, content: { 'application/json': { schema } } }, responses: { '204': { description: 'ok' } } } } },
    ...(schemas ? { components: { schemas } } : {}),
  });
}

const SCHEMA_POINTER = '/paths/~1x/post/requestBody/content/application~1json/schema';

/** Whether the compiled operation lets each body through. */
function verdicts(text: string, bodies: readonly string[]): boolean[] {
  const compiled = compileContract(loadOpenApi('contract.json', { text, reader: () => text, joinPath: (_f, ref) => ref }));
  const operation = compiled.operations[0]!;
  return bodies.map((body) => operation.checkRequest({ pathParams: {}, rawQuery: '', headers: { 'content-type': 'application/json' }, body: Buffer.from(body) }).ok);
}

const both = ['3.0.3', '3.1.0'] as const;

const scenarios: Array<{ name: string; openapi: readonly ('3.0.3' | '3.1.0')[]; schema: unknown; schemas?: Record<string, unknown>; bodies: Array<[body: string, valid: boolean]> }> = [
  {
    name: 'required sees own members only (toString, constructor, __proto__ are not present in {})',
    openapi: both,
    schema: { type: 'object', required: ['__proto__', 'toString', 'constructor'] },
    bodies: [
      ['{}', false],
      ['{"toString":1,"constructor":1}', false],
      ['{"__proto__":1,"toString":1,"constructor":1}', true],
    ],
  },
  {
    name: 'properties check own members only, __proto__ included',
    openapi: both,
    schema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"number"},"constructor":{"type":"number"}}}') as unknown,
    bodies: [
      ['{}', true],
      ['{"__proto__":"x"}', false],
      ['{"__proto__":12,"constructor":1}', true],
    ],
  },
  {
    name: 'an empty enum admits nothing (and the contract loads)',
    openapi: ['3.1.0'],
    schema: { enum: [] },
    bodies: [
      ['1', false],
      ['{}', false],
    ],
  },
  {
    name: '$dynamicAnchor is also a plain-name fragment: $ref "#items" finds it',
    openapi: ['3.1.0'],
    schema: { $id: 'https://example.test/list', type: 'array', items: { $ref: '#items' }, $defs: { foo: { $dynamicAnchor: 'items', type: 'string' } } },
    bodies: [
      ['["a","b"]', true],
      ['["a",1]', false],
    ],
  },
  {
    name: '$dynamicRef resolves to the outermost $dynamicAnchor in the dynamic scope',
    openapi: ['3.1.0'],
    schema: {
      $id: 'https://example.test/strings',
      $ref: 'list',
      $defs: {
        override: { $dynamicAnchor: 'items', type: 'string' },
        list: { $id: 'list', type: 'array', items: { $dynamicRef: '#items' }, $defs: { default: { $dynamicAnchor: 'items' } } },
      },
    },
    bodies: [
      ['["a","b"]', true],
      ['["a",1]', false],
    ],
  },
  {
    name: 'a schema reached through $ref keeps the base URI of its enclosing $id (relative $ref inside it)',
    openapi: ['3.1.0'],
    schema: { $ref: '#/components/schemas/Tree/$defs/node' },
    schemas: { Tree: { $id: 'https://example.test/tree/', $defs: { node: { type: 'object', properties: { leaf: { $ref: 'leaf' } } }, leaf: { $id: 'leaf', type: 'integer' } } } },
    bodies: [
      ['{"leaf":1}', true],
      ['{"leaf":"x"}', false],
    ],
  },
  {
    name: 'unevaluatedItems sees the items contains matched (and only those)',
    openapi: ['3.1.0'],
    schema: { prefixItems: [true], contains: { type: 'string' }, unevaluatedItems: false },
    bodies: [
      ['[1,"foo"]', true],
      ['[1,2]', false],
      ['[1,"foo",2]', false],
    ],
  },
  {
    name: 'unevaluatedItems with minContains 0 still counts the matching items as evaluated',
    openapi: ['3.1.0'],
    schema: { contains: { type: 'string' }, minContains: 0, unevaluatedItems: false },
    bodies: [
      ['[]', true],
      ['["foo","bar"]', true],
      ['["foo",0]', false],
    ],
  },
  {
    name: 'unevaluatedItems next to anyOf with a true member',
    openapi: ['3.1.0'],
    schema: { unevaluatedItems: { type: 'boolean' }, anyOf: [{ items: { type: 'string' } }, true] },
    bodies: [
      ['[true,false]', true],
      ['["yes","no"]', true],
      ['["yes",false]', false],
    ],
  },
  {
    name: 'unevaluatedItems sees what an if without then and else evaluated',
    openapi: ['3.1.0'],
    schema: { if: { prefixItems: [{ const: 'a' }] }, unevaluatedItems: false },
    bodies: [
      ['["a"]', true],
      ['["b"]', false],
    ],
  },
  {
    name: 'unevaluatedProperties ignores what a failed if evaluated (then not defined)',
    openapi: ['3.1.0'],
    schema: { type: 'object', if: { properties: { foo: { const: 'then' } }, required: ['foo'] }, else: { properties: { baz: { type: 'string' } }, required: ['baz'] }, unevaluatedProperties: false },
    bodies: [
      ['{"foo":"then","bar":"bar"}', false],
      ['{"foo":"then"}', true],
      ['{"baz":"else"}', true],
      ['{"foo":"else","baz":"baz"}', false],
    ],
  },
];

describe('request bodies judged exactly (JSON Schema Test Suite cases)', () => {
  for (const s of scenarios) {
    for (const openapi of s.openapi) {
      it(`${s.name} (${openapi})`, () => {
        const bodies = s.bodies.map(([body]) => body);
        assert.deepStrictEqual(verdicts(contract(openapi, s.schema, s.schemas), bodies), s.bodies.map(([, valid]) => valid));
      });
    }
  }
});

describe('schemas refused at load rather than answered wrongly', () => {
  const refusals: Array<{ name: string; schema: unknown; schemas?: Record<string, unknown>; pointer: string; message: RegExp }> = [
    {
      name: 'two schemas declaring one $id: the second is refused, naming the first',
      schema: { $ref: '#/components/schemas/A' },
      schemas: { A: { $id: 'https://example.test/same', type: 'string' }, B: { $id: 'https://example.test/same', type: 'integer' } },
      pointer: '/components/schemas/B/$id',
      message: /^\$id "https:\/\/example\.test\/same" is already declared at #\/components\/schemas\/A; identifiers must be unique in a contract$/,
    },
    {
      name: 'unevaluatedProperties that depends on an if holding a pattern (no linear-time engine there)',
      schema: { type: 'object', if: { patternProperties: { foo: { type: 'string' } } }, unevaluatedProperties: false },
      pointer: `${SCHEMA_POINTER}/if/patternProperties`,
      message: /tracks annotations, which has no linear-time engine for patternProperties/,
    },
    {
      name: 'unevaluatedItems that depends on contains, with a format that validator does not check',
      schema: { contains: { type: 'string', format: 'int32' }, unevaluatedItems: false },
      pointer: `${SCHEMA_POINTER}/contains/format`,
      message: /does not know format "int32"/,
    },
  ];
  for (const r of refusals) {
    it(r.name, () => {
      const text = contract('3.1.0', r.schema, r.schemas);
      assert.throws(
        () => compileContract(loadOpenApi('contract.json', { text, reader: () => text, joinPath: (_f, ref) => ref })),
        (error: unknown) => {
          assert.ok(error instanceof ContractError, String(error));
          assert.equal(error.code, 'CONTRACT_INVALID');
          assert.equal(error.file, 'contract.json');
          assert.equal(error.pointer, r.pointer);
          assert.equal(typeof error.line, 'number');
          assert.match(error.message, r.message);
          return true;
        },
      );
    });
  }
});
