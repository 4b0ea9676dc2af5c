/**
 * The schema check catalogue: every ID the comparator can emit is listed once with its default
 * severity and direction, every one is reached by a scenario here, the count is pinned, the oasdiff
 * IDs keep oasdiff's levels, and every request check has a response mirror or a written waiver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA_CHECKS, SCHEMA_CHECK_SYMMETRY, schemaCheckOrigin, type SchemaLevel } from '../../src/governance/diff/schema/catalogue.js';
import type { SchemaContext } from '../../src/governance/diff/schema/compare.js';
import { brief, compare, type Options } from './fixtures/diff-schema/scenario.js';

/** A node pair showing one kind of change (or, for member kinds, an object pair whose property `p` shows it). */
interface Template {
  base: unknown;
  revision: unknown;
  openapi?: Options['openapi'];
  mediaType?: string;
}

const str = { type: 'string' };
const obj = (props: Record<string, unknown>, required?: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'object',
  properties: props,
  ...(required ? { required } : {}),
  ...extra,
});
const pair = (base: unknown, revision: unknown, more: Partial<Template> = {}): Template => ({ base, revision, ...more });
const keyword = (name: string, from: unknown, to: unknown, extra: Record<string, unknown> = {}): Template =>
  pair({ ...extra, ...(from === undefined ? {} : { [name]: from }) }, { ...extra, ...(to === undefined ? {} : { [name]: to }) });

const RESPONSE_LEVELS = new Set<SchemaLevel>(['response-body', 'response-property', 'response-header', 'response-header-property']);

/** Type changes depend on where the schema sits (text or JSON, parameter or body, request or response). */
function typeTemplate(family: string, level: SchemaLevel): Template {
  const response = RESPONSE_LEVELS.has(level);
  const t = (from: string, to: string, more: Partial<Template> = {}): Template => pair({ type: from }, { type: to }, more);
  switch (family) {
    case 'type-generalized':
      return t('integer', 'number');
    case 'type-specialized':
      return t('number', 'integer');
    case 'type-compatible':
      return response ? t('string', 'integer', { mediaType: 'application/xml' }) : t('integer', 'string', { mediaType: 'application/xml' });
    default:
      if (level === 'request-parameter-property' || level === 'request-header-property') return t('number', 'string');
      return level === 'response-header' ? t('integer', 'boolean') : t('string', 'integer');
  }
}

const NOW = new Date('2025-06-01T00:00:00Z');
const ro = { type: 'integer', readOnly: true };
const wo = { type: 'string', writeOnly: true };

