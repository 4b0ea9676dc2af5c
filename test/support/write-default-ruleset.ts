/** Writes rulesets/accord-default.js from rulesets/accord.yaml (`npm run docs:rules`). */
import { writeFileSync } from 'node:fs';
import { DEFAULT_RULESET_MODULE, renderDefaultRulesetModule } from './default-ruleset-module.js';

writeFileSync(DEFAULT_RULESET_MODULE, await renderDefaultRulesetModule());
process.stdout.write(`wrote ${DEFAULT_RULESET_MODULE}\n`);
