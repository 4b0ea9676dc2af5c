/** Turns the fields of a form body (application/x-www-form-urlencoded, and the parts of multipart/form-data) into the object its schema describes, as its `encoding` says (request path). */
import { coerceScalar, TYPE_STRING, type NestedShape, type ScalarShape } from './value-shape.js';
import { setOwn } from './parameter-decode.js';
import { addDeepKey } from './deep-object.js';
import { escapeToken } from '../json-pointer.js';
import type { Violation } from './types.js';

const STRING_SHAPE: ScalarShape = { kind: 'scalar', types: TYPE_STRING };

/** The `encoding` styles a form field may use. */
export type FormStyle = 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

/** How one field of a form body is read: its Encoding Object, and the shape of its schema. */
export interface FormField {
  style: FormStyle;
  explode: boolean;
  shape: NestedShape;
  /** The `contentType` of its Encoding Object (multipart parts), lower-case essences; empty when not declared. */
  contentTypes: readonly string[];
}

/** How a form body's fields are read: the declared ones by name, the rest as `additionalProperties`. */
export interface FormRules {
  fields: ReadonlyMap<string, FormField>;
  additional: FormField;
}

/** The rules of a form whose schema says nothing: every field a string, form style. */
export const PLAIN_FORM: FormRules = {
  fields: new Map(),
  additional: { style: 'form', explode: true, shape: STRING_SHAPE, contentTypes: [] },
};

const DELIMITER: Readonly<Record<FormStyle, string>> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|', deepObject: ',' };

/**
 * The fields of an application/x-www-form-urlencoded body. Each declared field is read by its
 * Encoding Object: `form` arrays from repeated keys (`explode: true`, the default) or from one
 * comma-separated value (`explode: false`), `spaceDelimited` and `pipeDelimited` arrays from one
 * value, `deepObject` fields from `name[member][0][member]=…` keys, to any depth. Scalars are typed
 * per their schema. A scalar sent twice is ambiguous and adds a violation; the first value is kept.
 * A bracketed key of a field that is not `deepObject` stays the literal name it is, which the schema
 * then refuses as an unknown property.
 */
export function parseFormBody(body: Buffer, rules: FormRules, violations: Violation[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) addFormText(out, rules, key, value, violations);
  return out;
}

/** Adds one field sent as text (a urlencoded pair, or a multipart part that is not JSON). */
export function addFormText(out: Record<string, unknown>, rules: FormRules, key: string, text: string, violations: Violation[]): void {
  const field = rules.fields.get(key);
  if (field !== undefined) {
    addWhole(out, key, field, text, violations);
    return;
  }
  const bracket = key.indexOf('[');
  if (bracket > 0) {
    const deep = rules.fields.get(key.slice(0, bracket));
    if (deep !== undefined && deep.style === 'deepObject') {
      addDeepKey(out, key, bracket, deep.shape, text, undefined, '/body', violations);
      return;
    }
  }
  addWhole(out, key, rules.additional, text, violations);
}

/** Adds one field whose value is already a value (a multipart part parsed as JSON). */
export function addFormValue(out: Record<string, unknown>, rules: FormRules, key: string, value: unknown, violations: Violation[]): void {
  const field = rules.fields.get(key) ?? rules.additional;
  if (rules.fields.get(key) === undefined) {
    const bracket = key.indexOf('[');
    const deep = bracket > 0 ? rules.fields.get(key.slice(0, bracket)) : undefined;
    if (deep !== undefined && deep.style === 'deepObject') {
      addDeepKey(out, key, bracket, deep.shape, '', { value }, '/body', violations);
      return;
    }
  }
  const has = Object.prototype.hasOwnProperty.call(out, key);
  if (field.shape.kind === 'array' && !Array.isArray(value)) {
    if (has && Array.isArray(out[key])) (out[key] as unknown[]).push(value);
    else if (!has) setOwn(out, key, [value]);
    else once(key, violations);
  } else if (has) {
    once(key, violations);
  } else {
    setOwn(out, key, value);
  }
}

/** A field named without brackets: a scalar, an array in its style, or an object in `form` style. */
function addWhole(out: Record<string, unknown>, key: string, field: FormField, text: string, violations: Violation[]): void {
  const shape = field.shape;
  const has = Object.prototype.hasOwnProperty.call(out, key);
  if (shape.kind === 'array') {
    const itemTypes = shape.items.types;
    const splits = field.style !== 'deepObject' && !(field.style === 'form' && field.explode);
    const items = splits ? (text === '' ? [] : text.split(DELIMITER[field.style])) : [text];
    if (has && !Array.isArray(out[key])) {
      once(key, violations);
      return;
    }
    const list = has ? (out[key] as unknown[]) : [];
    for (const item of items) list.push(coerceScalar(item, itemTypes));
    if (!has) setOwn(out, key, list);
    return;
  }
  if (has) {
    once(key, violations);
    return;
  }
  if (shape.kind === 'object' && field.style === 'form' && !field.explode && text !== '') {
    // form, explode false: `role,admin,name,Alex`.
    const parts = text.split(',');
    const object: Record<string, unknown> = {};
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const member = shape.properties.get(parts[i]!) ?? shape.additional;
      setOwn(object, parts[i]!, coerceScalar(parts[i + 1]!, member.kind === 'scalar' ? member.types : TYPE_STRING));
    }
    setOwn(out, key, object);
    return;
  }
  setOwn(out, key, coerceScalar(text, shape.types));
}

function once(key: string, violations: Violation[]): void {
  violations.push({ pointer: `/body/${escapeToken(key)}`, message: 'must appear once', keyword: 'duplicate' });
}
