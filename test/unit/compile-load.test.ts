// compileContract at load: operation metadata, warnings, and contracts refused with their file, pointer and line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ContractError, loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract, type CompiledOperation } from '../../src/contracts/compile/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/compile/${name}`, import.meta.url));

/** Loads contract text under a virtual name; `files` serves the files its `$ref`s name. */
function load(text: string, files: Record<string, string> = {}) {
  const reader = (file: string): string => {
    const content = files[file];
    if (content === undefined) throw new Error(`no file ${file}`);
    return content;
  };
  return loadOpenApi('contract.yaml', { text, reader, joinPath: (_from, ref) => ref });
}

function find(operations: CompiledOperation[], method: string, pathTemplate: string): CompiledOperation {
  const operation = operations.find((o) => o.method === method && o.pathTemplate === pathTemplate);
  assert.ok(operation, `${method} ${pathTemplate}`);
  return operation;
}

describe('compileContract: operations and their metadata', () => {
  const orders = compileContract(loadOpenApi(fixture('orders-30.yaml')));
  const shapes = compileContract(loadOpenApi(fixture('shapes-31.yaml')));

  it('lists every operation in document order with upper-case methods', () => {
    assert.deepStrictEqual(
      orders.operations.map((o) => `${o.method} ${o.pathTemplate}`),
      [
        'GET /orders',
        'POST /orders',
        'GET /orders/{orderId}',
        'PUT /orders/{orderId}',
        'PATCH /orders/{orderId}',
        'GET /items/{ids}',
        'GET /colors/{color}',
        'GET /points/{point}',
        'GET /sizes/{size}',
        'GET /docs/{file}',
        'POST /receipts',
        'POST /uploads',
      ],
    );
  });

  const cases: Array<{ name: string; operation: () => CompiledOperation; expect: Partial<CompiledOperation> }> = [
    {
      name: 'operation-level security with alternatives and scopes',
      operation: () => find(orders.operations, 'GET', '/orders'),
      expect: {
        operationId: 'listOrders',
        deprecated: false,
        security: [
          [{ scheme: 'oauth', type: 'oauth2', httpScheme: '', scopes: ['orders:read'], location: { file: fixture('orders-30.yaml'), pointer: '/paths/~1orders/get/security/0/oauth', line: undefined } }],
          [{ scheme: 'apiKey', type: 'apiKey', httpScheme: '', scopes: [], location: { file: fixture('orders-30.yaml'), pointer: '/paths/~1orders/get/security/1/apiKey', line: 11 } }],
        ],
        requestMediaTypes: [],
        requestBodyRequired: false,
        hasBodyValidation: false,
      },
    },
    {
      name: 'document-level security when the operation has none; body media types',
      operation: () => find(orders.operations, 'POST', '/orders'),
      expect: {
        operationId: 'createOrder',
        security: [[{ scheme: 'bearer', type: 'http', httpScheme: 'bearer', scopes: [], location: { file: fixture('orders-30.yaml'), pointer: '/security/0/bearer', line: undefined } }]],
        requestMediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
        requestBodyRequired: true,
        hasBodyValidation: true,
      },
    },
    {
      name: 'explicit empty security and deprecated',
      operation: () => find(orders.operations, 'GET', '/orders/{orderId}'),
      expect: { operationId: 'getOrder', deprecated: true, security: [] },
    },
    {
      name: 'presence-only media types have no body validation',
      operation: () => find(orders.operations, 'PUT', '/orders/{orderId}'),
      expect: { requestMediaTypes: ['application/octet-stream', 'text/*'], requestBodyRequired: true, hasBodyValidation: false },
    },
    {
      name: 'no security declared anywhere',
      operation: () => find(shapes.operations, 'POST', '/shapes'),
      expect: { operationId: 'createShape', security: undefined, hasBodyValidation: true },
    },
  ];
  for (const scenario of cases) {
    it(scenario.name, () => {
      const operation = scenario.operation();
      for (const [key, value] of Object.entries(scenario.expect)) {
        assert.deepStrictEqual(operation[key as keyof CompiledOperation], value, key);
      }
    });
  }

  it('warns, with file and line, about what it cannot check (unknown format in a referenced file; nullable in 3.1)', () => {
    assert.deepStrictEqual(orders.warnings, [
      `${fixture('orders-30.yaml')}:172 (#/components/securitySchemes/apiKey): security scheme "apiKey" (apiKey) is not enforced by the gateway: requirements that need it are not accepted; operations that also allow a JWT scheme (oauth2, openIdConnect, http bearer) or mutualTLS accept only those`,
      `${fixture('common-30.yaml')}:7 (#/Meta/additionalProperties/format): unknown format "shoe-size" is not checked`,
    ]);
    assert.deepStrictEqual(shapes.warnings, [
      `${fixture('shapes-31.yaml')}:44 (#/components/schemas/Base/properties/note/nullable): nullable has no meaning in OpenAPI 3.1 and is ignored; use a type array with "null"`,
    ]);
  });
});

