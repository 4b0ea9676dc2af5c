/**
 * spectral:oas's example and enum checks, memoised per document, report exactly what the plain
 * checks report: the same example repeated under schemas, parameters, headers, request bodies and
 * responses (where readOnly and writeOnly properties relax `required` differently), valid and
 * invalid, and the same enum with and without repeated entries in many places, are linted with the
 * loaded ruleset and with the same ruleset given the original functions.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { oas } from '@stoplight/spectral-rulesets';
import { lintDocument, loadForLint, loadRuleset, type Ruleset } from '../../src/governance/lint/index.js';

const FILE = join(import.meta.dirname, 'fixtures', 'lint', 'examples.yaml');

/** spectral:oas's own function of `rule` (the first of its `then`). */
function originalOf(rule: string): NonNullable<Ruleset['rules'][string]>['then'][number]['function'] {
  const definition = oas.rules[rule];
  const then = definition !== undefined && 'then' in definition ? (Array.isArray(definition.then) ? definition.then[0] : definition.then) : undefined;
  assert.ok(then?.function);
  return then.function as NonNullable<Ruleset['rules'][string]>['then'][number]['function'];
}

/** The ruleset with spectral:oas's own oasExample and oasSchema back in every rule that uses them. */
async function unmemoised(): Promise<Ruleset> {
  const ruleset = await loadRuleset();
  const originals = [originalOf('oas3-valid-schema-example'), originalOf('duplicated-entry-in-enum')];
  const replaced = new Map<string, number>();
  for (const rule of Object.values(ruleset.rules)) {
    rule.then = rule.then.map((then) => {
      const original = originals.find((fn) => fn.name === then.function.name);
      if (original === undefined || then.function === original) return then;
      replaced.set(original.name, (replaced.get(original.name) ?? 0) + 1);
      return { ...then, function: original };
    });
  }
  assert.ok((replaced.get('oasExample') ?? 0) >= 2, 'the loaded ruleset memoises the example checks');
  assert.ok((replaced.get('oasSchema') ?? 0) >= 1, 'the loaded ruleset memoises the enum check');
  return ruleset;
}

const PERSON = `
        type: object
        required: [id, name, secret]
        properties:
          id: { type: string, readOnly: true, pattern: '^p_[0-9]+$', example: p_1 }
          name: { type: string, maxLength: 5, example: toolongname }
          secret: { type: string, writeOnly: true }
          age: { type: integer, minimum: 0, default: -1 }`;

const SCENARIOS: Record<string, string> = {
  'one invalid example repeated across schemas, parameters and headers': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      parameters:
        - { name: q, in: query, schema: { type: integer, maximum: 3, default: 9 } }
        - { name: r, in: query, schema: { type: integer, maximum: 3, default: 9 } }
        - { name: s, in: header, schema: { type: integer, maximum: 3, default: 2 } }
      responses:
        '200':
          description: ok
          headers:
            X-N: { schema: { type: integer, maximum: 3, default: 9 } }
components:
  schemas:
    A: { type: integer, maximum: 3, default: 9 }
    B: { type: integer, maximum: 3, default: 9 }
    C: { type: object, properties: { n: { type: integer, maximum: 3, default: 9 }, m: { type: integer, maximum: 3, default: 9 } } }
    D: { type: number, maximum: 1, example: .nan }
    E: { type: number, maximum: 1, example: .inf }
    F: { type: number, maximum: 1, example: .inf }
`,
  'the same media example in a request body and in responses (readOnly and writeOnly relax required differently)': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /people:
    post:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Person' }
            example: { name: ann }
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Person' }
              example: { name: ann }
    put:
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Person' }
            examples:
              one: { value: { name: ann } }
              two: { value: { id: p_2, name: bob, secret: x } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Person' }
              examples:
                one: { value: { name: ann } }
                two: { value: { id: p_2, name: bob, secret: x } }
  /people/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Person' }
              example: { name: ann }
components:
  requestBodies:
    Person:
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Person' }
          example: { name: ann }
  responses:
    Person:
      description: one
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Person' }
          example: { name: ann }
  schemas:
    Person:${PERSON}
    Twin:${PERSON}
`,
  'the same enums, with and without repeated entries, reached by many paths': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      parameters:
        - { name: q, in: query, schema: { type: string, enum: [x, y, x] } }
        - { name: r, in: query, schema: { type: string, enum: [x, y, x] } }
        - { name: s, in: query, schema: { type: string, enum: [x, y] } }
        - { name: t, in: query, schema: { $ref: '#/components/schemas/Twice' } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  a: { $ref: '#/components/schemas/Twice' }
                  b: { $ref: '#/components/schemas/Twice' }
                  c: { type: integer, enum: [1, 2, 2, 1] }
                  d: { type: integer, enum: [1, 2] }
                  e: { type: array, items: { $ref: '#/components/schemas/Holder' } }
components:
  schemas:
    Twice: { type: string, enum: [on, off, on] }
    Once: { type: string, enum: [on, off] }
    Holder: { type: object, properties: { f: { $ref: '#/components/schemas/Twice' }, g: { enum: [[1], [1]] } } }
`,
};

describe('memoised example and enum checks report what the plain checks report', async () => {
  const memoised = await loadRuleset();
  const plain = await unmemoised();
  for (const [name, text] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      const input = loadForLint(FILE, text);
      const expected = await lintDocument(plain, input);
      assert.ok(expected.some((f) => f.id.endsWith('-example') || f.id === 'duplicated-entry-in-enum'), 'the scenario has example or enum findings');
      assert.deepStrictEqual(await lintDocument(memoised, loadForLint(FILE, text)), expected);
    });
  }
});
