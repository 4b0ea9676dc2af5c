// @ts-check
/** accord-operation-id-unique: every operation has an operationId, and no two operations share one. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { operationsOf } from './openapi/operations.js';

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given the `paths` object: one pass over every operation, remembering the first owner of each ID.
   * @param {Record<string, unknown>} paths
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordOperationIdUnique(paths, _options, context) {
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    /** @type {Map<string, string>} */
    const owners = new Map();
    for (const { path, method, operation, label } of operationsOf(paths)) {
      const at = [...context.path, path, method];
      const id = operation.operationId;
      if (typeof id !== 'string' || id.trim() === '') {
        results.push({ message: `${label} has no operationId`, path: at });
        continue;
      }
      const owner = owners.get(id);
      if (owner === undefined) owners.set(id, label);
      else results.push({ message: `operationId "${id}" of ${label} is already used by ${owner}`, path: [...at, 'operationId'] });
    }
    return results;
  },
);
