/**
 * Removed paths and operations. Accord's versioning policy: a removal passes only when the base
 * marked the operation `deprecated: true` with an `x-sunset` date that has passed.
 */
import { define, type DiffCheck } from '../check.js';
import { dayOf, isDeprecated, isStabilityReported, readStability, readSunset } from '../lifecycle.js';
import type { OperationEntry } from '../model.js';

const IDS = {
  path: {
    without: 'api-path-removed-without-deprecation',
    with: 'api-path-removed-with-deprecation',
    before: 'api-path-removed-before-sunset',
  },
  operation: {
    without: 'api-removed-without-deprecation',
    with: 'api-removed-with-deprecation',
    before: 'api-removed-before-sunset',
  },
} as const;

/** Reports removed paths (per operation they held) and removed operations of remaining paths and webhooks. */
export const apiRemoved: DiffCheck = {
  definitions: [
    define('api-path-removed-without-deprecation', 'error', 'none', 'paths', 'A path was removed without having been deprecated.'),
    define('api-path-removed-with-deprecation', 'info', 'none', 'paths', 'A deprecated path was removed after its sunset date.'),
    define('api-path-removed-before-sunset', 'error', 'none', 'paths', 'A deprecated path was removed before its sunset date, or it had no sunset date.'),
    define('api-path-sunset-parse', 'error', 'none', 'paths', 'The x-sunset of an operation is not an RFC 3339 date.'),
    define('api-removed-without-deprecation', 'error', 'none', 'paths', 'An operation was removed without having been deprecated.'),
    define('api-removed-with-deprecation', 'info', 'none', 'paths', 'A deprecated operation was removed after its sunset date.'),
    define('api-removed-before-sunset', 'error', 'none', 'paths', 'A deprecated operation was removed before its sunset date, or it had no sunset date.'),
  ],
  run(comparison, reporter) {
    const today = dayOf(comparison.now);
    const judge = (op: OperationEntry, kind: 'path' | 'operation'): void => {
      // Draft and alpha operations may go at any time; an invalid level is reported by api-stability.
      const stability = readStability(op.value);
      if ('invalid' in stability || !isStabilityReported(stability)) return;
      const ids = IDS[kind];
      const what = kind === 'path' ? 'api path removed' : 'endpoint removed';
      const at = { operation: op.label, base: op };
      if (!isDeprecated(op.value)) {
        reporter.report({ ...at, id: ids.without, message: `${what} without deprecation` });
        return;
      }
      const sunset = readSunset(op.value);
      if (!sunset.present) {
        reporter.report({ ...at, id: ids.before, message: `${what} while deprecated but without an x-sunset date (a removal needs a sunset date that has passed)` });
      } else if ('invalid' in sunset) {
        reporter.report({ ...at, id: 'api-path-sunset-parse', message: `${what}: ${sunset.invalid}` });
      } else if (today < sunset.day) {
        reporter.report({ ...at, id: ids.before, message: `${what} before the sunset date ${sunset.text}` });
      } else {
        reporter.report({ ...at, id: ids.with, message: `${what} after its sunset date ${sunset.text}` });
      }
    };
    for (const path of comparison.paths.removed) for (const op of path.operations) judge(op, 'path');
    for (const op of comparison.removedOperations) judge(op, 'operation');
  },
};
