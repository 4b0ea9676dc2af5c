/**
 * Hands on what the schema comparator found inside each operation (parameters, bodies, headers).
 * A change in a shared component is reported once per affected operation, wherever it is used there.
 */
import type { DiffCheck } from '../check.js';

/** Reports the schema changes of every operation; the IDs are the schema comparator's (`SCHEMA_CHECKS`). */
export const schemaChanges: DiffCheck = {
  definitions: [],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const change of pair.schemaChanges) {
        const property = change.propertyPath.length > 0 ? ` (${change.propertyPath.join('/')})` : '';
        // Parameters are distinct things; bodies and responses sharing a schema are one change.
        const distinct = change.where.includes('parameter') ? change.where : '';
        reporter.report({
          id: change.id,
          severity: change.severity,
          operation: pair.label,
          message: `${change.where}${property}: ${change.message}`,
          base: change.base,
          revision: change.revision,
          dedupeKey: `${distinct}\u0000${change.propertyPath.join('/')}\u0000${change.message}`,
        });
      }
    }
  },
};
