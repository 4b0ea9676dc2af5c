// @ts-check
/** The function behind the breaking-change check entries of accord-diff-checks.yaml: it reports nothing when linting one document. */
import { createRulesetFunction } from '@stoplight/spectral-core';

export default createRulesetFunction(
  { input: null, options: null },
  /**
   * A breaking-change check compares two versions of a contract, which `accord diff` and
   * `accord check` do. The checks are listed in the ruleset only so that a ruleset can switch
   * them off or re-level them, and Spectral rejects an override of an ID that does not exist.
   * @returns {[]}
   */
  function accordDiffCheck() {
    return [];
  },
);
