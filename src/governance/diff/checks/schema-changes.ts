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
        // One change of a shared (or recursive) component reached along several property paths is
        // one change: it is identified by where it sits, not by the path that led to it.
        // Parameters stay distinct even when they share a schema.
        const distinct = change.where.includes('parameter') ? change.where : '';
        const path = change.propertyPath.join('/');
        const what = path === '' ? change.message : change.message.split(`'${path}'`).join("'…'");
        const at = (ref: { file: string; pointer: string } | undefined): string => (ref ? `${ref.file}#${ref.pointer}` : '');
        reporter.report({
          id: change.id,
          severity: change.severity,
          operation: pair.label,
          message: `${change.where}: ${change.message}`,
          base: change.base,
          revision: change.revision,
          dedupeKey: `${distinct}\u0000${at(change.base)}\u0000${at(change.revision)}\u0000${what}`,
        });
      }
    }
  },
};
