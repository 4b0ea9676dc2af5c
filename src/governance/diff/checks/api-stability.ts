/** x-stability-level of operations: invalid values, and a level that went down (a promise withdrawn) or up. */
import { define, type DiffCheck } from '../check.js';
import { isStabilityReported, readStability, stabilityRank } from '../lifecycle.js';
import type { OperationEntry } from '../model.js';

/** Reports invalid stability levels on either side and changes of level on operations present on both. */
export const apiStability: DiffCheck = {
  definitions: [
    define('api-invalid-stability-level', 'error', 'none', 'paths', 'An operation has an x-stability-level that is not draft, alpha, beta or stable.'),
    define('api-stability-decreased', 'error', 'none', 'paths', 'The stability level of an operation was decreased.'),
    define('api-stability-increased', 'info', 'none', 'paths', 'The stability level of an operation was increased.'),
  ],
  run(comparison, reporter) {
    const invalid = (op: OperationEntry, side: 'base' | 'revision'): boolean => {
      const reading = readStability(op.value);
      if (!('invalid' in reading)) return false;
      reporter.report({
        id: 'api-invalid-stability-level',
        operation: op.label,
        message: `invalid stability level in the ${side}: ${reading.invalid}`,
        [side]: { file: op.file, pointer: `${op.pointer}/x-stability-level` },
        dedupeKey: side,
      });
      return true;
    };
    for (const pair of comparison.operations) {
      const badBase = invalid(pair.base, 'base');
      const badRevision = invalid(pair.revision, 'revision');
      if (badBase || badRevision) continue;
      const before = readStability(pair.base.value);
      const after = readStability(pair.revision.value);
      if ('invalid' in before || 'invalid' in after || before.level === after.level) continue;
      if (!isStabilityReported(before)) continue;
      const down = stabilityRank(after.level) < stabilityRank(before.level);
      reporter.report({
        id: down ? 'api-stability-decreased' : 'api-stability-increased',
        operation: pair.label,
        message: `stability level ${down ? 'decreased' : 'increased'} from '${before.level}' to '${after.level}'`,
        base: pair.base,
        revision: pair.revision,
      });
    }
    for (const op of [...comparison.removedOperations, ...comparison.paths.removed.flatMap((p) => p.operations)]) invalid(op, 'base');
  },
};
