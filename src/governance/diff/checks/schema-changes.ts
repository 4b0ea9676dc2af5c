/**
 * Hands on what the schema comparator found inside each operation (parameters, bodies, headers).
 * A change in a shared component is one cause: reported once, with every operation and place it
 * reaches (or, expanded, once per operation and place).
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
        const identity = `${at(change.base)}\u0000${at(change.revision)}\u0000${change.componentMessage}`;
        reporter.report({
          id: change.id,
          severity: change.severity,
          operation: pair.label,
          message: `${change.where}: ${change.message}`,
          base: change.base,
          revision: change.revision,
          dedupeKey: `${distinct}\u0000${at(change.base)}\u0000${at(change.revision)}\u0000${what}`,
          // A change inside a shared component is one cause, whichever operation or place reaches
          // it; a change at a parameter's or body's own schema is its own cause.
          cause: {
            key: change.componentMessage === change.message ? `${pair.label}\u0000${change.where}\u0000${identity}` : identity,
            message: change.componentMessage === change.message ? `${change.where}: ${change.message}` : change.componentMessage,
            where: change.where,
            path: path,
            operationAt: { file: pair.revision.file, pointer: pair.revision.pointer },
          },
        });
      }
    }
  },
};
