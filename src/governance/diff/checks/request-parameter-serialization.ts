/**
 * How a request parameter travels: its `in` location, `style` and `explode`. oasdiff has no IDs for
 * these (it reports a move as a removal plus an addition); Accord names them in oasdiff's pattern.
 */
import { isObject } from '../../../contracts/openapi-document.js';
import { define, type DiffCheck } from '../check.js';
import type { ParameterEntry } from '../model.js';

/** The effective style of a parameter, with the defaults of OpenAPI 3 (form for query and cookie, simple otherwise). */
function styleOf(param: ParameterEntry): string {
  if (typeof param.value.style === 'string') return param.value.style;
  return param.in === 'query' || param.in === 'cookie' ? 'form' : 'simple';
}

/** The effective explode flag: true by default only for the form style. */
function explodeOf(param: ParameterEntry): boolean {
  if (typeof param.value.explode === 'boolean') return param.value.explode;
  return styleOf(param) === 'form';
}

/** Style and explode only shape arrays and objects; a scalar is serialised alike in every style but `matrix`/`label`. */
function matters(param: ParameterEntry): boolean {
  const schema = param.value.schema;
  if (!isObject(schema)) return true;
  const type = schema.type;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === undefined || t === 'array' || t === 'object');
}

/** Reports a parameter moved to another location, and a changed style or explode. */
export const requestParameterSerialization: DiffCheck = {
  definitions: [
    define('request-parameter-in-changed', 'error', 'request', 'parameters', 'A request parameter moved to another location (for example from query to header).'),
    define('request-parameter-style-changed', 'error', 'request', 'parameters', 'The serialisation style of a request parameter changed.'),
    define('request-parameter-explode-changed', 'error', 'request', 'parameters', 'The explode flag of a request parameter changed, so arrays and objects are sent differently.'),
  ],
  run(comparison, reporter) {
    for (const pair of comparison.operations) {
      if (!pair.reported) continue;
      for (const { base, revision } of pair.parameters.moved) {
        reporter.report({
          id: 'request-parameter-in-changed',
          operation: pair.label,
          message: `the parameter '${revision.name}' moved from ${base.in} to ${revision.in}`,
          base,
          revision,
        });
      }
      for (const { base, revision } of pair.parameters.matched) {
        const what = `${revision.in} parameter '${revision.name}'`;
        const styleChanged = styleOf(base) !== styleOf(revision);
        if (styleChanged && (matters(base) || matters(revision) || ['matrix', 'label'].includes(styleOf(revision)) || ['matrix', 'label'].includes(styleOf(base)))) {
          reporter.report({ id: 'request-parameter-style-changed', operation: pair.label, message: `the style of the ${what} changed from '${styleOf(base)}' to '${styleOf(revision)}'`, base, revision });
        }
        if (!styleChanged && explodeOf(base) !== explodeOf(revision) && (matters(base) || matters(revision))) {
          reporter.report({ id: 'request-parameter-explode-changed', operation: pair.label, message: `explode of the ${what} changed from ${explodeOf(base)} to ${explodeOf(revision)}`, base, revision });
        }
      }
    }
  },
};
