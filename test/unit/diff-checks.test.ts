// One named fixture pair per structural diff check ID, with the exact findings it must produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import { DIFF_CHECKS } from '../../src/governance/diff/checks/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'diff');
const NOW = new Date('2025-06-01T12:00:00Z');

type Expected = [id: string, severity: 'error' | 'warn' | 'info', operation: string | null];

/** Each scenario is the folder `fixtures/diff/<name>` holding `base.yaml` and `revision.yaml`. */
export const SCENARIOS: Array<{ name: string; expected: Expected[] }> = [
  { name: 'api-deprecated-sunset-parse', expected: [['api-deprecated-sunset-parse', 'error', 'POST /orders']] },
  { name: 'api-global-security-added', expected: [['api-global-security-added', 'error', null]] },
  { name: 'api-global-security-removed', expected: [['api-global-security-removed', 'info', null]] },
  { name: 'api-global-security-removed-alternative', expected: [['api-global-security-removed', 'error', null]] },
  { name: 'api-global-security-scope-added', expected: [['api-global-security-scope-added', 'error', null]] },
  { name: 'api-global-security-scope-removed', expected: [['api-global-security-scope-removed', 'info', null]] },
  { name: 'api-invalid-stability-level', expected: [['api-invalid-stability-level', 'error', 'POST /orders']] },
  { name: 'api-operation-id-added', expected: [['api-operation-id-added', 'info', 'GET /orders']] },
  { name: 'api-operation-id-removed', expected: [['api-operation-id-removed', 'info', 'GET /orders']] },
  { name: 'api-path-removed-alpha-stability', expected: [] },
  { name: 'api-path-removed-before-sunset', expected: [['api-path-removed-before-sunset', 'error', 'GET /items']] },
  { name: 'api-path-removed-deprecated-without-sunset', expected: [['api-path-removed-before-sunset', 'error', 'GET /items']] },
  { name: 'api-path-removed-with-deprecation', expected: [['api-path-removed-with-deprecation', 'info', 'GET /items']] },
  { name: 'api-path-removed-without-deprecation', expected: [['api-path-removed-without-deprecation', 'error', 'GET /items']] },
  { name: 'api-path-sunset-parse', expected: [['api-path-sunset-parse', 'error', 'GET /items']] },
  { name: 'api-removed-before-sunset', expected: [['api-removed-before-sunset', 'error', 'POST /orders']] },
  { name: 'api-removed-rfc3339-sunset', expected: [['api-removed-before-sunset', 'error', 'POST /orders']] },
  { name: 'api-removed-with-deprecation', expected: [['api-removed-with-deprecation', 'info', 'POST /orders']] },
  { name: 'api-removed-without-deprecation', expected: [['api-removed-without-deprecation', 'error', 'POST /orders']] },
  { name: 'api-schema-removed', expected: [['api-schema-removed', 'info', null]] },
  { name: 'api-security-added', expected: [['api-security-added', 'info', 'GET /orders']] },
  { name: 'api-security-added-to-open-operation', expected: [['api-security-added', 'error', 'GET /orders']] },
  { name: 'api-security-anonymous-removed', expected: [['api-security-removed', 'error', 'GET /orders']] },
  { name: 'api-security-component-added', expected: [['api-security-component-added', 'info', null]] },
  { name: 'api-security-component-oauth-scope-added', expected: [['api-security-component-oauth-scope-added', 'info', null]] },
  { name: 'api-security-component-oauth-scope-changed', expected: [['api-security-component-oauth-scope-changed', 'info', null]] },
  { name: 'api-security-component-oauth-scope-removed', expected: [['api-security-component-oauth-scope-removed', 'info', null]] },
  { name: 'api-security-component-oauth-token-url-changed', expected: [['api-security-component-oauth-token-url-changed', 'info', null]] },
  { name: 'api-security-component-oauth-url-changed', expected: [['api-security-component-oauth-url-changed', 'info', null]] },
  { name: 'api-security-component-removed', expected: [['api-security-component-removed', 'info', null]] },
  { name: 'api-security-component-type-changed', expected: [['api-security-component-type-changed', 'error', null]] },
  { name: 'api-security-made-public', expected: [['api-security-removed', 'info', 'GET /orders']] },
  { name: 'api-security-removed', expected: [['api-security-removed', 'error', 'GET /orders']] },
  { name: 'api-security-scope-added', expected: [['api-security-scope-added', 'error', 'GET /orders']] },
  { name: 'api-security-second-scheme-required', expected: [['api-security-added', 'error', 'GET /orders'], ['api-security-removed', 'error', 'GET /orders']] },
  { name: 'api-security-scope-removed', expected: [['api-security-scope-removed', 'info', 'GET /orders']] },
  { name: 'api-stability-decreased', expected: [['api-stability-decreased', 'error', 'POST /orders']] },
  { name: 'api-stability-increased', expected: [['api-stability-increased', 'info', 'POST /orders']] },
  { name: 'api-sunset-date-changed-too-small', expected: [['api-sunset-date-changed-too-small', 'error', 'POST /orders']] },
  { name: 'api-sunset-date-too-small', expected: [['api-sunset-date-too-small', 'error', 'POST /orders']] },
  { name: 'api-tag-added', expected: [['api-tag-added', 'info', 'GET /orders']] },
  { name: 'api-tag-removed', expected: [['api-tag-removed', 'info', 'GET /orders']] },
  { name: 'draft-operation-changes-freely', expected: [] },
  { name: 'endpoint-added', expected: [['endpoint-added', 'info', 'POST /orders']] },
  { name: 'endpoint-deprecated-with-sunset', expected: [['endpoint-deprecated-with-sunset', 'info', 'POST /orders']] },
  { name: 'endpoint-deprecated', expected: [['endpoint-deprecated', 'info', 'POST /orders']] },
  { name: 'endpoint-reactivated', expected: [['endpoint-reactivated', 'info', 'POST /orders']] },
  { name: 'new-optional-request-default-parameter-to-existing-path', expected: [['new-optional-request-default-parameter-to-existing-path', 'info', 'GET /orders'], ['new-optional-request-default-parameter-to-existing-path', 'info', 'POST /orders']] },
  { name: 'new-optional-request-parameter', expected: [['new-optional-request-parameter', 'info', 'GET /orders']] },
  { name: 'new-request-path-parameter', expected: [['new-request-path-parameter', 'error', 'GET /orders/{id}/lines']] },
  { name: 'new-required-request-default-parameter-to-existing-path', expected: [['new-required-request-default-parameter-to-existing-path', 'error', 'GET /orders'], ['new-required-request-default-parameter-to-existing-path', 'error', 'POST /orders']] },
  { name: 'new-required-request-parameter', expected: [['new-required-request-parameter', 'error', 'GET /orders']] },
  { name: 'optional-response-header-removed', expected: [['optional-response-header-removed', 'warn', 'GET /orders/{id}']] },
  { name: 'renamed-path-parameter-is-no-change', expected: [] },
  { name: 'request-body-added-optional', expected: [['request-body-added-optional', 'info', 'POST /orders']] },
  { name: 'request-body-added-required', expected: [['request-body-added-required', 'error', 'POST /orders']] },
  { name: 'request-body-became-optional', expected: [['request-body-became-optional', 'info', 'POST /orders']] },
  { name: 'request-body-became-required', expected: [['request-body-became-required', 'error', 'POST /orders']] },
  { name: 'request-body-media-type-added', expected: [['request-body-media-type-added', 'info', 'POST /orders']] },
  { name: 'request-body-media-type-removed', expected: [['request-body-media-type-removed', 'error', 'POST /orders']] },
  { name: 'request-body-media-type-schema-added', expected: [['request-body-media-type-schema-added', 'error', 'POST /orders']] },
  { name: 'request-body-media-type-schema-removed', expected: [['request-body-media-type-schema-removed', 'info', 'POST /orders']] },
  { name: 'request-body-removed', expected: [['request-body-removed', 'error', 'POST /orders']] },
  { name: 'request-parameter-became-optional', expected: [['request-parameter-became-optional', 'info', 'GET /orders']] },
  { name: 'request-parameter-became-required', expected: [['request-parameter-became-required', 'error', 'GET /orders']] },
  { name: 'request-parameter-deprecated', expected: [['request-parameter-deprecated', 'info', 'GET /orders']] },
  { name: 'request-parameter-explode-changed', expected: [['request-parameter-explode-changed', 'error', 'GET /orders']] },
  { name: 'request-parameter-in-changed', expected: [['request-parameter-in-changed', 'error', 'GET /orders']] },
  { name: 'request-parameter-reactivated', expected: [['request-parameter-reactivated', 'info', 'GET /orders']] },
  { name: 'request-parameter-removed-before-sunset', expected: [['request-parameter-removed-before-sunset', 'error', 'GET /orders']] },
  // Like a deprecated operation or path without a sunset date: its removal is not yet allowed.
  { name: 'request-parameter-removed-deprecated-without-sunset', expected: [['request-parameter-removed-before-sunset', 'error', 'GET /orders']] },
  { name: 'request-parameter-removed-with-deprecation', expected: [['request-parameter-removed-with-deprecation', 'info', 'GET /orders']] },
  { name: 'request-parameter-removed', expected: [['request-parameter-removed', 'warn', 'GET /orders']] },
  { name: 'request-parameter-style-changed', expected: [['request-parameter-style-changed', 'error', 'GET /orders']] },
  { name: 'request-parameter-sunset-date-changed-too-small', expected: [['request-parameter-sunset-date-changed-too-small', 'error', 'GET /orders']] },
  { name: 'request-parameter-sunset-date-too-small', expected: [['request-parameter-sunset-date-too-small', 'error', 'GET /orders']] },
  { name: 'request-parameter-sunset-deleted', expected: [['request-parameter-sunset-deleted', 'error', 'GET /orders']] },
  { name: 'request-parameter-sunset-parse', expected: [['request-parameter-sunset-parse', 'error', 'GET /orders']] },
  { name: 'required-response-header-removed', expected: [['required-response-header-removed', 'error', 'GET /orders/{id}']] },
  { name: 'response-body-media-type-schema-added', expected: [['response-body-media-type-schema-added', 'info', 'GET /orders/{id}']] },
  { name: 'response-body-media-type-schema-removed', expected: [['response-body-media-type-schema-removed', 'warn', 'GET /orders/{id}']] },
  { name: 'response-header-added', expected: [['response-header-added', 'info', 'GET /orders/{id}']] },
  { name: 'response-header-became-optional', expected: [['response-header-became-optional', 'error', 'GET /orders/{id}']] },
  { name: 'response-media-type-added', expected: [['response-media-type-added', 'info', 'GET /orders/{id}']] },
  { name: 'response-media-type-name-changed', expected: [['response-media-type-name-changed', 'info', 'GET /orders/{id}']] },
  { name: 'response-media-type-name-generalized', expected: [['response-media-type-name-generalized', 'error', 'GET /orders/{id}']] },
  { name: 'response-media-type-name-specialized', expected: [['response-media-type-name-specialized', 'info', 'GET /orders/{id}']] },
  { name: 'response-media-type-removed', expected: [['response-media-type-removed', 'error', 'GET /orders/{id}']] },
  { name: 'response-non-success-status-added', expected: [['response-non-success-status-added', 'info', 'GET /orders/{id}']] },
  { name: 'response-non-success-status-removed', expected: [['response-non-success-status-removed', 'info', 'GET /orders/{id}']] },
  { name: 'response-success-status-added', expected: [['response-success-status-added', 'info', 'GET /orders/{id}']] },
  { name: 'response-success-status-removed', expected: [['response-success-status-removed', 'error', 'GET /orders/{id}']] },
  { name: 'sunset-deleted', expected: [['sunset-deleted', 'error', 'POST /orders']] },
  { name: 'webhook-added', expected: [['webhook-added', 'info', null]] },
  { name: 'webhook-operation-removed', expected: [['api-removed-without-deprecation', 'error', 'PUT webhook:orderShipped']] },
  { name: 'webhook-removed', expected: [['webhook-removed', 'error', null]] },
];