/** One scenario per kind of change. */
const TEMPLATES: Record<string, Template | ((level: SchemaLevel) => Template)> = {
  'list-of-types-widened': pair(str, { oneOf: [str, { type: 'integer' }] }),
  'list-of-types-narrowed': pair({ oneOf: [str, { type: 'integer' }] }, str),
  'became-nullable': pair(str, { type: ['string', 'null'] }),
  'became-not-nullable': pair({ type: 'string', nullable: true }, str, { openapi: '3.0.3' }),
  'became-enum': pair(str, { type: 'string', enum: ['a'] }),
  'enum-removed': pair({ type: 'string', enum: ['a'] }, str),
  'enum-value-added': pair({ type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }),
  'enum-value-removed': pair({ type: 'string', enum: ['a', 'b'] }, { type: 'string', enum: ['a'] }),
  'read-only-property-enum-value-removed': pair({ ...str, readOnly: true, enum: ['a', 'b'] }, { ...str, readOnly: true, enum: ['a'] }),
  'write-only-property-enum-value-added': pair({ ...wo, enum: ['a'] }, { ...wo, enum: ['a', 'b'] }),
  'x-extensible-enum-value-removed': pair({ ...str, 'x-extensible-enum': ['a', 'b'] }, { ...str, 'x-extensible-enum': ['a'] }),
  'const-added': keyword('const', undefined, 'a', str),
  'const-removed': keyword('const', 'a', undefined, str),
  'const-changed': keyword('const', 'a', 'b', str),
  'default-value-added': keyword('default', undefined, 'a', str),
  'default-value-removed': keyword('default', 'a', undefined, str),
  'default-value-changed': keyword('default', 'a', 'b', str),
  'pattern-added': keyword('pattern', undefined, '^a$', str),
  'pattern-removed': keyword('pattern', '^a$', undefined, str),
  'pattern-changed': keyword('pattern', '^a$', '^b$', str),
  'pattern-generalized': keyword('pattern', '^a$', '.*', str),
  'read-only-property-max-decreased': keyword('maximum', 10, 5, ro),
  'read-only-property-exclusive-max-decreased': keyword('exclusiveMaximum', 10, 5, ro),
  'read-only-property-max-length-decreased': keyword('maxLength', 10, 5, { ...str, readOnly: true }),
  'read-only-property-min-increased': keyword('minimum', 1, 5, ro),
  'read-only-property-exclusive-min-increased': keyword('exclusiveMinimum', 1, 5, ro),
  'multiple-of-set': keyword('multipleOf', undefined, 2, { type: 'integer' }),
  'multiple-of-unset': keyword('multipleOf', 2, undefined, { type: 'integer' }),
  'multiple-of-narrowed': keyword('multipleOf', 2, 4, { type: 'integer' }),
  'multiple-of-widened': keyword('multipleOf', 4, 2, { type: 'integer' }),
  'multiple-of-changed': keyword('multipleOf', 2, 3, { type: 'integer' }),
  'unique-items-added': keyword('uniqueItems', undefined, true, { type: 'array', items: str }),
  'unique-items-removed': keyword('uniqueItems', true, false, { type: 'array', items: str }),
  'discriminator-added': keyword('discriminator', undefined, { propertyName: 'kind' }, obj({ kind: str })),
  'discriminator-removed': keyword('discriminator', { propertyName: 'kind' }, undefined, obj({ kind: str })),
  'discriminator-property-name-changed': keyword('discriminator', { propertyName: 'kind' }, { propertyName: 'type' }, obj({ kind: str, type: str })),
  'discriminator-mapping-added': keyword('discriminator', { propertyName: 'kind' }, { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } }, obj({ kind: str })),
  'discriminator-mapping-deleted': keyword('discriminator', { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } }, { propertyName: 'kind' }, obj({ kind: str })),
  'discriminator-mapping-changed': keyword('discriminator', { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } }, { propertyName: 'kind', mapping: { a: '#/components/schemas/B' } }, obj({ kind: str })),
  'all-of-added': pair({ allOf: [obj({ a: str })] }, { allOf: [obj({ a: str }), obj({ b: str }, ['b'])] }),
  'all-of-removed': pair({ allOf: [obj({ a: str }), obj({ b: str }, ['b'])] }, { allOf: [obj({ a: str })] }),
  'all-of-added-annotation-only': pair({ allOf: [obj({ a: str })] }, { allOf: [obj({ a: str }), { title: 'Note' }] }),
  'all-of-removed-annotation-only': pair({ allOf: [obj({ a: str }), { title: 'Note' }] }, { allOf: [obj({ a: str })] }),
  'any-of-added': pair({ anyOf: [obj({ a: str })] }, { anyOf: [obj({ a: str }), obj({ b: { type: 'integer' } })] }),
  'any-of-removed': pair({ anyOf: [obj({ a: str }), obj({ b: { type: 'integer' } })] }, { anyOf: [obj({ a: str })] }),
  'one-of-added': pair({ oneOf: [obj({ a: str })] }, { oneOf: [obj({ a: str }), obj({ b: { type: 'integer' } })] }),
  'one-of-removed': pair({ oneOf: [obj({ a: str }), obj({ b: { type: 'integer' } })] }, { oneOf: [obj({ a: str })] }),
  'wrapped-in-one-of': pair(obj({ a: str, b: str }), { oneOf: [obj({ a: str }), obj({ b: str })] }),
  'not-added': keyword('not', undefined, { enum: ['x'] }, str),
  'not-removed': keyword('not', { enum: ['x'] }, undefined, str),
  'not-changed': keyword('not', { enum: ['x'] }, { enum: ['y'] }, str),
  'items-added': keyword('items', undefined, str, { type: 'array' }),
  'items-removed': keyword('items', str, undefined, { type: 'array' }),
  'additional-properties-added': keyword('additionalProperties', undefined, false, { type: 'object' }),
  'additional-properties-removed': keyword('additionalProperties', false, undefined, { type: 'object' }),
  'prefix-items-added': keyword('prefixItems', [{ type: 'integer' }], [{ type: 'integer' }, str], { type: 'array' }),
  'prefix-items-removed': keyword('prefixItems', [{ type: 'integer' }, str], [{ type: 'integer' }], { type: 'array' }),
  'contains-added': keyword('contains', undefined, str, { type: 'array' }),
  'contains-removed': keyword('contains', str, undefined, { type: 'array' }),
  'min-contains-increased': keyword('minContains', 1, 2, { type: 'array', contains: str }),
  'min-contains-decreased': keyword('minContains', 2, 1, { type: 'array', contains: str }),
  'if-added': keyword('if', undefined, obj({ a: str }, ['a'])),
  'if-removed': keyword('if', obj({ a: str }, ['a']), undefined),
  'then-added': keyword('then', undefined, obj({ b: str }, ['b'])),
  'then-removed': keyword('then', obj({ b: str }, ['b']), undefined),
  'else-added': keyword('else', undefined, obj({ c: str }, ['c'])),
  'else-removed': keyword('else', obj({ c: str }, ['c']), undefined),
  'dependent-required-added': keyword('dependentRequired', undefined, { a: ['b'] }, { type: 'object' }),
  'dependent-required-removed': keyword('dependentRequired', { a: ['b'] }, undefined, { type: 'object' }),
  'dependent-required-changed': keyword('dependentRequired', { a: ['b'] }, { a: ['c'] }, { type: 'object' }),
  'dependent-schema-added': keyword('dependentSchemas', undefined, { a: obj({ b: str }, ['b']) }, { type: 'object' }),
  'dependent-schema-removed': keyword('dependentSchemas', { a: obj({ b: str }, ['b']) }, undefined, { type: 'object' }),
  'pattern-property-added': keyword('patternProperties', undefined, { '^x-': str }, { type: 'object' }),
  'pattern-property-removed': keyword('patternProperties', { '^x-': str }, undefined, { type: 'object' }),
  'property-names-added': keyword('propertyNames', undefined, { pattern: '^[a-z]+$' }, { type: 'object' }),
  'property-names-removed': keyword('propertyNames', { pattern: '^[a-z]+$' }, undefined, { type: 'object' }),
  'unevaluated-items-added': keyword('unevaluatedItems', undefined, false, { type: 'array' }),
  'unevaluated-items-removed': keyword('unevaluatedItems', false, undefined, { type: 'array' }),
  'unevaluated-properties-added': keyword('unevaluatedProperties', undefined, str, { type: 'object' }),
  'unevaluated-properties-removed': keyword('unevaluatedProperties', str, undefined, { type: 'object' }),
  'content-schema-added': keyword('contentSchema', undefined, obj({ a: str }), { ...str, contentMediaType: 'application/json' }),
  'content-schema-removed': keyword('contentSchema', obj({ a: str }), undefined, { ...str, contentMediaType: 'application/json' }),
  'content-media-type-changed': keyword('contentMediaType', 'application/json', 'text/plain', str),
  'content-encoding-changed': keyword('contentEncoding', 'base64', 'quoted-printable', str),
  // Member kinds: the change is about property `p` of the object.
  'became-required': pair(obj({ p: str }), obj({ p: str }, ['p'])),
  'became-required-with-default': pair(obj({ p: { ...str, default: 'a' } }), obj({ p: { ...str, default: 'a' } }, ['p'])),
  'became-optional': pair(obj({ p: str }, ['p']), obj({ p: str })),
  'write-only-property-became-optional': pair(obj({ p: wo }, ['p']), obj({ p: wo })),
  'write-only-property-became-required': pair(obj({ p: wo }), obj({ p: wo }, ['p'])),
  'property-removed': pair(obj({ p: str, q: str }), obj({ q: str })),
  'new-required-property': pair(obj({ q: str }), obj({ p: str, q: str }, ['p'])),
  'new-required-property-with-default': pair(obj({ q: str }), obj({ p: { ...str, default: 'a' }, q: str }, ['p'])),
  'new-optional-property': pair(obj({ q: str }), obj({ p: str, q: str })),
  'required-property-removed': pair(obj({ p: str, q: str }, ['p']), obj({ q: str })),
  'optional-property-removed': pair(obj({ p: str, q: str }), obj({ q: str })),
  'required-property-added': pair(obj({ q: str }), obj({ p: str, q: str }, ['p'])),
  'optional-property-added': pair(obj({ q: str }), obj({ p: str, q: str })),
  'required-write-only-property-removed': pair(obj({ p: wo, q: str }, ['p']), obj({ q: str })),
  'optional-write-only-property-removed': pair(obj({ p: wo, q: str }), obj({ q: str })),
  'required-write-only-property-added': pair(obj({ q: str }), obj({ p: wo, q: str }, ['p'])),
  'optional-write-only-property-added': pair(obj({ q: str }), obj({ p: wo, q: str })),
  deprecated: pair(obj({ p: str }), obj({ p: { ...str, deprecated: true } })),
  'deprecated-with-sunset': pair(obj({ p: str }), obj({ p: { ...str, deprecated: true, 'x-sunset': '2030-01-01' } })),
  'deprecated-sunset-invalid': pair(obj({ p: str }), obj({ p: { ...str, deprecated: true, 'x-sunset': 'next spring' } })),
  'sunset-date-too-small': pair(obj({ p: str }), obj({ p: { ...str, deprecated: true, 'x-sunset': '2020-01-01' } })),
  reactivated: pair(obj({ p: { ...str, deprecated: true } }), obj({ p: str })),
};

