/** Diff checks as Spectral rules: the generated ruleset is current, knows every check, and applyRulesetToDiff honours overrides. */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Finding, Severity } from '../../src/governance/findings.js';
import { DIFF_CHECKS_RULESET, renderDiffChecksRuleset } from '../../src/governance/lint/diff-checks-ruleset.js';
import { applyRulesetToDiff, lintDocument, loadRuleset, severityOf, type Ruleset } from '../../src/governance/lint/index.js';
import { CHECKS } from '../../src/governance/rules/index.js';
import { LINT_FIXTURES } from './fixtures/lint/lint-fixture.js';

function finding(id: string, severity: Severity, line: number): Finding {
  return { id, severity, message: `${id} changed`, source: 'diff', operation: 'GET /orders', location: { file: '/contracts/orders/2.0.0.yaml', line, pointer: '/paths/~1orders/get' } };
}

// One finding per case, in this order; `line` tells them apart in the expectations.
const FINDINGS: Finding[] = [
  finding('response-optional-property-removed', 'warn', 1),
  finding('request-parameter-became-required', 'error', 2),
  finding('endpoint-added', 'info', 3),
  finding('request-body-became-required', 'error', 4),
  // Schema changes grade their own findings: without an override the engine's severity stands.
  finding('response-body-type-changed', 'warn', 5),
  finding('policy-version-not-bumped', 'error', 6),
];

interface Scenario {
  name: string;
  ruleset: string | undefined;
  expected: Array<[string, Severity, number]>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'the default ruleset leaves every finding as the engine graded it',
    ruleset: undefined,
    expected: [
      ['response-optional-property-removed', 'warn', 1],
      ['request-parameter-became-required', 'error', 2],
      ['endpoint-added', 'info', 3],
      ['request-body-became-required', 'error', 4],
      ['response-body-type-changed', 'warn', 5],
      ['policy-version-not-bumped', 'error', 6],
    ],
  },
  {
    name: 'a user ruleset drops checks switched off and re-levels overridden ones; other IDs pass unchanged',
    ruleset: join(LINT_FIXTURES, 'rulesets', 'overrides.yaml'),
    expected: [
      ['request-parameter-became-required', 'warn', 2],
      ['endpoint-added', 'hint', 3],
      ['request-body-became-required', 'error', 4],
      ['response-body-type-changed', 'warn', 5],
      ['policy-version-not-bumped', 'error', 6],
    ],
  },
];

describe('diff checks in the ruleset', () => {
  let ruleset: Ruleset;
  before(async () => {
    ruleset = await loadRuleset();
  });

  it(`${DIFF_CHECKS_RULESET} is generated from the current CHECKS`, () => {
    strictEqual(readFileSync(DIFF_CHECKS_RULESET, 'utf8'), renderDiffChecksRuleset(CHECKS));
  });

  it('the default ruleset defines every check ID, enabled, at its default severity', () => {
    const mismatches = CHECKS.filter((check) => {
      const rule = ruleset.rules[check.id];
      return rule === undefined || !rule.enabled || severityOf(rule.severity) !== check.severity || rule.description !== check.description;
    }).map((check) => check.id);
    deepStrictEqual(mismatches, []);
  });

  it('linting a document runs the check rules without findings', async () => {
    const ids = new Set(CHECKS.map((check) => check.id));
    const findings = await lintDocument(ruleset, join(LINT_FIXTURES, 'documents', 'house-violations.yaml'));
    deepStrictEqual(findings.filter((f) => ids.has(f.id)), []);
  });
});

describe('applyRulesetToDiff', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const ruleset = await loadRuleset(scenario.ruleset);
      const applied = applyRulesetToDiff(ruleset, FINDINGS);
      deepStrictEqual(applied.map((f): [string, Severity, number] => [f.id, f.severity, f.location.line ?? 0]), scenario.expected);
    });
  }

  it('returns new objects for re-levelled findings and leaves the input untouched', async () => {
    const ruleset = await loadRuleset(join(LINT_FIXTURES, 'rulesets', 'overrides.yaml'));
    const input = FINDINGS.map((f) => ({ ...f }));
    applyRulesetToDiff(ruleset, input);
    deepStrictEqual(input, FINDINGS);
  });
});
