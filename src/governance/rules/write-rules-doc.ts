/** Writes docs/rules-diff.md from the check registry (run after adding or changing a diff check). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from './index.js';
import { renderRulesDoc } from './rules-doc.js';

const target = join(process.cwd(), 'docs', 'rules-diff.md');
writeFileSync(target, renderRulesDoc(CHECKS));
process.stdout.write(`wrote ${target} (${CHECKS.length} checks)\n`);
