/** Response headers: clients that read a header break when it disappears or stops being guaranteed. */
import { define, type DiffCheck } from '../check.js';

/** Reports removed, added and no-longer-required response headers. */
export const responseHeader: DiffCheck = {
  definitions: [
    define('required-response-header-removed', 'error', 'response', 'headers', 'A required response header was removed.'),
    define('optional-response-header-removed', 'warn', 'response', 'headers', 'An optional response header was removed.'),
    define('response-header-added', 'info', 'response', 'headers', 'A response header was added.'),
    define('response-header-became-optional', 'error', 'response', 'headers', 'A required response header became optional.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const response of pair.responses.matched) {
        const status = response.revision.status;
        for (const header of response.headers.removed) {
          const id = header.required ? 'required-response-header-removed' : 'optional-response-header-removed';
          reporter.report({ id, operation: pair.label, message: `removed the ${header.required ? 'required' : 'optional'} header '${header.name}' from the response ${status}`, base: header, dedupeKey: `${status} ${header.name}` });
        }
        for (const header of response.headers.added) {
          reporter.report({ id: 'response-header-added', operation: pair.label, message: `added the header '${header.name}' to the response ${status}`, revision: header, dedupeKey: `${status} ${header.name}` });
        }
        for (const { base, revision } of response.headers.matched) {
          if (!base.required || revision.required) continue;
          reporter.report({ id: 'response-header-became-optional', operation: pair.label, message: `the header '${revision.name}' of the response ${status} became optional`, base, revision, dedupeKey: `${status} ${revision.name}` });
        }
      }
    }
  },
};