function run(name: string): Expected[] {
  const base = loadOpenApi(join(FIXTURES, name, 'base.yaml'));
  const revision = loadOpenApi(join(FIXTURES, name, 'revision.yaml'));
  return diffContracts(base, revision, { now: NOW }).map((f) => [f.id, f.severity as Expected[1], f.operation ?? null]);
}

for (const scenario of SCENARIOS) {
  test(`diff check scenario: ${scenario.name}`, () => {
    assert.deepEqual(run(scenario.name), scenario.expected);
  });
}

test('every structural check ID is produced by a named scenario with its default severity', () => {
  const produced = new Map<string, string>();
  for (const scenario of SCENARIOS) for (const [id, severity] of scenario.expected) produced.set(id, severity);
  const missing: string[] = [];
  for (const definition of DIFF_CHECKS.flatMap((c) => c.definitions)) {
    if (!produced.has(definition.id)) missing.push(definition.id);
    else assert.equal(produced.get(definition.id), definition.severity, `${definition.id} severity`);
  }
  assert.deepEqual(missing, []);
});

test('a finding points at the revision, or at the base when the thing was removed', () => {
  const removed = diffContracts(
    loadOpenApi(join(FIXTURES, 'api-removed-without-deprecation', 'base.yaml')),
    loadOpenApi(join(FIXTURES, 'api-removed-without-deprecation', 'revision.yaml')),
    { now: NOW },
  );
  assert.equal(removed.length, 1);
  assert.match(removed[0]!.location.file, /api-removed-without-deprecation[/\\]base\.yaml$/);
  assert.equal(removed[0]!.location.pointer, '/paths/~1orders/post');
  assert.equal(removed[0]!.location.line, 21);

  const added = diffContracts(
    loadOpenApi(join(FIXTURES, 'new-required-request-parameter', 'base.yaml')),
    loadOpenApi(join(FIXTURES, 'new-required-request-parameter', 'revision.yaml')),
    { now: NOW },
  );
  assert.equal(added.length, 1);
  assert.match(added[0]!.location.file, /new-required-request-parameter[/\\]revision\.yaml$/);
  assert.equal(added[0]!.location.pointer, '/paths/~1orders/get/parameters/0');
});

test('sunset decisions follow the given day', () => {
  const pair = (name: string) => [join(FIXTURES, name, 'base.yaml'), join(FIXTURES, name, 'revision.yaml')] as const;
  const [b, r] = pair('api-removed-before-sunset');
  const after = diffContracts(loadOpenApi(b), loadOpenApi(r), { now: new Date('3000-01-01T00:00:00Z') });
  assert.deepEqual(after.map((f) => [f.id, f.severity]), [['api-removed-with-deprecation', 'info']]);
});
