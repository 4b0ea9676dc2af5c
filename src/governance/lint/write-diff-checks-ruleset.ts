/** Writes rulesets/accord-diff-checks.yaml from the check registry (run it after adding or changing a diff check). */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKS } from '../rules/index.js';
import { defaultRulesetPath } from './default-ruleset.js';
import { DIFF_CHECKS_RULESET, renderDiffChecksRuleset } from './diff-checks-ruleset.js';

const target = join(dirname(dirname(defaultRulesetPath())), DIFF_CHECKS_RULESET);
writeFileSync(target, renderDiffChecksRuleset(CHECKS));
process.stdout.write(`wrote ${target} (${CHECKS.length} checks)\n`);
