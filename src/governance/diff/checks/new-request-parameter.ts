/** Request parameters added to an existing operation: a new required one breaks existing clients. */
import { define, type DiffCheck } from '../check.js';

/** Reports added parameters, telling path-level ones (shared by every operation of the path) from the operation's own. */
export const newRequestParameter: DiffCheck = {
  definitions: [
    define('new-required-request-parameter', 'error', 'request', 'parameters', 'A required request parameter was added to an operation.'),
    define('new-optional-request-parameter', 'info', 'request', 'parameters', 'An optional request parameter was added to an operation.'),
    define('new-request-path-parameter', 'error', 'request', 'parameters', 'A path parameter was added to an operation.'),
    define('new-required-request-default-parameter-to-existing-path', 'error', 'request', 'parameters', 'A required parameter was added to every operation of a path (path-level parameters).'),
    define('new-optional-request-default-parameter-to-existing-path', 'info', 'request', 'parameters', 'An optional parameter was added to every operation of a path (path-level parameters).'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const param of pair.parameters.added) {
        const at = { operation: pair.label, revision: param };
        const what = `${param.in} parameter '${param.name}'`;
        if (param.in === 'path') {
          reporter.report({ ...at, id: 'new-request-path-parameter', message: `added the path parameter '${param.name}'` });
        } else if (param.level === 'path') {
          const id = param.required ? 'new-required-request-default-parameter-to-existing-path' : 'new-optional-request-default-parameter-to-existing-path';
          reporter.report({ ...at, id, message: `added the ${param.required ? 'required' : 'optional'} path-level ${what}` });
        } else {
          const id = param.required ? 'new-required-request-parameter' : 'new-optional-request-parameter';
          reporter.report({ ...at, id, message: `added the ${param.required ? 'required' : 'optional'} ${what}` });
        }
      }
    }
  },
};
