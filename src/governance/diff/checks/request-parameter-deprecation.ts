/** Request parameters that became deprecated or were reactivated. */
import { define, type DiffCheck } from '../check.js';
import { dayOf, isDeprecated, readStability, readSunset } from '../lifecycle.js';

/** Reports changes of a parameter's `deprecated` flag, and a sunset date that cannot be read or already passed. */
export const requestParameterDeprecation: DiffCheck = {
  definitions: [
    define('request-parameter-deprecated', 'info', 'request', 'parameters', 'A request parameter was deprecated.'),
    define('request-parameter-reactivated', 'info', 'request', 'parameters', 'A deprecated request parameter is no longer deprecated.'),
    define('request-parameter-sunset-date-too-small', 'error', 'request', 'parameters', 'A request parameter was deprecated with a sunset date that has already passed.'),
  ],
  run(comparison, reporter) {
    const today = dayOf(comparison.now);
    for (const pair of comparison.operations) {
      if (!pair.reported || 'invalid' in readStability(pair.revision.value)) continue;
      for (const { base, revision } of pair.parameters.matched) {
        const was = isDeprecated(base.value);
        const is = isDeprecated(revision.value);
        if (was === is) continue;
        const at = { operation: pair.label, base, revision };
        const what = `${revision.in} parameter '${revision.name}'`;
        if (!is) {
          reporter.report({ ...at, id: 'request-parameter-reactivated', message: `the ${what} is no longer deprecated` });
          continue;
        }
        const sunset = readSunset(revision.value);
        if (!sunset.present) {
          reporter.report({ ...at, id: 'request-parameter-deprecated', message: `the ${what} was deprecated` });
        } else if ('invalid' in sunset) {
          reporter.report({ ...at, id: 'request-parameter-sunset-parse', message: `the ${what} was deprecated: ${sunset.invalid}` });
        } else if (sunset.day < today) {
          reporter.report({ ...at, id: 'request-parameter-sunset-date-too-small', message: `the ${what} was deprecated with a sunset date in the past (${sunset.text})` });
        } else {
          reporter.report({ ...at, id: 'request-parameter-deprecated', message: `the ${what} was deprecated (sunset: ${sunset.text})` });
        }
      }
    }
  },
};
