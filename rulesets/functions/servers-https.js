// @ts-check
/** accord-servers-https: every absolute server URL uses https, except for the configured development hosts. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from './openapi/operations.js';

const ABSOLUTE_URL = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)/i;

/**
 * The URL with each `{variable}` replaced by its default, so that `{scheme}://…` is judged by
 * what clients get when they do not choose.
 * @param {string} url
 * @param {unknown} variables
 * @returns {string}
 */
function expand(url, variables) {
  if (!isObject(variables)) return url;
  return url.replace(/\{([^}]+)\}/g, (whole, name) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}

export default createRulesetFunction(
  {
    input: { type: 'object' },
    options: {
      type: 'object',
      additionalProperties: false,
      required: ['allowHosts'],
      properties: {
        allowHosts: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          errorMessage: 'allowHosts must be a list of host names that may use http',
        },
      },
    },
  },
  /**
   * Given a server object. Relative URLs (`/v1`) inherit the scheme the document is served
   * with, so they pass.
   * @param {Record<string, unknown>} server
   * @param {{ allowHosts: string[] }} options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordServersHttps(server, options, context) {
    if (typeof server.url !== 'string') return [];
    const url = expand(server.url, server.variables);
    const match = ABSOLUTE_URL.exec(url);
    if (match === null) return [];
    const scheme = (match[1] ?? '').toLowerCase();
    const host = (match[2] ?? '').toLowerCase();
    if (scheme === 'https' || options.allowHosts.some((allowed) => allowed.toLowerCase() === host)) return [];
    return [{ message: `server URL ${server.url} uses ${scheme}, not https`, path: [...context.path, 'url'] }];
  },
);
