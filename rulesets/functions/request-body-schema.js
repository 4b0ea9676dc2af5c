// @ts-check
/** accord-request-body-schema: every media type of a request body has a schema, so the gateway can validate what it forwards. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from './openapi/operations.js';

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given an operation's `requestBody`.
   * @param {Record<string, unknown>} body
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordRequestBodySchema(body, _options, context) {
    const content = isObject(body.content) ? body.content : {};
    const types = Object.keys(content);
    if (types.length === 0) return [{ message: 'request body declares no content (media type with a schema)', path: [...context.path] }];
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    for (const type of types) {
      const media = content[type];
      if (isObject(media) && media.schema !== undefined) continue;
      results.push({ message: `request body media type ${type} has no schema`, path: [...context.path, 'content', type] });
    }
    return results;
  },
);
