/** Turns Ajv's errors into violations: a JSON pointer into the request or response and a message a client can act on. */
import type { ErrorObject } from 'ajv';
import { escapeToken } from '../json-pointer.js';
import type { Violation } from './types.js';

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Appends one violation per Ajv error, in Ajv's order (the schema's order, so deterministic), without
 * exact duplicates. `prefix` is prepended to Ajv's instance path (already an escaped JSON pointer),
 * e.g. `/body`. Errors about a missing or unexpected property point at that property. The `if`
 * keyword's summary ("must match then schema") is dropped: the failing `then`/`else` errors follow it.
 */
export function appendAjvErrors(errors: readonly ErrorObject[] | null | undefined, prefix: string, out: Violation[]): void {
  if (!errors) return;
  const start = out.length;
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const violation = toViolation(error, prefix);
    let duplicate = false;
    for (let i = start; i < out.length; i++) {
      const seen = out[i]!;
      if (seen.pointer === violation.pointer && seen.message === violation.message) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) out.push(violation);
  }
}

function toViolation(error: ErrorObject, prefix: string): Violation {
  const pointer = prefix + error.instancePath;
  const params = error.params as Record<string, unknown>;
  const keyword = error.keyword;
  switch (keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      return { pointer: `${pointer}/${escapeToken(name)}`, message: `missing required property ${quote(name)}`, keyword };
    }
    case 'dependentRequired': {
      const name = String(params.missingProperty);
      return {
        pointer: `${pointer}/${escapeToken(name)}`,
        message: `missing property ${quote(name)}, required when ${quote(params.property)} is present`,
        keyword,
      };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return { pointer: `${pointer}/${escapeToken(name)}`, message: `property ${quote(name)} is not allowed`, keyword };
    }
    case 'unevaluatedProperties': {
      const name = String(params.unevaluatedProperty);
      return { pointer: `${pointer}/${escapeToken(name)}`, message: `property ${quote(name)} is not allowed (not evaluated by any subschema)`, keyword };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(quote).join(', ') : '';
      return { pointer, message: `must be one of: ${allowed}`, keyword };
    }
    case 'const':
      return { pointer, message: `must be equal to ${quote(params.allowedValue)}`, keyword };
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : String(params.type).split(',');
      return { pointer, message: `must be ${types.join(' or ')}`, keyword };
    }
    case 'format':
      return { pointer, message: `must be a valid ${quote(params.format)}`, keyword };
    case 'pattern':
      // Quoted as written in the contract: JSON escaping would double every backslash.
      return { pointer, message: `must match pattern "${String(params.pattern)}"`, keyword };
    default:
      return { pointer, message: error.message ?? `fails "${keyword}"`, keyword };
  }
}

/** A one-line summary of violations for a problem's `detail`: the first, and how many more. */
export function summarise(violations: readonly Violation[], subject: string): string {
  const first = violations[0];
  if (!first) return `${subject} does not match the contract`;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return `${subject} does not match the contract: ${first.pointer || '/'} ${first.message}${more}`;
}
