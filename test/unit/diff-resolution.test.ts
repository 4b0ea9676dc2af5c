// Resolution and direction: $ref spelling is not a change, shared components report once per operation
// when expanded (grouping by cause is diff-grouping.test.ts), cycles terminate, relative files resolve,
// and the same narrowing breaks a request but not a response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'diff-resolution');
const NOW = new Date('2025-06-01T12:00:00Z');

function diff(base: string, revision: string): Array<[string, string, string | null]> {
  const findings = diffContracts(loadOpenApi(join(FIXTURES, base)), loadOpenApi(join(FIXTURES, revision)), { now: NOW, expand: true });
  return findings.map((f) => [f.id, f.severity, f.operation ?? null]);
}

const SCENARIOS: Array<{ name: string; base: string; revision: string; expected: Array<[string, string, string | null]> }> = [
  { name: 'renaming a component is not a change', base: 'base.yaml', revision: 'renamed.yaml', expected: [] },
  { name: 'extracting inline schemas into a component is not a change', base: 'inline.yaml', revision: 'base.yaml', expected: [] },
  {
    name: 'inlining a $ref is not a change (only the now unused component is noted)',
    base: 'base.yaml',
    revision: 'inline.yaml',
    expected: [['api-schema-removed', 'info', null]],
  },
  { name: 'routing a $ref through another $ref is not a change', base: 'base.yaml', revision: 'ref-chain.yaml', expected: [] },
  {
    name: 'a change in a shared component is reported once per affected operation and status (200 and 201 share it)',
    base: 'base.yaml',
    revision: 'narrowed.yaml',
    expected: [
      ['response-property-max-length-decreased', 'info', 'GET /orders'],
      ['request-property-max-length-decreased', 'error', 'POST /orders'],
      ['response-property-max-length-decreased', 'info', 'POST /orders'],
      ['response-property-max-length-decreased', 'info', 'POST /orders'],
      ['response-property-max-length-decreased', 'info', 'GET /orders/{id}'],
    ],
  },
  {
    name: 'inline copies are separate schemas: each changed copy is a change (201 too)',
    base: 'inline.yaml',
    revision: 'inline-narrowed.yaml',
    expected: [
      ['response-property-max-length-decreased', 'info', 'GET /orders'],
      ['request-property-max-length-decreased', 'error', 'POST /orders'],
      ['response-property-max-length-decreased', 'info', 'POST /orders'],
      ['response-property-max-length-decreased', 'info', 'POST /orders'],
      ['response-property-max-length-decreased', 'info', 'GET /orders/{id}'],
    ],
  },
  {
    name: 'direction: removing an enum value breaks requests, not responses',
    base: 'base.yaml',
    revision: 'enum-narrowed.yaml',
    expected: [
      ['response-property-enum-value-removed', 'info', 'GET /orders'],
      ['request-property-enum-value-removed', 'error', 'POST /orders'],
      ['response-property-enum-value-removed', 'info', 'POST /orders'],
      ['response-property-enum-value-removed', 'info', 'POST /orders'],
      ['response-property-enum-value-removed', 'info', 'GET /orders/{id}'],
    ],
  },
  {
    name: 'direction: adding an enum value may break response readers, never request senders',
    base: 'enum-narrowed.yaml',
    revision: 'base.yaml',
    expected: [
      ['response-property-enum-value-added', 'warn', 'GET /orders'],
      ['request-property-enum-value-added', 'info', 'POST /orders'],
      ['response-property-enum-value-added', 'warn', 'POST /orders'],
      ['response-property-enum-value-added', 'warn', 'POST /orders'],
      ['response-property-enum-value-added', 'warn', 'GET /orders/{id}'],
    ],
  },
  {
    name: 'a recursive schema terminates and reports its change once per side',
    base: 'cycle-base.yaml',
    revision: 'cycle-revision.yaml',
    expected: [
      ['request-property-max-length-decreased', 'error', 'POST /nodes'],
      ['response-property-max-length-decreased', 'info', 'POST /nodes'],
    ],
  },
  { name: 'a recursive schema compared with itself has no change', base: 'cycle-base.yaml', revision: 'cycle-base.yaml', expected: [] },
];

for (const scenario of SCENARIOS) {
  test(`diff resolution: ${scenario.name}`, () => {
    assert.deepEqual(diff(scenario.base, scenario.revision), scenario.expected);
  });
}

test('diff resolution: a change in a relatively referenced file is found and located in that file', () => {
  const findings = diffContracts(loadOpenApi(join(FIXTURES, 'split-base', 'api.yaml')), loadOpenApi(join(FIXTURES, 'split-revision', 'api.yaml')), { now: NOW });
  assert.deepEqual(
    findings.map((f) => [f.id, f.severity, f.operation, f.location.file, f.location.line, f.location.pointer]),
    [['request-property-max-length-decreased', 'error', 'POST /orders', join(FIXTURES, 'split-revision', 'schemas', 'order.yaml'), 9, '/properties/note/maxLength']],
  );
  assert.equal(findings[0]!.baseLocation?.file, join(FIXTURES, 'split-base', 'schemas', 'order.yaml'));
});
