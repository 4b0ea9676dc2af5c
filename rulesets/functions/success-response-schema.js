// @ts-check
/** accord-success-response-schema: every 2xx response that has a body declares its schema, so the gateway can validate responses. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from './openapi/operations.js';

const SUCCESS_STATUS = /^2(?:\d\d|XX)$/i;
// 204 No Content and 205 Reset Content never carry content (RFC 9110 §15.3.5-6); 304 is not 2xx.
const BODILESS = new Set(['204', '205']);

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given an operation's `responses`. HEAD answers carry no body, so HEAD operations are skipped.
   * @param {Record<string, unknown>} responses
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordSuccessResponseSchema(responses, _options, context) {
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    if (context.path[2] === 'head') return results;
    for (const [status, response] of Object.entries(responses)) {
      if (!SUCCESS_STATUS.test(status) || BODILESS.has(status) || !isObject(response)) continue;
      const content = isObject(response.content) ? response.content : {};
      const types = Object.keys(content);
      if (types.length === 0) {
        results.push({ message: `${status} response declares no content (declare its schema, or answer 204 when there is none)`, path: [...context.path, status] });
        continue;
      }
      for (const type of types) {
        const media = content[type];
        if (isObject(media) && media.schema !== undefined) continue;
        results.push({ message: `${status} response media type ${type} has no schema`, path: [...context.path, status, 'content', type] });
      }
    }
    return results;
  },
);
