/** Runs every diff check over one comparison of a document pair. */
import type { OpenApiDocument } from '../../contracts/openapi-document.js';
import type { Finding, Severity } from '../findings.js';
import type { CheckDefinition } from '../rules/check.js';
import { FindingCollector } from './check.js';
import { DIFF_CHECKS } from './checks/index.js';
import { compareContracts } from './compare-contracts.js';
import type { SchemaComparator } from './model.js';

/**
 * Compares `base` with `revision` once and lets each check read its kind of change from that
 * comparison. `registry` gives the default severity of every ID a check may report; `expand`
 * reports a shared schema's change once per operation and place instead of once per cause.
 */
export function runDiff(
  base: OpenApiDocument,
  revision: OpenApiDocument,
  compareSchemas: SchemaComparator,
  registry: readonly CheckDefinition[],
  now: Date,
  expand = false,
): Finding[] {
  const comparison = compareContracts(base, revision, compareSchemas, now);
  const severities = new Map<string, Severity>(registry.map((c) => [c.id, c.severity]));
  const collector = new FindingCollector(comparison, severities, expand);
  for (const check of DIFF_CHECKS) check.run(comparison, collector);
  return collector.findings;
}
