/** docs/rules-diff.md documents every registered check and is regenerated when the registry changes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKS } from '../../src/governance/rules/index.js';
import { renderRulesDoc } from '../../src/governance/rules/rules-doc.js';
import { collectRuleExamples } from '../support/rules-doc-examples.js';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'rules-diff.md');

describe('diff rules reference', () => {
  it('is current (run `npm run docs:rules` after changing a check)', () => {
    assert.equal(readFileSync(DOC, 'utf8'), renderRulesDoc(CHECKS, collectRuleExamples()));
  });
  it('shows a worked example for every check ID, produced by the engine from the check\'s fixture', () => {
    const examples = collectRuleExamples();
    const missing = CHECKS.filter((check) => !examples.has(check.id)).map((check) => check.id);
    assert.deepEqual(missing, []);
  });
  it('lists every check ID once with its default severity', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const check of CHECKS) {
      const rows = doc.split('\n').filter((line) => line.startsWith(`| \`${check.id}\` |`));
      assert.equal(rows.length, 1, check.id);
      assert.ok(rows[0]!.includes(check.severity), check.id);
    }
  });
});
