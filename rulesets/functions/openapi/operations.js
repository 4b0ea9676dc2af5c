// @ts-check
/** Walks the operations of an OpenAPI paths object; shared by the house rule functions of rulesets/accord.yaml. */

/** The HTTP methods an OpenAPI path item can hold as operations. */
export const HTTP_METHODS = Object.freeze(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * True for a plain object (not null, not an array).
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * @typedef {object} OperationEntry
 * @property {string} path the path template, e.g. `/orders/{id}`
 * @property {string} method the lower-case method key, e.g. `get`
 * @property {Record<string, unknown>} operation the operation object
 * @property {string} label `GET /orders/{id}`, for messages
 */

/**
 * Every operation of a paths object, in document order. Linear in the number of operations:
 * rules that need the whole document (uniqueness, global security) visit it once.
 * @param {unknown} paths
 * @returns {OperationEntry[]}
 */
export function operationsOf(paths) {
  /** @type {OperationEntry[]} */
  const entries = [];
  if (!isObject(paths)) return entries;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (isObject(operation)) entries.push({ path, method, operation, label: `${method.toUpperCase()} ${path}` });
    }
  }
  return entries;
}

/**
 * The media type without parameters, lower-cased: `Application/Problem+JSON; charset=utf-8` -> `application/problem+json`.
 * @param {string} mediaType
 * @returns {string}
 */
export function essenceOf(mediaType) {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * The label of the operation a Spectral path points into (`['paths', '/a', 'get', ...]` -> `GET /a`).
 * @param {ReadonlyArray<string | number>} path
 * @returns {string | undefined}
 */
export function operationLabelAt(path) {
  if (path[0] !== 'paths' || path.length < 3) return undefined;
  const method = String(path[2]);
  return HTTP_METHODS.includes(method) ? `${method.toUpperCase()} ${String(path[1])}` : undefined;
}
