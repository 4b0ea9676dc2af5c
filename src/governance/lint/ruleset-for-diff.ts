/** What `accord diff` needs of Spectral when given a ruleset, as one module it can import on demand. */
export { loadRuleset } from './load-ruleset.js';
export { applyRulesetToDiff } from './diff-rules.js';
