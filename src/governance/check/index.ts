/** The `accord check` CI gate: changed contracts, lint, diff against the previous version, versioning policy. */
export { runCheck, type BreakingChangeAnswer, type BreakingChangeQuestion, type CheckEngines, type CheckOptions, type CheckResult } from './run-check.js';
export { GitError, gitBlobReader } from './git-repository.js';
export { POLICY_RULES, EDITED_IN_PLACE, BREAKING_WITHOUT_MAJOR, INFO_VERSION_MISMATCH, type PolicyRule } from './versioning-policy.js';
