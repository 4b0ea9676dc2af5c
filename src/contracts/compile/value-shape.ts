/** How the strings of a parameter or form field become typed values: the types its schema allows, its items and its properties. */
import { isObject, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';

// Type flags of a scalar: a value is converted only to a type its schema allows.
/** The schema allows strings. */
export const TYPE_STRING = 1;
/** The schema allows numbers or integers. */
export const TYPE_NUMBER = 2;
const TYPE_BOOLEAN = 4;
const TYPE_NULL = 8;
const TYPE_ARRAY = 16;
const TYPE_OBJECT = 32;

const TYPE_FLAGS: Readonly<Record<string, number>> = {
  string: TYPE_STRING,
  integer: TYPE_NUMBER,
  number: TYPE_NUMBER,
  boolean: TYPE_BOOLEAN,
  null: TYPE_NULL,
  array: TYPE_ARRAY,
  object: TYPE_OBJECT,
};

/** A single value; `types` is a set of TYPE_* flags. */
export interface ScalarShape {
  kind: 'scalar';
  types: number;
}

/** A list of scalars. */
export interface ArrayShape {
  kind: 'array';
  items: ScalarShape;
}

/** Named members, each a scalar or a list; members not declared take `additional`. */
export interface ObjectShape {
  kind: 'object';
  properties: ReadonlyMap<string, ScalarShape | ArrayShape>;
  additional: ScalarShape | ArrayShape;
}

/** What a parameter's or form field's text turns into. */
export type ValueShape = ScalarShape | ArrayShape | ObjectShape;

/** Follows one `$ref` of the contract. */
export type RefFollower = (ref: string, file: string, schemaPointer: string) => Resolved;

/** Bound on `$ref`/`allOf` hops while reading a schema's types. */
const MAX_DEPTH = 16;

const STRING_SHAPE: ScalarShape = { kind: 'scalar', types: TYPE_STRING };

interface Outline {
  types: number;
  items: Resolved | undefined;
  properties: Map<string, Resolved>;
  additional: Resolved | undefined;
}

/**
 * Reads the shape of a schema: its `type` (through `$ref`s, and across `allOf`/`anyOf`/`oneOf` when
 * it has none), the items of an array, the properties of an object. Without `coerce` every scalar
 * stays a string. A schema with no type information also stays a string: nothing says to convert it.
 */
export function shapeOf(schema: Resolved, follow: RefFollower, options: { coerce: boolean; is30: boolean }): ValueShape {
  const outline = outlineOf(schema, follow, options.is30);
  if (outline.types & TYPE_ARRAY) {
    return { kind: 'array', items: scalarOf(outline.items, follow, options) };
  }
  if (outline.types & TYPE_OBJECT || (outline.types === 0 && outline.properties.size > 0)) {
    const properties = new Map<string, ScalarShape | ArrayShape>();
    for (const [name, member] of outline.properties) properties.set(name, memberOf(member, follow, options));
    const additional = outline.additional ? memberOf(outline.additional, follow, options) : STRING_SHAPE;
    return { kind: 'object', properties, additional };
  }
  return scalarFromTypes(outline.types, options.coerce);
}

function memberOf(schema: Resolved, follow: RefFollower, options: { coerce: boolean; is30: boolean }): ScalarShape | ArrayShape {
  const outline = outlineOf(schema, follow, options.is30);
  if (outline.types & TYPE_ARRAY) return { kind: 'array', items: scalarOf(outline.items, follow, options) };
  return scalarFromTypes(outline.types, options.coerce);
}

function scalarOf(schema: Resolved | undefined, follow: RefFollower, options: { coerce: boolean; is30: boolean }): ScalarShape {
  if (!schema) return STRING_SHAPE;
  return scalarFromTypes(outlineOf(schema, follow, options.is30).types, options.coerce);
}

function scalarFromTypes(types: number, coerce: boolean): ScalarShape {
  const scalar = types & (TYPE_STRING | TYPE_NUMBER | TYPE_BOOLEAN | TYPE_NULL);
  if (!coerce || scalar === 0) return STRING_SHAPE;
  return { kind: 'scalar', types: scalar };
}

function outlineOf(schema: Resolved, follow: RefFollower, is30: boolean): Outline {
  const outline: Outline = { types: 0, items: undefined, properties: new Map(), additional: undefined };
  collect(schema, follow, is30, outline, 0);
  return outline;
}

function collect(at: Resolved, follow: RefFollower, is30: boolean, outline: Outline, depth: number): void {
  if (depth > MAX_DEPTH || !isObject(at.value)) return;
  const schema = at.value;
  if (typeof schema.$ref === 'string') {
    collect(follow(schema.$ref, at.file, at.pointer), follow, is30, outline, depth + 1);
    if (is30 && schema.nullable === true) outline.types |= TYPE_NULL;
    if (is30) return;
  }
  if (typeof schema.type === 'string') outline.types |= TYPE_FLAGS[schema.type] ?? 0;
  if (Array.isArray(schema.type)) for (const t of schema.type) outline.types |= typeof t === 'string' ? (TYPE_FLAGS[t] ?? 0) : 0;
  if (is30 && schema.nullable === true) outline.types |= TYPE_NULL;
  if (outline.items === undefined && (isObject(schema.items) || typeof schema.items === 'boolean')) {
    outline.items = { value: schema.items, file: at.file, pointer: `${at.pointer}/items` };
  }
  if (isObject(schema.properties)) {
    for (const name of Object.keys(schema.properties)) {
      if (!outline.properties.has(name)) {
        outline.properties.set(name, {
          value: schema.properties[name],
          file: at.file,
          pointer: `${at.pointer}/properties/${escapeToken(name)}`,
        });
      }
    }
  }
  if (outline.additional === undefined && isObject(schema.additionalProperties)) {
    outline.additional = { value: schema.additionalProperties, file: at.file, pointer: `${at.pointer}/additionalProperties` };
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const members = schema[keyword];
    if (!Array.isArray(members)) continue;
    for (let i = 0; i < members.length; i++) {
      collect({ value: members[i], file: at.file, pointer: `${at.pointer}/${keyword}/${i}` }, follow, is30, outline, depth + 1);
    }
  }
}

const NUMERIC = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Converts one string to the first type it can be that the shape allows: a number when it is written
 * as a JSON number, a boolean when it is `true`/`false`, null when empty and strings are not allowed.
 * Anything else stays the string, so the validator reports the mismatch with the schema's words.
 */
export function coerceScalar(text: string, types: number): unknown {
  if (types === TYPE_STRING) return text;
  if (types & TYPE_NUMBER && NUMERIC.test(text)) return Number(text);
  if (types & TYPE_BOOLEAN) {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  if (types & TYPE_NULL && text === '' && !(types & TYPE_STRING)) return null;
  return text;
}
