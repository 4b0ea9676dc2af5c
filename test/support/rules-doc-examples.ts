/**
 * A worked example for every diff check ID, taken from the check's own fixture: the structural
 * checks' base/revision folders and the schema catalogue's scenarios, run through the real engine.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import { SCHEMA_CHECKS } from '../../src/governance/diff/schema/catalogue.js';
import type { RuleExample } from '../../src/governance/rules/rules-doc.js';
import { compare } from '../unit/fixtures/diff-schema/scenario.js';
import { catalogueScenario } from '../unit/fixtures/diff-schema/catalogue-scenarios.js';

const FIXTURES = join(import.meta.dirname, '..', 'unit', 'fixtures', 'diff');
const NOW = new Date('2025-06-01T12:00:00Z');

function compact(value: unknown): string {
  return JSON.stringify(value) ?? 'absent';
}

/** Examples by check ID. */
export function collectRuleExamples(): Map<string, RuleExample> {
  const examples = new Map<string, RuleExample>();
  for (const dir of readdirSync(FIXTURES).sort()) {
    const base = join(FIXTURES, dir, 'base.yaml');
    const revision = join(FIXTURES, dir, 'revision.yaml');
    if (!existsSync(base) || !existsSync(revision)) continue;
    for (const finding of diffContracts(loadOpenApi(base), loadOpenApi(revision), { now: NOW })) {
      // Prefer the fixture named after the check itself.
      if (examples.has(finding.id) && dir !== finding.id) continue;
      examples.set(finding.id, {
        change: `fixture \`test/unit/fixtures/diff/${dir}\``,
        finding: `${finding.operation ? `${finding.operation}: ` : ''}${finding.message}`,
      });
    }
  }
  for (const check of SCHEMA_CHECKS) {
    const scenario = catalogueScenario(check.id);
    if (!scenario) continue;
    const change = compare(scenario.base, scenario.revision, scenario.options).find((c) => c.id === check.id);
    if (!change) continue;
    examples.set(check.id, {
      change: `${scenario.options.context ?? 'request-body'} schema \`${compact(scenario.base.schema)}\` → \`${compact(scenario.revision.schema)}\``,
      finding: change.message,
    });
  }
  return examples;
}
