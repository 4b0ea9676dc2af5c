/**
 * The schema comparator on named scenarios: IDs, severities and property paths; messages and
 * locations; refactors that change nothing; cycles; memoised comparisons; transitions reported once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { createSchemaComparator } from '../../src/governance/diff/schema/compare.js';
import { brief, compare, documentOf, SUBJECT, type Options, type Version } from './fixtures/diff-schema/scenario.js';

const str = { type: 'string' };
const int = { type: 'integer' };
const obj = (props: Record<string, unknown>, required?: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'object',
  properties: props,
  ...(required ? { required } : {}),
  ...extra,
});
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

interface Scenario {
  name: string;
  base: Version;
  revision: Version;
  options?: Options;
  expected: Array<{ id: string; severity: string; path: string }>;
}

const pet = obj({ name: str, age: int }, ['name']);

const SCENARIOS: Scenario[] = [
  // Refactors that change no value a client sends or receives.
  { name: 'identical schemas', base: { schema: pet }, revision: { schema: pet }, expected: [] },
  { name: 'component renamed', base: { schema: ref('Pet'), components: { Pet: pet } }, revision: { schema: ref('Animal'), components: { Animal: pet } }, expected: [] },
  { name: 'inline schema extracted to a component', base: { schema: obj({ pet }) }, revision: { schema: obj({ pet: ref('Pet') }), components: { Pet: pet } }, expected: [] },
  { name: '$ref inlined', base: { schema: obj({ pet: ref('Pet') }), components: { Pet: pet } }, revision: { schema: obj({ pet }) }, expected: [] },
  {
    name: 'oneOf members reordered and one renamed',
    base: { schema: { oneOf: [ref('Cat'), ref('Dog')] }, components: { Cat: obj({ meow: str }), Dog: obj({ bark: str }) } },
    revision: { schema: { oneOf: [ref('Dog'), ref('Feline')] }, components: { Feline: obj({ meow: str }), Dog: obj({ bark: str }) } },
    expected: [],
  },
  { name: 'descriptions and examples edited', base: { schema: { ...str, description: 'a' } }, revision: { schema: { ...str, description: 'b', example: 'x' } }, expected: [] },
  {
    name: 'recursive schema unchanged',
    base: { schema: ref('Node'), components: { Node: obj({ value: str, children: { type: 'array', items: ref('Node') } }) } },
    revision: { schema: ref('Node'), components: { Node: obj({ value: str, children: { type: 'array', items: ref('Node') } }) } },
    expected: [],
  },
  // Paths, IDs and severities.
  {
    name: 'a deep change among identical siblings',
    base: { schema: obj({ a: ref('Same'), b: obj({ c: obj({ d: { ...str, enum: ['x', 'y'] } }) }) }), components: { Same: pet } },
    revision: { schema: obj({ a: ref('Same'), b: obj({ c: obj({ d: { ...str, enum: ['x'] } }) }) }), components: { Same: pet } },
    expected: [{ id: 'request-property-enum-value-removed', severity: 'error', path: 'b/c/d' }],
  },
  {
    name: 'recursive schema changed: reported once, at the first level',
    base: { schema: ref('Node'), components: { Node: obj({ value: { ...str, maxLength: 20 }, children: { type: 'array', items: ref('Node') } }) } },
    revision: { schema: ref('Node'), components: { Node: obj({ value: { ...str, maxLength: 10 }, children: { type: 'array', items: ref('Node') } }) } },
    expected: [{ id: 'request-property-max-length-decreased', severity: 'error', path: 'value' }],
  },
  {
    name: 'mutually recursive schemas',
    base: { schema: ref('A'), components: { A: obj({ b: ref('B') }), B: obj({ a: ref('A'), n: { ...int, maximum: 5 } }) } },
    revision: { schema: ref('A'), components: { A: obj({ b: ref('B') }), B: obj({ a: ref('A'), n: { ...int, maximum: 9 } }) } },
    options: { context: 'response-body' },
    expected: [{ id: 'response-property-max-increased', severity: 'error', path: 'b/n' }],
  },
  {
    name: 'array items: property path through items',
    base: { schema: { type: 'array', items: obj({ price: { ...str, maxLength: 20 } }) } },
    revision: { schema: { type: 'array', items: obj({ price: { ...str, maxLength: 10 } }) } },
    expected: [{ id: 'request-property-max-length-decreased', severity: 'error', path: 'items/price' }],
  },
  {
    name: 'removed required response property reported once',
    base: { schema: obj({ id: str, name: str }, ['id', 'name']) },
    revision: { schema: obj({ id: str }, ['id']) },
    options: { context: 'response-body' },
    expected: [{ id: 'response-required-property-removed', severity: 'error', path: 'name' }],
  },
  {
    name: 'required readOnly property added does not burden a request',
    base: { schema: obj({ name: str }) },
    revision: { schema: obj({ name: str, id: { ...str, readOnly: true } }, ['id']) },
    expected: [],
  },
  {
    name: 'required readOnly property made required does not burden a request',
    base: { schema: obj({ id: { ...str, readOnly: true } }) },
    revision: { schema: obj({ id: { ...str, readOnly: true } }, ['id']) },
    expected: [],
  },
  {
    name: 'required writeOnly property removed from a response',
    base: { schema: obj({ password: { ...str, writeOnly: true } }, ['password']) },
    revision: { schema: obj({}) },
    options: { context: 'response-body' },
    expected: [{ id: 'response-required-write-only-property-removed', severity: 'info', path: 'password' }],
  },
  {
    name: 'property became required, with and without default',
    base: { schema: obj({ a: str, b: { ...str, default: 'x' } }) },
    revision: { schema: obj({ a: str, b: { ...str, default: 'x' } }, ['a', 'b']) },
    expected: [
      { id: 'request-property-became-required', severity: 'error', path: 'a' },
      { id: 'request-property-became-required-with-default', severity: 'error', path: 'b' },
    ],
  },
  {
    name: 'integer widened to number: a generalisation in a request',
    base: { schema: obj({ n: int }) },
    revision: { schema: obj({ n: { type: 'number' } }) },
    expected: [{ id: 'request-property-type-generalized', severity: 'info', path: 'n' }],
  },
  {
    name: 'integer widened to number: breaking in a response',
    base: { schema: obj({ n: int }) },
    revision: { schema: obj({ n: { type: 'number' } }) },
    options: { context: 'response-body' },
    expected: [{ id: 'response-property-type-generalized', severity: 'error', path: 'n' }],
  },
  {
    name: '3.1 type array gains null: nullability only, no type change',
    base: { schema: obj({ s: str }) },
    revision: { schema: obj({ s: { type: ['string', 'null'] } }) },
    options: { context: 'response-body' },
    expected: [{ id: 'response-property-became-nullable', severity: 'error', path: 's' }],
  },
  {
    name: '3.0 nullable: true removed',
    base: { schema: obj({ s: { ...str, nullable: true } }) },
    revision: { schema: obj({ s: str }) },
    options: { openapi: '3.0.3' },
    expected: [{ id: 'request-property-became-not-nullable', severity: 'error', path: 's' }],
  },
  {
    name: 'made nullable by wrapping a $ref in oneOf with null: one change',
    base: { schema: obj({ kind: ref('Kind') }), components: { Kind: { ...str, enum: ['a', 'b'] } } },
    revision: { schema: obj({ kind: { oneOf: [{ type: 'null' }, ref('Kind')] } }), components: { Kind: { ...str, enum: ['a', 'b'] } } },
    expected: [{ id: 'request-property-became-nullable', severity: 'info', path: 'kind' }],
  },
  {
    name: 'nullable wrap that also narrows the enum: both changes',
    base: { schema: obj({ kind: ref('Kind') }), components: { Kind: { ...str, enum: ['a', 'b'] } } },
    revision: { schema: obj({ kind: { oneOf: [{ type: 'null' }, ref('Kind')] } }), components: { Kind: { ...str, enum: ['a'] } } },
    expected: [
      { id: 'request-property-became-nullable', severity: 'info', path: 'kind' },
      { id: 'request-property-enum-value-removed', severity: 'error', path: 'kind' },
    ],
  },
  {
    name: 'body wrapped in oneOf: one change, no property removals',
    base: { schema: obj({ a: str, b: int }, ['a']) },
    revision: { schema: { oneOf: [obj({ a: str }, ['a']), obj({ b: int })] } },
    expected: [{ id: 'request-body-wrapped-in-one-of', severity: 'error', path: '' }],
  },
  {
    name: 'single type to a list of types: list-of-types, not type or oneOf changes',
    base: { schema: obj({ id: str }) },
    revision: { schema: obj({ id: { oneOf: [str, int] } }) },
    expected: [{ id: 'request-property-list-of-types-widened', severity: 'info', path: 'id' }],
  },
  {
    name: 'enum restriction dropped by a list of types is a widening',
    base: { schema: obj({ mode: { ...str, enum: ['a', 'b'] } }) },
    revision: { schema: obj({ mode: { oneOf: [str, int] } }) },
    expected: [
      { id: 'request-property-list-of-types-widened', severity: 'info', path: 'mode' },
      { id: 'request-property-enum-removed', severity: 'info', path: 'mode' },
    ],
  },
  {
    name: '3.0 exclusiveMaximum turned on',
    base: { schema: obj({ n: { ...int, maximum: 10 } }) },
    revision: { schema: obj({ n: { ...int, maximum: 10, exclusiveMaximum: true } }) },
    options: { openapi: '3.0.3' },
    expected: [{ id: 'request-property-exclusive-max-set', severity: 'warn', path: 'n' }],
  },
  {
    name: '3.1 exclusiveMinimum raised',
    base: { schema: obj({ n: { ...int, exclusiveMinimum: 1 } }) },
    revision: { schema: obj({ n: { ...int, exclusiveMinimum: 3 } }) },
    expected: [{ id: 'request-property-exclusive-min-increased', severity: 'error', path: 'n' }],
  },
  {
    name: 'allOf member matched by title and compared',
    base: { schema: { allOf: [ref('Base'), { title: 'Extra', ...obj({ note: { ...str, maxLength: 9 } }) }] }, components: { Base: obj({ id: str }) } },
    revision: { schema: { allOf: [ref('Base'), { title: 'Extra', ...obj({ note: { ...str, maxLength: 5 } }) }] }, components: { Base: obj({ id: str }) } },
    options: { flatten: false },
    expected: [{ id: 'request-property-max-length-decreased', severity: 'error', path: 'allOf[Extra]/note' }],
  },
  {
    name: 'allOf members merged: a change inside one is a change of the merged schema',
    base: { schema: { allOf: [ref('Base'), { title: 'Extra', ...obj({ note: { ...str, maxLength: 9 } }) }] }, components: { Base: obj({ id: str }) } },
    revision: { schema: { allOf: [ref('Base'), { title: 'Extra', ...obj({ note: { ...str, maxLength: 5 } }) }] }, components: { Base: obj({ id: str }) } },
    expected: [{ id: 'request-property-max-length-decreased', severity: 'error', path: 'note' }],
  },
  {
    name: 'oneOf branch added: harmless to a request',
    base: { schema: { oneOf: [ref('Cat')] }, components: { Cat: obj({ meow: str }), Dog: obj({ bark: str }) } },
    revision: { schema: { oneOf: [ref('Cat'), ref('Dog')] }, components: { Cat: obj({ meow: str }), Dog: obj({ bark: str }) } },
    expected: [{ id: 'request-body-one-of-added', severity: 'info', path: '' }],
  },
  {
    name: 'oneOf branch added: breaks response clients',
    base: { schema: { oneOf: [ref('Cat')] }, components: { Cat: obj({ meow: str }), Dog: obj({ bark: str }) } },
    revision: { schema: { oneOf: [ref('Cat'), ref('Dog')] }, components: { Cat: obj({ meow: str }), Dog: obj({ bark: str }) } },
    options: { context: 'response-body' },
    expected: [{ id: 'response-body-one-of-added', severity: 'error', path: '' }],
  },
  {
    name: 'header parameter object property became enum',
    base: { schema: obj({ name: str }) },
    revision: { schema: obj({ name: { ...str, enum: ['A'] } }) },
    options: { context: 'request-header' },
    expected: [{ id: 'request-header-property-became-enum', severity: 'error', path: 'name' }],
  },
  {
    name: 'query parameter enum value removed',
    base: { schema: { ...str, enum: ['a', 'b'] } },
    revision: { schema: { ...str, enum: ['a'] } },
    options: { context: 'request-parameter' },
    expected: [{ id: 'request-parameter-enum-value-removed', severity: 'error', path: '' }],
  },
  {
    name: 'default of a required parameter changed: no client relies on it',
    base: { schema: { ...str, default: 'a' } },
    revision: { schema: { ...str, default: 'b' } },
    options: { context: 'request-parameter', parameters: { base: { in: 'query', name: 'q', required: true }, revision: { in: 'query', name: 'q', required: true } } },
    expected: [],
  },
  {
    name: 'default of an optional parameter changed',
    base: { schema: { ...str, default: 'a' } },
    revision: { schema: { ...str, default: 'b' } },
    options: { context: 'request-parameter', parameters: { base: { in: 'query', name: 'q' }, revision: { in: 'query', name: 'q' } } },
    expected: [{ id: 'request-parameter-default-value-changed', severity: 'error', path: '' }],
  },
  {
    name: 'form/explode query parameter: scalar to array of the same values',
    base: { schema: { type: ['string', 'integer'] } },
    revision: { schema: { type: 'array', items: str } },
    options: { context: 'request-parameter', parameters: { base: { in: 'query', name: 'q' }, revision: { in: 'query', name: 'q' } } },
    expected: [{ id: 'request-parameter-type-generalized', severity: 'info', path: '' }],
  },
  {
    name: 'simple-style path parameter: scalar to array is a type change',
    base: { schema: str },
    revision: { schema: { type: 'array', items: str } },
    options: { context: 'request-parameter', parameters: { base: { in: 'path', name: 'id', required: true }, revision: { in: 'path', name: 'id', required: true } } },
    expected: [{ id: 'request-parameter-type-changed', severity: 'error', path: '' }],
  },
  {
    name: 'text media type: integer to string is compatible',
    base: { schema: int },
    revision: { schema: str },
    options: { mediaType: 'application/xml' },
    expected: [{ id: 'request-body-type-compatible', severity: 'info', path: '' }],
  },
  {
    name: 'readOnly property: narrowing a maximum is informational in a request',
    base: { schema: obj({ n: { ...int, readOnly: true, maximum: 10 } }) },
    revision: { schema: obj({ n: { ...int, readOnly: true, maximum: 5 } }) },
    expected: [{ id: 'request-read-only-property-max-decreased', severity: 'info', path: 'n' }],
  },
  {
    name: 'property deprecated with a past sunset date',
    base: { schema: obj({ old: str }) },
    revision: { schema: obj({ old: { ...str, deprecated: true, 'x-sunset': '2020-01-01' } }) },
    options: { now: new Date('2025-01-01T00:00:00Z') },
    expected: [{ id: 'request-property-sunset-date-too-small', severity: 'error', path: 'old' }],
  },
  {
    name: 'negation added: reported as one change, not walked into',
    base: { schema: str },
    revision: { schema: { ...str, not: { enum: ['admin'] } } },
    expected: [{ id: 'request-body-not-added', severity: 'error', path: '' }],
  },
];

for (const scenario of SCENARIOS) {
  test(`compare: ${scenario.name}`, () => {
    assert.deepEqual(brief(compare(scenario.base, scenario.revision, scenario.options)), scenario.expected);
  });
}

// The same change judged on both sides of the wire.
const MIRRORED: Array<{ name: string; base: unknown; revision: unknown; request: [string, string]; response: [string, string] }> = [
  { name: 'enum value added', base: { ...str, enum: ['a'] }, revision: { ...str, enum: ['a', 'b'] }, request: ['request-property-enum-value-added', 'info'], response: ['response-property-enum-value-added', 'warn'] },
  { name: 'enum value removed', base: { ...str, enum: ['a', 'b'] }, revision: { ...str, enum: ['a'] }, request: ['request-property-enum-value-removed', 'error'], response: ['response-property-enum-value-removed', 'info'] },
  { name: 'maximum lowered', base: { ...int, maximum: 10 }, revision: { ...int, maximum: 5 }, request: ['request-property-max-decreased', 'error'], response: ['response-property-max-decreased', 'info'] },
  { name: 'maximum raised', base: { ...int, maximum: 5 }, revision: { ...int, maximum: 10 }, request: ['request-property-max-increased', 'info'], response: ['response-property-max-increased', 'error'] },
  { name: 'minLength lowered', base: { ...str, minLength: 5 }, revision: { ...str, minLength: 1 }, request: ['request-property-min-length-decreased', 'info'], response: ['response-property-min-length-decreased', 'error'] },
  { name: 'became nullable', base: str, revision: { type: ['string', 'null'] }, request: ['request-property-became-nullable', 'info'], response: ['response-property-became-nullable', 'error'] },
  { name: 'list of types widened', base: str, revision: { anyOf: [str, int] }, request: ['request-property-list-of-types-widened', 'info'], response: ['response-property-list-of-types-widened', 'error'] },
  { name: 'pattern added', base: str, revision: { ...str, pattern: '^a' }, request: ['request-property-pattern-added', 'error'], response: ['response-property-pattern-added', 'info'] },
];

for (const m of MIRRORED) {
  test(`direction: ${m.name}`, () => {
    const base = { schema: obj({ p: m.base }) };
    const revision = { schema: obj({ p: m.revision }) };
    assert.deepEqual(brief(compare(base, revision)), [{ id: m.request[0], severity: m.request[1], path: 'p' }]);
    assert.deepEqual(brief(compare(base, revision, { context: 'response-body' })), [{ id: m.response[0], severity: m.response[1], path: 'p' }]);
  });
}

test('message and locations: old and new values, keyword pointers in each document', () => {
  const [change] = compare({ schema: obj({ price: { ...str, maxLength: 20 } }) }, { schema: obj({ price: { ...str, maxLength: 10 } }) });
  assert.equal(change.message, "property 'price' maxLength decreased from 20 to 10");
  assert.deepEqual(change.base, { file: '/virtual/base/openapi.json', pointer: `${SUBJECT}/properties/price/maxLength` });
  assert.deepEqual(change.revision, { file: '/virtual/revision/openapi.json', pointer: `${SUBJECT}/properties/price/maxLength` });
});

test('messages: top level named by context; removed property located in the base only', () => {
  const [body] = compare({ schema: { ...str, enum: ['a', 'b'] } }, { schema: { ...str, enum: ['a'] } });
  assert.equal(body.message, "request body enum value 'b' removed");
  const [removed] = compare({ schema: obj({ a: str, b: int }) }, { schema: obj({ a: str }) });
  assert.equal(removed.message, "property 'b' was removed");
  assert.deepEqual(removed.base, { file: '/virtual/base/openapi.json', pointer: `${SUBJECT}/properties/b` });
  assert.deepEqual(removed.revision, { file: '/virtual/revision/openapi.json', pointer: `${SUBJECT}/properties` });
  const [type] = compare({ schema: obj({ n: int }) }, { schema: obj({ n: str }) });
  assert.equal(type.message, "property 'n' type changed from 'integer' to 'string'");
});

test('relative-file $ref: the change is located in the referenced file', () => {
  const petFile = (max: number): Record<string, unknown> => ({ Pet: obj({ name: { ...str, maxLength: max } }) });
  const changes = compare({ schema: { $ref: 'pet.json#/Pet' }, files: { 'pet.json': petFile(20) } }, { schema: { $ref: 'pet.json#/Pet' }, files: { 'pet.json': petFile(10) } });
  assert.deepEqual(brief(changes), [{ id: 'request-property-max-length-decreased', severity: 'error', path: 'name' }]);
  assert.deepEqual(changes[0].revision, { file: '/virtual/revision/pet.json', pointer: '/Pet/properties/name/maxLength' });
});

test('memoised comparator: a shared component is reported once under each root, with its first path and how many paths reach it', () => {
  const components = (max: number): Record<string, unknown> => ({ Shared: obj({ x: { ...int, maximum: max } }) });
  const comparator = createSchemaComparator();
  const base = documentOf('base', { schema: obj({ a: ref('Shared'), b: { type: 'array', items: ref('Shared') } }), components: components(10) }, '3.1.0');
  const revision = documentOf('revision', { schema: obj({ a: ref('Shared'), b: { type: 'array', items: ref('Shared') } }), components: components(5) }, '3.1.0');
  const side = (doc: typeof base, pointer: string): { value: unknown; file: string; pointer: string } => ({ value: { $ref: `#${pointer}` }, file: doc.file, pointer: '/x' });
  const run = (pointer: string): string[] =>
    comparator
      .compare({ base, revision, baseSchema: side(base, pointer), revisionSchema: side(revision, pointer), direction: 'request', context: 'request-body' })
      .map((c) => `${c.id} ${c.propertyPath.join('/')} x${c.paths}`);
  assert.deepEqual(run(`${SUBJECT}/properties/a`), ['request-property-max-decreased x x1']);
  assert.deepEqual(run(`${SUBJECT}/properties/b`), ['request-property-max-decreased items/x x1']);
  assert.deepEqual(run(SUBJECT), ['request-property-max-decreased a/x x2']);
  assert.deepEqual(run(`${SUBJECT}/properties/a`), ['request-property-max-decreased x x1']);
});

test('an unresolvable $ref is a contract error, not a change', () => {
  assert.throws(() => compare({ schema: ref('Missing') }, { schema: str }), (error: Error & { code?: string }) => error.code === 'CONTRACT_REF_UNRESOLVED');
});

test('file fixture: a split contract whose line schema moved to another file and changed', () => {
  const dir = new URL('./fixtures/diff-schema/', import.meta.url).pathname;
  const base = loadOpenApi(`${dir}split-base/openapi.yaml`);
  const revision = loadOpenApi(`${dir}split-revision/openapi.yaml`);
  const at = (doc: typeof base): { value: unknown; file: string; pointer: string } => ({ value: { $ref: '#/components/schemas/Order' }, file: doc.file, pointer: '/x' });
  for (const [direction, context, expected] of [
    ['request', 'request-body', [
      { id: 'request-property-max-length-decreased', severity: 'error', path: 'lines/items/sku' },
      { id: 'request-property-became-required', severity: 'error', path: 'lines/items/quantity' },
    ]],
    ['response', 'response-body', [
      { id: 'response-property-max-length-decreased', severity: 'info', path: 'lines/items/sku' },
      { id: 'response-property-became-required', severity: 'info', path: 'lines/items/quantity' },
    ]],
  ] as const) {
    const changes = createSchemaComparator().compare({ base, revision, baseSchema: at(base), revisionSchema: at(revision), direction, context });
    assert.deepEqual(brief(changes), expected);
    assert.equal(changes[0].revision?.file, `${dir}split-revision/schemas/order-line.yaml`);
    assert.equal(changes[0].revision?.pointer, '/OrderLine/properties/sku/maxLength');
  }
});
