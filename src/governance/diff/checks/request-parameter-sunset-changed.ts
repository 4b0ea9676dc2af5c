/** The sunset date of a deprecated request parameter was deleted, made unreadable, or moved into the past. */
import { define, type DiffCheck } from '../check.js';
import { dayOf, isDeprecated, readSunset } from '../lifecycle.js';

/** Reports changes of `x-sunset` on parameters that stay deprecated. */
export const requestParameterSunsetChanged: DiffCheck = {
  definitions: [
    define('request-parameter-sunset-deleted', 'error', 'request', 'parameters', 'The x-sunset date of a deprecated request parameter was deleted.'),
    define('request-parameter-sunset-date-changed-too-small', 'error', 'request', 'parameters', 'The sunset date of a deprecated request parameter was moved earlier, into the past.'),
  ],
  run(comparison, reporter) {
    const today = dayOf(comparison.now);
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const { base, revision } of pair.parameters.matched) {
        if (!isDeprecated(revision.value)) continue;
        const before = readSunset(base.value);
        const after = readSunset(revision.value);
        if (!before.present) continue;
        const at = { operation: pair.label, base, revision };
        const what = `${revision.in} parameter '${revision.name}'`;
        if (!after.present) {
          reporter.report({ ...at, id: 'request-parameter-sunset-deleted', message: `the x-sunset date of the deprecated ${what} was deleted` });
          continue;
        }
        if (JSON.stringify(base.value['x-sunset']) === JSON.stringify(revision.value['x-sunset'])) continue;
        if ('invalid' in after || 'invalid' in before) {
          const reason = 'invalid' in after ? after.invalid : (before as { invalid: string }).invalid;
          reporter.report({ ...at, id: 'request-parameter-sunset-parse', message: `the sunset of the ${what} changed: ${reason}` });
          continue;
        }
        if (after.day < before.day && after.day < today) {
          reporter.report({ ...at, id: 'request-parameter-sunset-date-changed-too-small', message: `the sunset date of the ${what} changed from ${before.text} to ${after.text}, which has already passed` });
        }
      }
    }
  },
};
