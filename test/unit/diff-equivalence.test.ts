// Equivalence before difference: schemas spelled differently but accepting the same values are no
// change, and a real change hidden inside a composition is found, once per side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'diff-equivalence');
const NOW = new Date('2025-06-01T12:00:00Z');

type Row = [id: string, severity: string, message: string];

function diff(name: string, flatten = true): Row[] {
  const base = loadOpenApi(join(FIXTURES, name, 'base.json'));
  const revision = loadOpenApi(join(FIXTURES, name, 'revision.json'));
  return diffContracts(base, revision, { now: NOW, flatten }).map((f) => [f.id, f.severity, f.message]);
}

/** Each fixture: `POST /orders` takes and returns the `Order` schema; only its spelling or one real change differs. */
const SCENARIOS: Array<{ name: string; expected: Row[] }> = [
  // Equivalent rewrites: nothing to report.
  { name: 'described-ref', expected: [] },
  { name: 'enum-as-one-of-enums', expected: [] },
  { name: 'all-of-restructured', expected: [] },
  { name: 'one-member-one-of', expected: [] },
  // Purely additive: the new optional property, and nothing about the properties of Money.
  {
    name: 'ref-extended-by-optional-property',
    expected: [
      ['new-optional-request-property', 'info', "property 'total/note' of schema 'Order' was added (optional)"],
      ['response-optional-property-added', 'info', "property 'total/note' of schema 'Order' was added (optional)"],
    ],
  },
  // Real changes inside a composition: found, once per side.
  {
    name: 'ref-extended-by-required-property',
    expected: [
      ['new-required-request-property', 'error', "property 'total/note' of schema 'Order' was added as required"],
      ['response-required-property-added', 'info', "property 'total/note' of schema 'Order' was added (required)"],
    ],
  },
  {
    name: 'described-ref-to-narrower-schema',
    expected: [
      ['request-property-max-set', 'warn', "property 'amount' of schema 'Money' maximum set to 1000"],
      ['response-property-max-set', 'info', "property 'amount' of schema 'Money' maximum set to 1000"],
    ],
  },
  {
    name: 'enum-value-removed-inside-one-of',
    expected: [
      ['request-property-enum-value-removed', 'error', "property 'status' of schema 'Order' enum value 'void' removed"],
      ['response-property-enum-value-removed', 'info', "property 'status' of schema 'Order' enum value 'void' removed"],
    ],
  },
  // oneOf members edited in place are matched (by their shared properties) and compared.
  {
    name: 'one-of-member-changed-in-place',
    expected: [
      ['request-property-additional-properties-added', 'error', "property 'payment/oneOf[#0]' of schema 'Order' additionalProperties changed from absent to false"],
      ['request-property-became-required', 'error', "property 'payment/oneOf[#1]/iban' of schema 'Order' became required"],
      ['response-property-additional-properties-added', 'info', "property 'payment/oneOf[#0]' of schema 'Order' additionalProperties changed from absent to false"],
      ['response-property-became-required', 'info', "property 'payment/oneOf[#1]/iban' of schema 'Order' became required"],
    ],
  },
  // Members reordered and edited: matched by their discriminator value.
  {
    name: 'one-of-members-by-discriminator',
    expected: [
      ['request-property-became-required', 'error', "property 'payment/oneOf[#1]/iban' of schema 'Order' became required"],
      ['new-optional-request-property', 'info', "property 'payment/oneOf[#1]/bic' of schema 'Order' was added (optional)"],
      ['response-property-became-required', 'info', "property 'payment/oneOf[#1]/iban' of schema 'Order' became required"],
      ['response-optional-property-added', 'info', "property 'payment/oneOf[#1]/bic' of schema 'Order' was added (optional)"],
    ],
  },
];

for (const scenario of SCENARIOS) {
  test(`equivalence: ${scenario.name}`, () => {
    assert.deepEqual(diff(scenario.name), scenario.expected);
  });
}

test('equivalence: --no-flatten compares the schemas as written (a described $ref reads as a replaced schema)', () => {
  const raw = diff('described-ref', false).map(([id, severity]) => `${id} ${severity}`);
  assert.ok(raw.includes('request-property-all-of-added error'), raw.join('\n'));
  assert.ok(raw.includes('response-required-property-removed error'), raw.join('\n'));
  const enums = diff('enum-as-one-of-enums', false).map(([id]) => id);
  assert.ok(enums.includes('response-property-one-of-added'), enums.join('\n'));
});
