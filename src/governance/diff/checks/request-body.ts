/** The request body of an operation: added, removed, or changed between optional and required. */
import { define, type DiffCheck } from '../check.js';

/** Reports request bodies that appeared, disappeared or changed their `required` flag. */
export const requestBody: DiffCheck = {
  definitions: [
    define('request-body-added-required', 'error', 'request', 'request-body', 'A required request body was added to an operation.'),
    define('request-body-added-optional', 'info', 'request', 'request-body', 'An optional request body was added to an operation.'),
    define('request-body-removed', 'error', 'request', 'request-body', 'The request body of an operation was removed.'),
    define('request-body-became-required', 'error', 'request', 'request-body', 'An optional request body became required.'),
    define('request-body-became-optional', 'info', 'request', 'request-body', 'A required request body became optional.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      const { base, revision } = pair.requestBody;
      const operation = pair.label;
      if (!base && revision) {
        const id = revision.required ? 'request-body-added-required' : 'request-body-added-optional';
        reporter.report({ id, operation, message: `added a${revision.required ? ' required' : 'n optional'} request body`, revision });
      } else if (base && !revision) {
        reporter.report({ id: 'request-body-removed', operation, message: 'removed the request body', base });
      } else if (base && revision && base.required !== revision.required) {
        reporter.report({
          id: revision.required ? 'request-body-became-required' : 'request-body-became-optional',
          operation,
          message: `the request body became ${revision.required ? 'required' : 'optional'}`,
          base: { file: base.file, pointer: `${base.pointer}/required` },
          revision: { file: revision.file, pointer: `${revision.pointer}/required` },
        });
      }
    }
  },
};
