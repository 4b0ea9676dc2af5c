/** Operations that became deprecated (with or without a sunset date) or were reactivated. */
import { define, type DiffCheck } from '../check.js';
import { dayOf, isDeprecated, readStability, readSunset } from '../lifecycle.js';

/** Reports changes of an operation's `deprecated` flag, and a sunset date that cannot be read or already passed. */
export const apiDeprecation: DiffCheck = {
  definitions: [
    define('endpoint-deprecated', 'info', 'none', 'paths', 'An operation was deprecated without a sunset date.'),
    define('endpoint-deprecated-with-sunset', 'info', 'none', 'paths', 'An operation was deprecated with a sunset date.'),
    define('endpoint-reactivated', 'info', 'none', 'paths', 'A deprecated operation is no longer deprecated.'),
    define('api-deprecated-sunset-parse', 'error', 'none', 'paths', 'An operation was deprecated with an x-sunset that is not an RFC 3339 date.'),
    define('api-sunset-date-too-small', 'error', 'none', 'paths', 'An operation was deprecated with a sunset date that has already passed.'),
  ],
  run(comparison, reporter) {
    const today = dayOf(comparison.now);
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      const was = isDeprecated(pair.base.value);
      const is = isDeprecated(pair.revision.value);
      if (was === is) continue;
      const at = { operation: pair.label, base: pair.base, revision: pair.revision };
      if (!is) {
        reporter.report({ ...at, id: 'endpoint-reactivated', message: 'endpoint reactivated (no longer deprecated)' });
        continue;
      }
      if ('invalid' in readStability(pair.revision.value)) continue;
      const sunset = readSunset(pair.revision.value);
      if (!sunset.present) {
        reporter.report({ ...at, id: 'endpoint-deprecated', message: 'endpoint deprecated' });
      } else if ('invalid' in sunset) {
        reporter.report({ ...at, id: 'api-deprecated-sunset-parse', message: `endpoint deprecated: ${sunset.invalid}` });
      } else if (sunset.day < today) {
        reporter.report({ ...at, id: 'api-sunset-date-too-small', message: `endpoint deprecated with a sunset date in the past (${sunset.text})` });
      } else {
        reporter.report({ ...at, id: 'endpoint-deprecated-with-sunset', message: `endpoint deprecated (sunset: ${sunset.text})` });
      }
    }
  },
};
