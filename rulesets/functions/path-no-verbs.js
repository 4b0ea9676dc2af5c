// @ts-check
/** accord-path-no-verbs: path segments name resources; the HTTP method is the verb. */
import { createRulesetFunction } from '@stoplight/spectral-core';

/**
 * The words of a segment: split at hyphens, underscores and camelCase humps, lower-cased.
 * @param {string} segment
 * @returns {string[]}
 */
function wordsOf(segment) {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

export default createRulesetFunction(
  {
    input: { type: 'string' },
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['verbs'],
      properties: {
        verbs: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^[a-z]+$' },
          errorMessage: 'verbs must be a non-empty list of lower-case words',
        },
      },
    },
  },
  /**
   * Given a path key. A segment is reported when its first word is a verb (`create-order`,
   * `getUsers`, `list`); template segments are skipped.
   * @param {string} path
   * @param {{ verbs: string[] }} options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordPathNoVerbs(path, options, context) {
    const verbs = new Set(options.verbs);
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    for (const segment of path.split('/')) {
      if (segment === '' || segment.includes('{')) continue;
      const first = wordsOf(segment)[0];
      if (first !== undefined && verbs.has(first)) {
        results.push({ message: `path segment "${segment}" of ${path} starts with the verb "${first}" (let the HTTP method say what happens)`, path: [...context.path] });
      }
    }
    return results;
  },
);
