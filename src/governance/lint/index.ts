/** Spectral lint as a library: load a ruleset, lint a document into Findings, configure diff checks with the same ruleset. */
export { loadRuleset } from './load-ruleset.js';
export { lintDocument, loadForLint, loadForLintInBackground, type LintInput } from './lint-document.js';
export { applyRulesetToDiff } from './diff-rules.js';
export { defaultRulesetPath } from './default-ruleset.js';
export { RulesetError } from './ruleset-error.js';
export type { Ruleset } from '@stoplight/spectral-core';
export { isDiffCheckRule } from './diff-checks-ruleset.js';
export { severityOf } from './spectral-findings.js';