for (const required of [true, false]) {
  const kind = required ? 'required' : 'optional';
  const req = required ? ['p'] : undefined;
  TEMPLATES[`${kind}-property-became-read-only`] = pair(obj({ p: str }, req), obj({ p: { ...str, readOnly: true } }, req));
  TEMPLATES[`${kind}-property-became-not-read-only`] = pair(obj({ p: { ...str, readOnly: true } }, req), obj({ p: str }, req));
  TEMPLATES[`${kind}-property-became-write-only`] = pair(obj({ p: str }, req), obj({ p: { ...str, writeOnly: true } }, req));
  TEMPLATES[`${kind}-property-became-not-write-only`] = pair(obj({ p: { ...str, writeOnly: true } }, req), obj({ p: str }, req));
}
for (const [family, word, values] of [
  ['max', 'maximum', [10, 5]],
  ['exclusive-max', 'exclusiveMaximum', [10, 5]],
  ['max-length', 'maxLength', [10, 5]],
  ['max-items', 'maxItems', [10, 5]],
  ['max-properties', 'maxProperties', [10, 5]],
  ['min', 'minimum', [5, 1]],
  ['exclusive-min', 'exclusiveMinimum', [5, 1]],
  ['min-length', 'minLength', [5, 1]],
  ['min-items', 'minItems', [5, 1]],
  ['min-properties', 'minProperties', [5, 1]],
] as const) {
  const base = family.includes('length') ? str : family.includes('items') ? { type: 'array', items: str } : family.includes('properties') ? { type: 'object' } : { type: 'integer' };
  const [high, low] = values;
  TEMPLATES[`${family}-decreased`] = keyword(word, high, low, base);
  TEMPLATES[`${family}-increased`] = keyword(word, low, high, base);
  TEMPLATES[`${family}-set`] = keyword(word, undefined, high, base);
  TEMPLATES[`${family}-unset`] = keyword(word, high, undefined, base);
}
const containing = { type: 'array', contains: str };
TEMPLATES['max-contains-decreased'] = keyword('maxContains', 5, 3, containing);
TEMPLATES['max-contains-increased'] = keyword('maxContains', 3, 5, containing);
TEMPLATES['max-contains-set'] = keyword('maxContains', undefined, 3, containing);
TEMPLATES['max-contains-unset'] = keyword('maxContains', 3, undefined, containing);

