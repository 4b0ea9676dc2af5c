/** Renders rulesets/accord-diff-checks.js: every breaking-change check as a Spectral rule, so rulesets can configure and Spectral can validate them. */
import type { Rule } from '@stoplight/spectral-core';
import type { CheckDefinition } from '../rules/check.js';

/** Where the generated ruleset lives, relative to the package root. */
export const DIFF_CHECKS_RULESET = 'rulesets/accord-diff-checks.js';

/** The `extensions` key that marks a rule as a diff check rather than a lint rule. */
export const DIFF_CHECK_EXTENSION = 'accord-diff-check';

// A JavaScript ruleset rather than YAML: Spectral's YAML migration of ~1,000 rules costs most of
// a second on every load, while this module bundles in a fraction of that.
const HEADER = `// GENERATED FILE, DO NOT EDIT. Source: CHECKS in src/governance/rules/index.ts.
// Regenerate: node --import tsx src/governance/lint/write-diff-checks-ruleset.ts
// (test/unit/lint-diff-rules.test.ts fails when this file is out of date).
//
// Every breaking-change check of \`accord diff\` as a rule with its default severity. The rules
// report nothing when one document is linted (a check needs two versions); they exist so that a
// ruleset extending accord.yaml can switch a check off or re-level it, e.g.
//   rules: { response-optional-property-removed: off, request-parameter-became-required: warn }
// and so that Spectral rejects an override of an ID that does not exist.
import diffCheck from './functions/diff-check.js';

/** [id, default severity, description] of every check, in registry order. */
const CHECKS = [
`;

const FOOTER = `];

export default {
  rules: Object.fromEntries(
    CHECKS.map(([id, severity, description]) => [
      id,
      { description, severity, given: '$', then: { function: diffCheck }, extensions: { '${DIFF_CHECK_EXTENSION}': true } },
    ]),
  ),
};
`;

/** The JavaScript text of the diff-checks ruleset for `checks`, in registry order, ending with a newline. */
export function renderDiffChecksRuleset(checks: readonly CheckDefinition[]): string {
  const rows = checks.map((check) => `  ${JSON.stringify([check.id, check.severity, check.description])},\n`).join('');
  return `${HEADER}${rows}${FOOTER}`;
}

/** True for a rule of the generated diff-checks ruleset (it never reports when linting). */
export function isDiffCheckRule(rule: Rule): boolean {
  return rule.extensions !== null && rule.extensions[DIFF_CHECK_EXTENSION] === true;
}