const HEAD_30 = "openapi: 3.0.3\ninfo: { title: t, version: '1' }\n";
const HEAD_31 = "openapi: 3.1.0\ninfo: { title: t, version: '1' }\n";
/** Lines 3-10: POST /a with a JSON body of components.schemas.Bad; components start at line 11. */
const BODY_OF_BAD =
  'paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n' +
  "            schema: { $ref: '#/components/schemas/Bad' }\n      responses: { '204': { description: ok } }\n";
const bad = (head: string, schema: string): string => `${head}${BODY_OF_BAD}components:\n  schemas:\n    Bad:\n${schema}`;

describe('compileContract: 3.1 constructs that fail other validators at request time compile at load', () => {
  const cases = [
    {
      name: 'prefixItems without minItems',
      schema: '      type: array\n      prefixItems: [ { type: string }, { type: integer } ]\n',
      valid: ['a'],
      invalid: ['a', 'b'],
      violations: [{ pointer: '/body/1', message: 'must be integer', keyword: 'type' }],
    },
    {
      name: '$ref into $defs',
      schema: "      type: object\n      properties:\n        u: { $ref: '#/components/schemas/Bad/$defs/U' }\n      $defs:\n        U: { enum: [cm] }\n",
      valid: { u: 'cm' },
      invalid: { u: 'in' },
      violations: [{ pointer: '/body/u', message: 'must be one of: "cm"', keyword: 'enum' }],
    },
    {
      name: '$id inside a component',
      schema: "      $id: 'https://example.com/bad'\n      type: object\n      properties:\n        t: { $ref: '#/$defs/T' }\n      $defs:\n        T: { type: integer }\n",
      valid: { t: 1 },
      invalid: { t: 'x' },
      violations: [{ pointer: '/body/t', message: 'must be integer', keyword: 'type' }],
    },
  ];
  for (const scenario of cases) {
    it(scenario.name, () => {
      const contract = compileContract(load(bad(HEAD_31, scenario.schema)));
      assert.deepStrictEqual(contract.warnings, []);
      const operation = contract.operations[0]!;
      const check = (value: unknown) =>
        operation.checkRequest({ pathParams: {}, rawQuery: '', headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(value)) });
      assert.deepStrictEqual(check(scenario.valid), { ok: true, body: scenario.valid });
      const result = check(scenario.invalid);
      assert.equal(result.ok, false);
      assert.deepStrictEqual(result.ok === false && result.violations, scenario.violations);
    });
  }
});

