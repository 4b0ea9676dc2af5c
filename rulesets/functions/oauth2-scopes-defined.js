// @ts-check
/** accord-oauth2-scopes-defined: every scope a security requirement asks of an OAuth2 scheme is one of that scheme's flow scopes. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject, operationsOf } from './openapi/operations.js';

/**
 * The scopes each OAuth2 scheme defines, as the union over its flows.
 * @param {unknown} schemes
 * @returns {Map<string, Set<string>>}
 */
function oauth2ScopesBySchemeName(schemes) {
  /** @type {Map<string, Set<string>>} */
  const result = new Map();
  if (!isObject(schemes)) return result;
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme) || scheme.type !== 'oauth2') continue;
    /** @type {Set<string>} */
    const scopes = new Set();
    if (isObject(scheme.flows)) {
      for (const flow of Object.values(scheme.flows)) {
        if (isObject(flow) && isObject(flow.scopes)) for (const scope of Object.keys(flow.scopes)) scopes.add(scope);
      }
    }
    result.set(name, scopes);
  }
  return result;
}

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given the document root: checks the global requirements and every operation's. Schemes of
   * other types, and names that are not schemes at all (another rule's concern), are skipped.
   * @param {Record<string, unknown>} document
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordOauth2ScopesDefined(document, _options, context) {
    const components = isObject(document.components) ? document.components : {};
    const schemes = oauth2ScopesBySchemeName(components.securitySchemes);
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    if (schemes.size === 0) return results;
    /**
     * @param {unknown} security
     * @param {Array<string | number>} at
     */
    const check = (security, at) => {
      if (!Array.isArray(security)) return;
      security.forEach((requirement, index) => {
        if (!isObject(requirement)) return;
        for (const [name, scopes] of Object.entries(requirement)) {
          const defined = schemes.get(name);
          if (defined === undefined || !Array.isArray(scopes)) continue;
          scopes.forEach((scope, position) => {
            if (typeof scope === 'string' && !defined.has(scope)) {
              results.push({
                message: `scope "${scope}" is not defined in the flows of OAuth2 scheme "${name}"`,
                path: [...at, index, name, position],
              });
            }
          });
        }
      });
    };
    check(document.security, [...context.path, 'security']);
    for (const { path, method, operation } of operationsOf(document.paths)) {
      check(operation.security, [...context.path, 'paths', path, method, 'security']);
    }
    return results;
  },
);
