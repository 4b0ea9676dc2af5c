// dropUntypedNullable: the mock's rewrite of OpenAPI 3.0 `nullable` without `type` (which the mock's
// validator refuses), table of named scenarios with the exact document handed on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dropUntypedNullable } from '../../src/mock/drop-untyped-nullable.js';

const scenarios: Array<{ name: string; input: Record<string, unknown>; expect: Record<string, unknown> }> = [
  {
    name: 'nullable next to anyOf (no type) is dropped',
    input: { schemas: { A: { nullable: true, anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
    expect: { schemas: { A: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } },
  },
  {
    name: 'nullable with a type is kept',
    input: { schemas: { A: { type: 'string', nullable: true } } },
    expect: { schemas: { A: { type: 'string', nullable: true } } },
  },
  {
    name: 'a property named nullable is a schema, not the keyword, and stays',
    input: { type: 'object', properties: { nullable: { type: 'boolean' } } },
    expect: { type: 'object', properties: { nullable: { type: 'boolean' } } },
  },
  {
    name: 'examples, defaults and extensions are data and stay as written',
    input: { schema: { allOf: [{ nullable: true }] }, example: { nullable: true }, default: { nullable: false }, 'x-sample': { nullable: true } },
    expect: { schema: { allOf: [{}] }, example: { nullable: true }, default: { nullable: false }, 'x-sample': { nullable: true } },
  },
];

describe('dropUntypedNullable', () => {
  for (const scenario of scenarios) {
    it(scenario.name, () => {
      assert.deepStrictEqual(dropUntypedNullable(scenario.input), scenario.expect);
    });
  }
});
