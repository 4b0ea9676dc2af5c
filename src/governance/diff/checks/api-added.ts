/** endpoint-added: an operation that the base did not have. */
import { define, type DiffCheck } from '../check.js';

/** Reports every new operation, in new paths and in existing paths or webhooks (a new webhook is webhook-added). */
export const apiAdded: DiffCheck = {
  definitions: [define('endpoint-added', 'info', 'none', 'paths', 'An operation was added.')],
  run(comparison, reporter) {
    const added = [...comparison.addedOperations, ...comparison.paths.added.flatMap((p) => p.operations)];
    for (const op of added) {
      reporter.report({ id: 'endpoint-added', operation: op.label, message: `endpoint added`, revision: op });
    }
  },
};
