/** Writes docs/rules-diff.md from the check registry and each check's fixture (`npm run docs:rules`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../src/governance/rules/index.js';
import { renderRulesDoc } from '../../src/governance/rules/rules-doc.js';
import { collectRuleExamples } from './rules-doc-examples.js';

const target = join(import.meta.dirname, '..', '..', 'docs', 'rules-diff.md');
writeFileSync(target, renderRulesDoc(CHECKS, collectRuleExamples()));
process.stdout.write(`wrote ${target} (${CHECKS.length} checks)\n`);
