// The registry of diff check IDs: its shape, its pinned size, and the request/response symmetry of the structural checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS, checkById } from '../../src/governance/rules/index.js';
import { DIFF_CHECKS } from '../../src/governance/diff/checks/index.js';
import { SCHEMA_CHECKS } from '../../src/governance/diff/schema/catalogue.js';

/** Pinned: adding or removing a check must touch this number (and the scenario tables). */
const STRUCTURAL_CHECK_COUNT = 84;
// The schema comparator's catalogue (`SCHEMA_CHECKS`) pins its own part; this pins the sum users see.
const TOTAL_CHECK_COUNT = 969;

test('the registry holds every structural and schema check, each ID once', () => {
  const structural = DIFF_CHECKS.flatMap((c) => c.definitions);
  assert.equal(structural.length, STRUCTURAL_CHECK_COUNT);
  assert.equal(CHECKS.length, TOTAL_CHECK_COUNT);
  assert.equal(CHECKS.length, structural.length + SCHEMA_CHECKS.length);
  const ids = CHECKS.map((c) => c.id);
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  assert.ok(Object.isFrozen(CHECKS));
});

test('every entry is well formed', () => {
  for (const check of CHECKS) {
    assert.match(check.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, check.id);
    assert.ok(['error', 'warn', 'info'].includes(check.severity), `${check.id} severity ${check.severity}`);
    assert.ok(['request', 'response', 'none'].includes(check.direction), `${check.id} direction`);
    assert.ok(check.area.length > 0, `${check.id} area`);
    assert.match(check.description, /^[A-Z].*\.$/, `${check.id} description`);
  }
});

test('checkById finds registered checks and nothing else', () => {
  assert.deepEqual(checkById('api-path-removed-without-deprecation'), {
    id: 'api-path-removed-without-deprecation',
    severity: 'error',
    direction: 'none',
    area: 'paths',
    description: 'A path was removed without having been deprecated.',
  });
  assert.equal(checkById('request-parameter-removed')?.severity, 'warn');
  assert.equal(checkById('no-such-check'), undefined);
});

/**
 * Every structural request-side check is mirrored on the response side, or says why not. A
 * mirror names the response check that watches the same kind of element flowing the other way.
 */
const SYMMETRY: Record<string, { mirror: string } | { waiver: string }> = {
  'request-body-media-type-added': { mirror: 'response-media-type-added' },
  'request-body-media-type-removed': { mirror: 'response-media-type-removed' },
  'request-body-media-type-schema-added': { mirror: 'response-body-media-type-schema-added' },
  'request-body-media-type-schema-removed': { mirror: 'response-body-media-type-schema-removed' },
  'request-parameter-removed': { mirror: 'optional-response-header-removed' },
  'new-optional-request-parameter': { mirror: 'response-header-added' },
  'request-parameter-became-optional': { mirror: 'response-header-became-optional' },
  'request-body-removed': { mirror: 'response-success-status-removed' },
  'request-body-added-optional': { mirror: 'response-success-status-added' },
  'request-parameter-removed-with-deprecation': { waiver: 'deprecation and sunset are declared on request parameters only; response headers have no deprecated flag' },
  'request-parameter-removed-before-sunset': { waiver: 'response headers have no deprecated flag, so no sunset to honour' },
  'request-parameter-sunset-parse': { waiver: 'response headers carry no x-sunset' },
  'request-parameter-deprecated': { waiver: 'response headers have no deprecated flag' },
  'request-parameter-reactivated': { waiver: 'response headers have no deprecated flag' },
  'request-parameter-sunset-date-too-small': { waiver: 'response headers carry no x-sunset' },
  'request-parameter-sunset-deleted': { waiver: 'response headers carry no x-sunset' },
  'request-parameter-sunset-date-changed-too-small': { waiver: 'response headers carry no x-sunset' },
  'new-required-request-parameter': { waiver: 'a new required response header is what response-header-added reports; adding output never breaks a reader' },
  'new-request-path-parameter': { waiver: 'responses have no path' },
  'new-required-request-default-parameter-to-existing-path': { waiver: 'path-level parameters have no response counterpart' },
  'new-optional-request-default-parameter-to-existing-path': { waiver: 'path-level parameters have no response counterpart' },
  'request-parameter-became-required': { waiver: 'a response header becoming required only adds a guarantee (compatible, not reported)' },
  'request-parameter-in-changed': { waiver: 'response data has one location (headers)' },
  'request-parameter-style-changed': { waiver: 'response headers are always serialised with the simple style' },
  'request-parameter-explode-changed': { waiver: 'response headers are always serialised with the simple style' },
  'request-body-added-required': { waiver: 'a response body cannot be required of the client' },
  'request-body-became-required': { waiver: 'a response body cannot be required of the client' },
  'request-body-became-optional': { waiver: 'a response body cannot be required of the client' },
};

test('every structural request check has a response mirror or a written waiver', () => {
  const structural = DIFF_CHECKS.flatMap((c) => c.definitions);
  const request = structural.filter((c) => c.direction === 'request').map((c) => c.id).sort();
  assert.deepEqual(Object.keys(SYMMETRY).sort(), request);
  for (const [id, entry] of Object.entries(SYMMETRY)) {
    if ('mirror' in entry) assert.equal(checkById(entry.mirror)?.direction, 'response', `${id} mirror ${entry.mirror}`);
    else assert.ok(entry.waiver.length > 10, `${id} waiver`);
  }
});
