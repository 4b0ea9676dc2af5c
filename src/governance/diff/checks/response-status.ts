/** Response status codes added to or removed from an operation. */
import { define, type DiffCheck } from '../check.js';

/** A status counts as success when it is 2xx (`2XX` included). */
function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

/** Reports removed success statuses (clients relied on them) and every other status change at info. */
export const responseStatus: DiffCheck = {
  definitions: [
    define('response-success-status-removed', 'error', 'response', 'responses', 'A success (2xx) response status was removed.'),
    define('response-success-status-added', 'info', 'response', 'responses', 'A success (2xx) response status was added.'),
    define('response-non-success-status-removed', 'info', 'response', 'responses', 'A non-success response status was removed.'),
    define('response-non-success-status-added', 'info', 'response', 'responses', 'A non-success response status was added.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const response of pair.responses.removed) {
        if (!/^\d{3}$|^\dXX$/i.test(response.status)) continue;
        const id = isSuccess(response.status) ? 'response-success-status-removed' : 'response-non-success-status-removed';
        reporter.report({ id, operation: pair.label, message: `removed the response status ${response.status}`, base: response });
      }
      for (const response of pair.responses.added) {
        if (!/^\d{3}$|^\dXX$/i.test(response.status)) continue;
        const id = isSuccess(response.status) ? 'response-success-status-added' : 'response-non-success-status-added';
        reporter.report({ id, operation: pair.label, message: `added the response status ${response.status}`, revision: response });
      }
    }
  },
};
