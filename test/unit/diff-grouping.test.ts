// Findings grouped by cause: one change to a shared component is one finding listing every operation
// and place it reaches, in every format; --expand gives one per operation and place (each status too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import type { Finding } from '../../src/governance/findings.js';
import { renderFindings, type Format } from '../../src/cli/formatters/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(import.meta.dirname, 'fixtures', 'diff-grouping', 'shared-component');
const NOW = new Date('2025-06-01T12:00:00Z');

/** `Charge.refunds` became nullable; Charge is returned by GET /charges (in a list), POST /charges (200 and 201) and GET /charges/{id}. */
function diff(expand: boolean): { findings: Finding[]; files: string[] } {
  const base = loadOpenApi(join(DIR, 'base.json'));
  const revision = loadOpenApi(join(DIR, 'revision.json'));
  return { findings: diffContracts(base, revision, { now: NOW, expand }), files: [revision.file, base.file] };
}

const PLACES = [
  "GET /charges: response 200 (application/json), property 'data/items/refunds'",
  "POST /charges: response 200 (application/json), property 'refunds'",
  "POST /charges: response 201 (application/json), property 'refunds'",
  "GET /charges/{id}: response 200 (application/json), property 'refunds'",
];

test('grouped by cause: one finding at the component, affecting every operation and status that reaches it', () => {
  const { findings } = diff(false);
  assert.equal(findings.length, 1);
  const [finding] = findings as [Finding];
  assert.equal(finding.id, 'response-property-became-nullable');
  assert.equal(finding.severity, 'error');
  assert.equal(finding.message, "property 'refunds' of schema 'Charge' became nullable");
  assert.equal(finding.location.pointer, '/components/schemas/Charge/properties/refunds/nullable');
  assert.deepEqual(
    finding.affects?.map((a) => `${a.operation}: ${a.where}, property '${a.path}'`),
    PLACES,
  );
});

test('--expand: one finding per operation and place, both statuses that share the schema included', () => {
  const { findings } = diff(true);
  assert.deepEqual(
    findings.map((f) => `${f.operation} ${f.message}`),
    [
      "GET /charges response 200 (application/json): property 'data/items/refunds' became nullable",
      "POST /charges response 200 (application/json): property 'refunds' became nullable",
      "POST /charges response 201 (application/json): property 'refunds' became nullable",
      "GET /charges/{id} response 200 (application/json): property 'refunds' became nullable",
    ],
  );
});

function render(format: Format): string {
  const { findings, files } = diff(false);
  const rules = [{ id: 'response-property-became-nullable', severity: 'error' as const, description: 'A response property became nullable.' }];
  return renderFindings({ tool: 'diff', findings, files, failThreshold: 'error', rules }, format, { color: false, cwd: ROOT });
}

const FORMAT_SCENARIOS: Array<{ format: Format; check: (out: string) => void }> = [
  {
    format: 'text',
    check: (out) => {
      assert.match(out, /\n {2}\(shared schemas\)\n {4}\d+ {2}error {2}response-property-became-nullable {2}property 'refunds' of schema 'Charge' became nullable\n/);
      assert.deepEqual(out.split('\n').filter((l) => l.includes(' affects ')).map((l) => l.trim()), PLACES.map((p) => `affects ${p}`));
    },
  },
  {
    format: 'markdown',
    check: (out) => {
      assert.equal(out.split('\n').filter((l) => l.startsWith('  - ')).length, 1);
      assert.deepEqual(out.split('\n').filter((l) => l.startsWith('    - affects ')).length, PLACES.length);
    },
  },
  {
    format: 'json',
    check: (out) => {
      const body = JSON.parse(out) as { breaking: boolean; changes: Array<{ id: string; operation: string; affects: Array<{ operation: string; where: string; path: string }> }> };
      assert.equal(body.breaking, true);
      assert.equal(body.changes.length, 1);
      assert.equal(body.changes[0]!.operation, 'GET /charges');
      assert.deepEqual(body.changes[0]!.affects.map((a) => `${a.operation}: ${a.where}, property '${a.path}'`), PLACES);
    },
  },
  {
    format: 'sarif',
    check: (out) => {
      const results = (JSON.parse(out) as { runs: Array<{ results: Array<{ relatedLocations: Array<{ message: { text: string }; logicalLocations: Array<{ fullyQualifiedName: string }>; physicalLocation?: unknown }> }> }> }).runs[0]!.results;
      assert.equal(results.length, 1);
      const affected = results[0]!.relatedLocations.filter((r) => r.message.text.startsWith('Affects '));
      assert.deepEqual(affected.map((r) => r.message.text), PLACES.map((p) => `Affects ${p}`));
      assert.deepEqual(affected.map((r) => r.logicalLocations[0]!.fullyQualifiedName), ['GET /charges', 'POST /charges', 'POST /charges', 'GET /charges/{id}']);
      assert.ok(affected.every((r) => r.physicalLocation !== undefined));
    },
  },
  {
    format: 'junit',
    check: (out) => {
      assert.equal((out.match(/<failure /g) ?? []).length, 1);
      assert.match(out, /name="response-property-became-nullable: \(shared schemas\)"/);
      assert.equal((out.match(/\n {2}affects /g) ?? []).length, PLACES.length);
    },
  },
  {
    format: 'github',
    check: (out) => {
      const annotations = out.split('\n').filter((l) => l.startsWith('::'));
      assert.equal(annotations.length, 1);
      assert.match(annotations[0]!, /::property 'refunds' of schema 'Charge' became nullable%0Aaffects GET \/charges: response 200/);
    },
  },
];

for (const scenario of FORMAT_SCENARIOS) {
  test(`grouped output: ${scenario.format} shows the change once with what it affects`, () => {
    scenario.check(render(scenario.format));
  });
}
