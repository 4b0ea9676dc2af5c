/** A request parameter that changed between optional and required. */
import { define, type DiffCheck } from '../check.js';

/** Reports optional -> required (breaking) and required -> optional (compatible). */
export const requestParameterRequired: DiffCheck = {
  definitions: [
    define('request-parameter-became-required', 'error', 'request', 'parameters', 'An optional request parameter became required.'),
    define('request-parameter-became-optional', 'info', 'request', 'parameters', 'A required request parameter became optional.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const { base, revision } of pair.parameters.matched) {
        if (base.required === revision.required) continue;
        reporter.report({
          id: revision.required ? 'request-parameter-became-required' : 'request-parameter-became-optional',
          operation: pair.label,
          message: `the ${revision.in} parameter '${revision.name}' became ${revision.required ? 'required' : 'optional'}`,
          base: { file: base.file, pointer: `${base.pointer}/required` },
          revision: { file: revision.file, pointer: `${revision.pointer}/required` },
        });
      }
    }
  },
};
