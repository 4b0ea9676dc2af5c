// @ts-check
/** accord-pattern-linear-time: no schema pattern uses a lookaround or a backreference, which the gateway's linear-time engine (RE2) refuses at load. */
import { createRulesetFunction } from '@stoplight/spectral-core';
import { isObject } from './openapi/operations.js';

/** Keys under which data, not schemas, lives: a `pattern` there is a value. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default']);

/**
 * What in an ECMA-262 pattern RE2 cannot evaluate, or undefined. The same reading the gateway
 * makes (escapes skipped, classes read as sets), reduced to the constructs that decide a refusal.
 * @param {string} pattern
 * @returns {string | undefined}
 */
function nonLinearConstruct(pattern) {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && next >= '1' && next <= '9') return 'a backreference';
      if (!inClass && next === 'k') return 'a named backreference';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind.startsWith('=') || kind.startsWith('!')) return 'a lookahead';
      if (kind === '<=' || kind === '<!') return 'a lookbehind';
    }
  }
  return undefined;
}

export default createRulesetFunction(
  { input: { type: 'object' }, options: null },
  /**
   * Given the document root.
   * @param {Record<string, unknown>} document
   * @param {null} _options
   * @param {import('@stoplight/spectral-core').RulesetFunctionContext} context
   */
  function accordPatternLinearTime(document, _options, context) {
    /** @type {import('@stoplight/spectral-core').IFunctionResult[]} */
    const results = [];
    /** @type {Set<object>} */
    const seen = new Set();
    // One path, extended and shortened as the walk goes: a copy only for a result.
    /** @type {(string | number)[]} */
    const path = [...context.path];
    /**
     * @param {string} pattern
     * @param {(string | number)[]} tail
     */
    const check = (pattern, tail) => {
      const construct = nonLinearConstruct(pattern);
      if (construct) results.push({ message: `pattern "${pattern}" uses ${construct}, which the gateway's linear-time engine (RE2) cannot evaluate: the contract is refused at load`, path: [...path, ...tail] });
    };
    /** @param {unknown} node */
    const walk = (node) => {
      if (node === null || typeof node !== 'object' || seen.has(node)) return;
      seen.add(node);
      if (Array.isArray(node)) {
        for (let index = 0; index < node.length; index++) {
          path.push(index);
          walk(node[index]);
          path.pop();
        }
        return;
      }
      const object = /** @type {Record<string, unknown>} */ (node);
      if (typeof object.pattern === 'string') check(object.pattern, ['pattern']);
      if (isObject(object.patternProperties)) for (const name of Object.keys(object.patternProperties)) check(name, ['patternProperties', name]);
      for (const key of Object.keys(object)) {
        if (DATA_KEYS.has(key) || key.startsWith('x-')) continue;
        path.push(key);
        walk(object[key]);
        path.pop();
      }
    };
    walk(document);
    return results;
  },
);