/** Where a level puts the pair, and the property path the change must carry. */
function placement(level: SchemaLevel, member: boolean, root: boolean): { context: SchemaContext; wrap: boolean; path: string } {
  const contexts: Record<SchemaLevel, SchemaContext> = {
    'request-body': 'request-body',
    'request-property': 'request-body',
    'request-parameter': 'request-parameter',
    'request-parameter-property': 'request-parameter',
    'request-header-property': 'request-header',
    'response-body': 'response-body',
    'response-property': 'response-body',
    'response-header': 'response-header',
    'response-header-property': 'response-header',
  };
  const nested = level.endsWith('-property');
  if (member) return { context: contexts[level], wrap: false, path: 'p' };
  if (root) return { context: contexts[level], wrap: false, path: '' };
  return { context: contexts[level], wrap: nested, path: nested ? 'p' : '' };
}

const MEMBER_FAMILIES = /^(became-|write-only-property-became|property-removed|new-|required-|optional-|deprecated|sunset-date|reactivated)/;

test('catalogue: the number of schema checks is pinned', () => {
  assert.equal(SCHEMA_CHECKS.length, 885);
});

test('catalogue: IDs are unique, kebab-case, with a severity, direction and description', () => {
  const ids = new Set<string>();
  for (const check of SCHEMA_CHECKS) {
    assert.match(check.id, /^[a-z]+(-[a-z]+)*$/, check.id);
    assert.ok(!ids.has(check.id), `duplicate ${check.id}`);
    ids.add(check.id);
    assert.ok(['error', 'warn', 'info'].includes(check.severity), check.id);
    assert.equal(check.direction, check.id.includes('response') ? 'response' : 'request', check.id);
    assert.equal(check.area, 'schema');
    assert.ok(check.description.length > 10, check.id);
  }
});

