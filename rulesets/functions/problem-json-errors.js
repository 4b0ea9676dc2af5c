// @ts-check
/** accord-problem-json-errors: every 4xx/5xx response of an operation offers `application/problem+json`. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { essenceOf, isObject } from './openapi/operations.js';

const PROBLEM_JSON = 'application/problem+json';
const ERROR_STATUS = /^[45](?:\d\d|XX)$/i;

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given an operation's `responses` object. `default` is not an error status by itself, so it is
   * left alone.
   * @param {Record<string, unknown>} responses
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordProblemJsonErrors(responses, _options, context) {
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    for (const [status, response] of Object.entries(responses)) {
      if (!ERROR_STATUS.test(status) || !isObject(response)) continue;
      const types = isObject(response.content) ? Object.keys(response.content) : [];
      if (types.some((type) => essenceOf(type) === PROBLEM_JSON)) continue;
      const declared = types.length === 0 ? 'declares no content' : `declares ${types.join(', ')}`;
      results.push({ message: `${status} response ${declared}, not ${PROBLEM_JSON}`, path: [...context.path, status] });
    }
    return results;
  },
);
