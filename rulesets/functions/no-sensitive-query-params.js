// @ts-check
/** accord-no-sensitive-query-params: credentials and personal data never travel in query strings. */
import { createRulesetFunction } from '@stoplight/spectral-core';

/**
 * Compares names the way people vary them: `API-Key`, `api_key` and `apiKey` are one name.
 * @param {string} name
 * @returns {string}
 */
function normalise(name) {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['names'],
      properties: {
        names: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          errorMessage: 'names must be a non-empty list of parameter names',
        },
      },
    },
  },
  /**
   * Given a parameter object. The gateway's access log, proxies and browser histories record
   * URLs, so a query parameter leaks whatever it carries.
   * @param {Record<string, unknown>} parameter
   * @param {{ names: string[] }} options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordNoSensitiveQueryParams(parameter, options, context) {
    if (parameter.in !== 'query' || typeof parameter.name !== 'string') return [];
    const sensitive = new Set(options.names.map(normalise));
    if (!sensitive.has(normalise(parameter.name))) return [];
    return [{ message: `query parameter "${parameter.name}" carries sensitive data (URLs are logged): send it in a header or the body`, path: [...context.path, 'name'] }];
  },
);
