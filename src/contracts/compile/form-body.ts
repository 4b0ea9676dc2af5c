/** Parses an application/x-www-form-urlencoded body into the object its schema describes (request path). */
import { coerceScalar, TYPE_STRING, type ObjectShape, type ScalarShape } from './value-shape.js';
import { setOwn } from './parameter-decode.js';
import { escapeToken } from '../json-pointer.js';
import type { Violation } from './types.js';

const STRING_SHAPE: ScalarShape = { kind: 'scalar', types: TYPE_STRING };

/** How a form body's fields are read: their shapes, and the array fields sent comma-separated (`explode: false`). */
export interface FormRules {
  shape: ObjectShape | undefined;
  commaSeparated: ReadonlySet<string>;
}

/**
 * The fields of a form body: array fields collect repeated keys (or split on commas when their
 * `encoding` says `explode: false`), scalar fields are typed per their schema. A scalar field sent
 * twice is ambiguous and adds a violation; the first value is kept.
 */
export function parseFormBody(body: Buffer, rules: FormRules, violations: Violation[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const shape = rules.shape;
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const member = shape ? (shape.properties.get(key) ?? shape.additional) : STRING_SHAPE;
    const has = Object.prototype.hasOwnProperty.call(out, key);
    if (member.kind === 'array') {
      const items = rules.commaSeparated.has(key) ? (value === '' ? [] : value.split(',')) : [value];
      const list = has ? (out[key] as unknown[]) : [];
      for (const item of items) list.push(coerceScalar(item, member.items.types));
      if (!has) setOwn(out, key, list);
    } else if (has) {
      violations.push({ pointer: `/body/${escapeToken(key)}`, message: 'must appear once', keyword: 'duplicate' });
    } else {
      setOwn(out, key, coerceScalar(value, member.types));
    }
  }
  return out;
}