describe('compileContract: contracts refused at load with file, pointer and line', () => {
  const cases: Array<{ name: string; text: string; files?: Record<string, string>; code: ContractError['code']; file?: string; pointer: string; line: number; message: string }> = [
    {
      name: 'invalid regular expression in pattern (3.1)',
      text: bad(HEAD_31, "      type: object\n      properties:\n        code: { type: string, pattern: '[' }\n"),
      code: 'CONTRACT_INVALID',
      pointer: '/components/schemas/Bad/properties/code/pattern',
      line: 16,
      message: 'schema cannot be compiled: Invalid regular expression: /[/u: Unterminated character class',
    },
    {
      name: 'invalid regular expression as a patternProperties name',
      text: bad(HEAD_31, "      type: object\n      patternProperties:\n        '(': { type: string }\n"),
      code: 'CONTRACT_INVALID',
      pointer: '/components/schemas/Bad/patternProperties/(',
      line: 16,
      message: 'schema cannot be compiled: Invalid regular expression: /(/u: Unterminated group',
    },
    {
      name: 'unknown type (3.0)',
      text: bad(HEAD_30, '      type: object\n      properties:\n        code: { type: strng }\n'),
      code: 'CONTRACT_INVALID',
      pointer: '/components/schemas/Bad/properties/code/type',
      line: 16,
      message: 'invalid schema: "type" must be one of: "array", "boolean", "integer", "null", "number", "object", "string"',
    },
    {
      name: 'boolean exclusiveMinimum is 3.0 only',
      text: bad(HEAD_31, '      type: number\n      minimum: 1\n      exclusiveMinimum: true\n'),
      code: 'CONTRACT_INVALID',
      pointer: '/components/schemas/Bad/exclusiveMinimum',
      line: 16,
      message: 'invalid schema: "exclusiveMinimum" must be number',
    },
    {
      name: 'items as a list is not 2020-12',
      text: bad(HEAD_31, '      type: array\n      items: [ { type: string } ]\n'),
      code: 'CONTRACT_INVALID',
      pointer: '/components/schemas/Bad/items',
      line: 15,
      message: 'invalid schema: "items" must be object or boolean',
    },
    {
      name: 'inline response schema with a non-number minimum',
      text: `${HEAD_30}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { type: integer, minimum: x }\n`,
      code: 'CONTRACT_INVALID',
      pointer: '/paths/~1a/get/responses/200/content/application~1json/schema/minimum',
      line: 11,
      message: 'invalid schema: "minimum" must be number',
    },
    {
      name: 'broken schema in a referenced file is reported in that file',
      text: bad(HEAD_31, "      $ref: 'schemas.yaml#/Widget'\n"),
      files: { 'schemas.yaml': "Widget:\n  type: object\n  properties:\n    size: { type: string, pattern: '(' }\n" },
      code: 'CONTRACT_INVALID',
      file: 'schemas.yaml',
      pointer: '/Widget/properties/size/pattern',
      line: 4,
      message: 'schema cannot be compiled: Invalid regular expression: /(/u: Unterminated group',
    },
    {
      name: '$ref that leads nowhere',
      text: bad(HEAD_30, "      type: object\n      properties:\n        b: { $ref: '#/components/schemas/Nope' }\n"),
      code: 'CONTRACT_REF_UNRESOLVED',
      pointer: '/components/schemas/Bad/properties/b/$ref',
      line: 16,
      message: '$ref "#/components/schemas/Nope" points at nothing',
    },
    {
      name: 'security requirement naming an undefined scheme',
      text: `${HEAD_30}paths:\n  /a:\n    get:\n      security: [ { nope: [] } ]\n      responses: { '204': { description: ok } }\n`,
      code: 'CONTRACT_INVALID',
      pointer: '/paths/~1a/get/security/0/nope',
      line: 6,
      message: 'security scheme "nope" is not defined in components.securitySchemes',
    },
    {
      name: 'parameter style its location does not allow',
      text: `${HEAD_30}paths:\n  /a/{id}:\n    get:\n      parameters:\n        - { name: id, in: path, required: true, style: deepObject, schema: { type: object } }\n      responses: { '204': { description: ok } }\n`,
      code: 'CONTRACT_INVALID',
      pointer: '/paths/~1a~1{id}/get/parameters/0/style',
      line: 7,
      message: 'parameter "id": style "deepObject" is not allowed in path (allowed: simple, label, matrix)',
    },
    {
      name: 'parameter without schema or content',
      text: `${HEAD_30}paths:\n  /a:\n    get:\n      parameters:\n        - { name: q, in: query }\n      responses: { '204': { description: ok } }\n`,
      code: 'CONTRACT_INVALID',
      pointer: '/paths/~1a/get/parameters/0',
      line: 7,
      message: 'parameter "q" needs a "schema" or a "content" map',
    },
  ];
  for (const scenario of cases) {
    it(scenario.name, () => {
      assert.throws(
        () => compileContract(load(scenario.text, scenario.files)),
        (error: unknown) => {
          assert.ok(error instanceof ContractError, String(error));
          assert.deepStrictEqual(
            { code: error.code, file: error.file, pointer: error.pointer, line: error.line, message: error.message },
            { code: scenario.code, file: scenario.file ?? 'contract.yaml', pointer: scenario.pointer, line: scenario.line, message: scenario.message },
          );
          return true;
        },
      );
    });
  }

  it('an unknown format is a warning, not a failure', () => {
    const contract = compileContract(load(bad(HEAD_31, "      type: string\n      format: 'shoe-size'\n")));
    assert.deepStrictEqual(contract.warnings, ['contract.yaml:15 (#/components/schemas/Bad/format): unknown format "shoe-size" is not checked']);
    const result = contract.operations[0]!.checkRequest({ pathParams: {}, rawQuery: '', headers: { 'content-type': 'application/json' }, body: Buffer.from('"42"') });
    assert.deepStrictEqual(result, { ok: true, body: '42' });
  });
});
