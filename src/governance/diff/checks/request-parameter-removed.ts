/** Request parameters removed from an operation, judged by their deprecation and sunset date. */
import { define, type DiffCheck } from '../check.js';
import { dayOf, isDeprecated, readSunset } from '../lifecycle.js';

/**
 * Reports each removed parameter: possibly breaking unless deprecated with a passed sunset date.
 * A deprecated parameter without a sunset date was never given a date callers could plan for: its
 * removal is treated like a removal before the sunset, as for operations and paths.
 */
export const requestParameterRemoved: DiffCheck = {
  definitions: [
    define('request-parameter-removed', 'warn', 'request', 'parameters', 'A request parameter was removed without having been deprecated.'),
    define('request-parameter-removed-with-deprecation', 'info', 'request', 'parameters', 'A deprecated request parameter was removed after its sunset date.'),
    define('request-parameter-removed-before-sunset', 'error', 'request', 'parameters', 'A deprecated request parameter was removed before its sunset date, or it had no sunset date.'),
    define('request-parameter-sunset-parse', 'error', 'request', 'parameters', 'The x-sunset of a request parameter is not an RFC 3339 date.'),
  ],
  run(comparison, reporter) {
    const today = dayOf(comparison.now);
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const param of pair.parameters.removed) {
        const at = { operation: pair.label, base: param };
        const what = `${param.in} parameter '${param.name}'`;
        if (!isDeprecated(param.value)) {
          reporter.report({ ...at, id: 'request-parameter-removed', message: `removed the ${what}` });
          continue;
        }
        const sunset = readSunset(param.value);
        if (!sunset.present) {
          reporter.report({ ...at, id: 'request-parameter-removed-before-sunset', message: `removed the deprecated ${what}, which had no sunset date` });
        } else if ('invalid' in sunset) {
          reporter.report({ ...at, id: 'request-parameter-sunset-parse', message: `removed the deprecated ${what}: ${sunset.invalid}` });
        } else if (today < sunset.day) {
          reporter.report({ ...at, id: 'request-parameter-removed-before-sunset', message: `removed the deprecated ${what} before its sunset date ${sunset.text}` });
        } else {
          reporter.report({ ...at, id: 'request-parameter-removed-with-deprecation', message: `removed the deprecated ${what} after its sunset date ${sunset.text}` });
        }
      }
    }
  },
};
