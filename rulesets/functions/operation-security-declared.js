// @ts-check
/** accord-operation-security-declared: every operation says who may call it, itself or through a global `security`. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { operationsOf } from './openapi/operations.js';

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given the document root. A `security` list at either level counts, including an empty one
   * (an explicit "public"); only its complete absence is reported.
   * @param {Record<string, unknown>} document
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordOperationSecurityDeclared(document, _options, context) {
    if (Array.isArray(document.security)) return [];
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    for (const { path, method, operation, label } of operationsOf(document.paths)) {
      if (Array.isArray(operation.security)) continue;
      results.push({
        message: `${label} declares no security and the document has no global security (use security: [] for a public operation)`,
        path: [...context.path, 'paths', path, method],
      });
    }
    return results;
  },
);
