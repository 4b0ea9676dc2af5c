/**
 * Spectral's schema function compiles each distinct schema once per lint run
 * (src/governance/lint/compiled-validator-cache.ts): the cache answers only for schemas with the
 * same JSON text, dialect and allErrors, leaves `$id` schemas and inexact numbers to Ajv's own
 * path, and the examples it validates are reported exactly where they are, each one. Findings on
 * every lint fixture are held to the golden findings by lint-golden.test.ts.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { lintDocument, loadRuleset } from '../../src/governance/lint/index.js';
import { cachingCompiler, spectralCompilesThroughCache, spectralOwnCompiler } from '../../src/governance/lint/compiled-validator-cache.js';

function countingCompiler(): { compile: (schema: Record<string, unknown>, dialect: string, allErrors: boolean) => unknown; calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    compile: (schema) => {
      calls.push(schema);
      return { compiledFrom: schema };
    },
  };
}

type Validator = ((value: unknown) => boolean) & { errors?: unknown };

/** Schemas and values where the dialects, formats, meta-schemas and error messages differ. */
const CASES: Array<{ schema: Record<string, unknown>; values: unknown[] }> = [
  { schema: { type: 'string', format: 'date-time' }, values: ['2024-01-01T00:00:00Z', 'yesterday', 3] },
  { schema: { type: 'string', format: 'made-up' }, values: ['anything'] },
  { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } }, additionalProperties: false }, values: [{ id: 1 }, { id: 0, tags: ['a', 'a'], x: 1 }, []] },
  { schema: { oneOf: [{ type: 'string' }, { type: 'integer' }], errorMessage: 'must be a string or an integer' }, values: ['a', 1, 1.5, null] },
  { schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'number', maximum: 10, exclusiveMaximum: true }, values: [9, 10] },
  { schema: { type: 'array', prefixItems: [{ type: 'string' }], items: false }, values: [['a'], ['a', 1]] },
  { schema: { type: 'object', properties: { a: { type: 'string', nullable: true } }, dependentRequired: { a: ['b'] } }, values: [{ a: null }, { a: 'x' }] },
];

describe('the compiled-validator cache', () => {
  it("validates and reports exactly as Spectral's own compiler, in every dialect, with and without allErrors", () => {
    const ours = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-functions'))('./schema/ajv.js') as { createAjvInstances: () => (s: object, d: string, a: boolean) => unknown };
    const theirs = spectralOwnCompiler();
    assert.ok(theirs, "Spectral's own compiler was kept");
    const compileOurs = ours.createAjvInstances();
    let compared = 0;
    for (const dialect of ['auto', 'draft4', 'draft7', 'draft2019-09', 'draft2020-12']) {
      for (const allErrors of [false, true]) {
        for (const { schema, values } of CASES) {
          let theirValidator: Validator;
          try {
            theirValidator = theirs(structuredClone(schema), dialect, allErrors) as Validator;
          } catch (error) {
            assert.throws(() => compileOurs(structuredClone(schema), dialect, allErrors), { message: (error as Error).message });
            continue;
          }
          const ourValidator = compileOurs(structuredClone(schema), dialect, allErrors) as Validator;
          for (const value of values) {
            assert.equal(ourValidator(value), theirValidator(value), `${dialect} ${allErrors} ${JSON.stringify(schema)} ${JSON.stringify(value)}`);
            assert.deepEqual(ourValidator.errors, theirValidator.errors);
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 100);
  });

  it("is what Spectral's schema function compiles through", async () => {
    await loadRuleset();
    assert.equal(spectralCompilesThroughCache(), true);
    const functionsRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-functions'));
    const compile = (functionsRequire('./schema/ajv.js') as { createAjvInstances: () => (s: object, d: string, a: boolean) => unknown }).createAjvInstances();
    const first = compile({ type: 'string', maxLength: 3 }, 'auto', false);
    assert.equal(compile({ type: 'string', maxLength: 3 }, 'auto', false), first, 'a copy of a schema gets the validator compiled for it');
    assert.notEqual(compile({ type: 'string', maxLength: 3 }, 'auto', true), first, 'allErrors compiles its own');
    assert.equal((first as (v: unknown) => boolean)('abcd'), false);
    assert.equal((first as (v: unknown) => boolean)('abc'), true);
  });

  it('compiles a schema again only when its JSON text, dialect or allErrors differ', () => {
    const { compile, calls } = countingCompiler();
    const cached = cachingCompiler(compile);
    const a = cached({ type: 'integer', minimum: 1 }, 'auto', false);
    assert.equal(cached({ type: 'integer', minimum: 1 }, 'auto', false), a);
    assert.equal(calls.length, 1);
    cached({ type: 'integer', minimum: 2 }, 'auto', false);
    cached({ type: 'integer', minimum: 1 }, 'draft2020-12', false);
    cached({ type: 'integer', minimum: 1 }, 'auto', true);
    // Key order is part of the text: a differently written schema is compiled, never confused.
    cached({ minimum: 1, type: 'integer' }, 'auto', false);
    assert.equal(calls.length, 5);
  });

  it('leaves $id schemas and numbers JSON cannot keep (NaN, infinities, -0) to the compiler every time', () => {
    const { compile, calls } = countingCompiler();
    const cached = cachingCompiler(compile);
    for (const schema of [{ $id: 'urn:x', type: 'string' }, { maximum: Infinity }, { minimum: -0 }, { const: Number.NaN }]) {
      cached(schema, 'auto', false);
      cached(structuredClone(schema), 'auto', false);
    }
    assert.equal(calls.length, 8);
    // -0 and 0 write the same JSON: had -0 been cached, this would have answered with its validator.
    cached({ minimum: 0 }, 'auto', false);
    assert.equal(calls.length, 9);
  });

  it('reports a bad example at each place that repeats the schema, and a good one nowhere', async () => {
    const ruleset = await loadRuleset();
    const operations = ['a', 'b', 'c']
      .map(
        (name, i) => `  /${name}:
    get:
      operationId: get${name}
      security: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer, maximum: 10}
              example: {count: ${i === 1 ? 5 : 50}}`,
      )
      .join('\n');
    const text = `openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\nservers: [{url: 'https://api.example.com'}]\npaths:\n${operations}\n`;
    const findings = await lintDocument(ruleset, 'examples.yaml', text);
    const examples = findings.filter((f) => f.id === 'oas3-valid-media-example');
    assert.deepEqual(
      examples.map((f) => f.location?.pointer),
      ['/paths/~1a/get/responses/200/content/application~1json/example/count', '/paths/~1c/get/responses/200/content/application~1json/example/count'],
    );
    for (const finding of examples) assert.match(finding.message, /10/);
  });
});