// The IDs and default levels oasdiff's own tests expect for schema changes (shared/conformance).
const OASDIFF_LEVELS: Array<[string, string]> = [
  ['new-optional-request-property', 'info'],
  ['new-required-request-property', 'error'],
  ['new-required-request-property-with-default', 'error'],
  ['request-body-all-of-added', 'error'],
  ['request-body-all-of-removed', 'warn'],
  ['request-body-became-enum', 'error'],
  ['request-body-became-not-nullable', 'error'],
  ['request-body-exclusive-max-set', 'warn'],
  ['request-body-max-length-set', 'warn'],
  ['request-body-prefix-items-added', 'info'],
  ['request-body-type-compatible', 'info'],
  ['request-body-wrapped-in-one-of', 'error'],
  ['request-header-property-became-enum', 'error'],
  ['request-parameter-default-value-changed', 'error'],
  ['request-parameter-pattern-changed', 'warn'],
  ['request-parameter-property-type-changed', 'warn'],
  ['request-parameter-property-type-specialized', 'error'],
  ['request-parameter-x-extensible-enum-value-removed', 'error'],
  ['request-property-became-required-with-default', 'error'],
  ['request-property-content-encoding-changed', 'error'],
  ['request-property-deprecated-sunset-invalid', 'error'],
  ['request-property-removed', 'warn'],
  ['request-property-x-extensible-enum-value-removed', 'error'],
  ['response-body-became-nullable', 'error'],
  ['response-body-min-decreased', 'error'],
  ['response-body-one-of-added', 'error'],
  ['response-mediatype-enum-value-removed', 'info'],
  ['response-optional-property-removed', 'warn'],
  ['response-property-all-of-added', 'info'],
  ['response-property-any-of-added', 'info'],
  ['response-property-became-optional', 'error'],
  ['response-property-enum-value-added', 'warn'],
  ['response-property-list-of-types-widened', 'error'],
  ['response-property-pattern-added', 'info'],
  ['response-required-property-became-not-write-only', 'warn'],
  ['response-required-property-removed', 'error'],
];

for (const [id, severity] of OASDIFF_LEVELS) {
  test(`catalogue: ${id} keeps oasdiff's level (${severity})`, () => {
    assert.equal(SCHEMA_CHECKS.find((c) => c.id === id)?.severity ?? 'missing', severity);
  });
}

test('catalogue: every request check has a response mirror with the opposite verdict, or a written waiver', () => {
  const byId = new Map(SCHEMA_CHECKS.map((c) => [c.id, c]));
  const breaking = (id: string): boolean => byId.get(id)?.severity !== 'info';
  for (const check of SCHEMA_CHECKS.filter((c) => c.direction === 'request')) {
    const symmetry = SCHEMA_CHECK_SYMMETRY.get(check.id);
    assert.ok(symmetry, `${check.id} has neither a mirror nor a waiver`);
    if ('waiver' in symmetry) {
      assert.ok(symmetry.waiver.length > 20, `${check.id}: the waiver must say why`);
      continue;
    }
    const mirror = byId.get(symmetry.mirror);
    assert.ok(mirror && mirror.direction === 'response', `${check.id}: mirror ${symmetry.mirror} is a response check`);
    assert.notEqual(breaking(check.id), breaking(symmetry.mirror), `${check.id} (${check.severity}) and ${symmetry.mirror} (${mirror.severity})`);
  }
});

for (const check of SCHEMA_CHECKS) {
  test(`catalogue scenario: ${check.id} (${check.severity})`, () => {
    const origin = schemaCheckOrigin(check.id);
    assert.ok(origin);
    const entry = origin.family.startsWith('type-') ? typeTemplate(origin.family, origin.level) : TEMPLATES[origin.family];
    assert.ok(entry, `no scenario for the kind ${origin.family}`);
    const template = typeof entry === 'function' ? entry(origin.level) : entry;
    const member = MEMBER_FAMILIES.test(origin.family) && !origin.family.startsWith('became-enum') && !origin.family.startsWith('became-nullable') && !origin.family.startsWith('became-not-nullable');
    const root = origin.family === 'wrapped-in-one-of';
    const where = placement(origin.level, member, root);
    const wrap = (schema: unknown): unknown => (where.wrap ? { type: 'object', properties: { p: schema } } : schema);
    const changes = compare({ schema: wrap(template.base) }, { schema: wrap(template.revision) }, { context: where.context, openapi: template.openapi, mediaType: template.mediaType, now: NOW });
    assert.deepEqual(brief(changes), [{ id: check.id, severity: check.severity, path: where.path }]);
  });
}
