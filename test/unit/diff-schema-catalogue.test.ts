/**
 * The schema check catalogue: every ID the comparator can emit is listed once with its default
 * severity and direction, every one is reached by a scenario here, the count is pinned, the oasdiff
 * IDs keep oasdiff's levels, and every request check has a response mirror or a written waiver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA_CHECKS, SCHEMA_CHECK_SYMMETRY } from '../../src/governance/diff/schema/catalogue.js';
import { brief, compare } from './fixtures/diff-schema/scenario.js';
import { catalogueScenario } from './fixtures/diff-schema/catalogue-scenarios.js';


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
    const scenario = catalogueScenario(check.id);
    assert.ok(scenario, `no scenario for ${check.id}`);
    const changes = compare(scenario.base, scenario.revision, scenario.options);
    assert.deepEqual(brief(changes), [{ id: check.id, severity: check.severity, path: scenario.path }]);
  });
}
