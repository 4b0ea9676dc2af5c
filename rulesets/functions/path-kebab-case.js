// @ts-check
/** accord-path-kebab-case: every literal path segment is lower-case words joined by hyphens. */
import { createRulesetFunction } from '@stoplight/spectral-core';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export default createRulesetFunction(
  { input: { type: 'string' }, options: null },
  /**
   * Given a path key. Segments holding a template expression (`{id}`, `{id}.json`) are the
   * parameter's business and skipped; a trailing slash is accord-path-no-trailing-slash's.
   * @param {string} path
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordPathKebabCase(path, _options, context) {
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    const segments = path.split('/').slice(1);
    if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
    for (const segment of segments) {
      if (segment.includes('{')) continue;
      if (segment === '') results.push({ message: `path ${path} has an empty segment`, path: [...context.path] });
      else if (!KEBAB.test(segment)) results.push({ message: `path segment "${segment}" of ${path} is not kebab-case`, path: [...context.path] });
    }
    return results;
  },
);
