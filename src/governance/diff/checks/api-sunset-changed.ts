/** The sunset date of a deprecated operation was deleted, made unreadable, or moved into the past. */
import { define, type DiffCheck } from '../check.js';
import { dayOf, isDeprecated, readSunset } from '../lifecycle.js';

/** Reports changes of `x-sunset` on operations that stay deprecated. */
export const apiSunsetChanged: DiffCheck = {
  definitions: [
    define('sunset-deleted', 'error', 'none', 'paths', 'The x-sunset date of a deprecated operation was deleted.'),
    define('api-sunset-date-changed-too-small', 'error', 'none', 'paths', 'The sunset date of a deprecated operation was moved earlier, into the past.'),
  ],
  run(comparison, reporter) {
    const today = dayOf(comparison.now);
    for (const pair of comparison.operations) {
      if (!pair.reported || !isDeprecated(pair.revision.value)) continue;
      const before = readSunset(pair.base.value);
      const after = readSunset(pair.revision.value);
      if (!before.present) continue;
      const at = { operation: pair.label, base: pair.base, revision: pair.revision };
      if (!after.present) {
        reporter.report({ ...at, id: 'sunset-deleted', message: 'the x-sunset date of the deprecated endpoint was deleted' });
        continue;
      }
      if (JSON.stringify(pair.base.value['x-sunset']) === JSON.stringify(pair.revision.value['x-sunset'])) continue;
      if ('invalid' in after || 'invalid' in before) {
        reporter.report({ ...at, id: 'api-path-sunset-parse', message: `endpoint sunset changed: ${'invalid' in after ? after.invalid : (before as { invalid: string }).invalid}` });
        continue;
      }
      if (after.day < before.day && after.day < today) {
        reporter.report({ ...at, id: 'api-sunset-date-changed-too-small', message: `the sunset date changed from ${before.text} to ${after.text}, which has already passed` });
      }
    }
  },
};
