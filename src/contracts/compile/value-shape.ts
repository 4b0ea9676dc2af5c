/** How the strings of a parameter or form field become typed values: the types its schema allows, its items and its properties. */
import { isObject, type Resolved } from '../openapi-document.js';
import { escapeToken } from '../json-pointer.js';

// Type flags of a scalar: a value is converted only to a type its schema allows.
/** The schema allows strings. */
export const TYPE_STRING = 1;
/** The schema allows numbers (integers included). */
export const TYPE_NUMBER = 2;
const TYPE_BOOLEAN = 4;
const TYPE_NULL = 8;
const TYPE_ARRAY = 16;
const TYPE_OBJECT = 32;
/** The schema allows integers (and not every number). */
const TYPE_INTEGER = 64;

const TYPE_FLAGS: Readonly<Record<string, number>> = {
  string: TYPE_STRING,
  integer: TYPE_INTEGER,
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

/** An array of values of any depth. */
export interface NestedArrayShape {
  kind: 'array';
  items: NestedShape;
  /** Scalar types the schema also allows (`anyOf` of an array and a string), for a value sent bare. */
  types: number;
}

/** An object whose members may nest further. */
export interface NestedObjectShape {
  kind: 'object';
  properties: ReadonlyMap<string, NestedShape>;
  additional: NestedShape;
  /** Scalar types the schema also allows (`anyOf` of an object and an integer), for a value sent bare. */
  types: number;
}

/** What a deepObject field (`a[b][0][c]=…`) or a multipart part turns into, to any depth. */
export type NestedShape = ScalarShape | NestedArrayShape | NestedObjectShape;

/** Nesting below this depth reads as strings (recursive schemas end here). */
const MAX_NESTING = 8;

/**
 * Reads the shape of a schema to any depth, up to {@link MAX_NESTING} levels (deeper members stay
 * strings, and the validator still checks them). Built once at load.
 */
export function nestedShapeOf(schema: Resolved, follow: RefFollower, options: { coerce: boolean; is30: boolean }, depth = 0): NestedShape {
  if (depth >= MAX_NESTING) return STRING_SHAPE;
  const outline = outlineOf(schema, follow, options.is30);
  const types = scalarFromTypes(outline.types, options.coerce).types;
  if (outline.types & TYPE_ARRAY) {
    return { kind: 'array', items: outline.items ? nestedShapeOf(outline.items, follow, options, depth + 1) : STRING_SHAPE, types };
  }
  if (outline.types & TYPE_OBJECT || (outline.types === 0 && outline.properties.size > 0)) {
    const properties = new Map<string, NestedShape>();
    for (const [name, member] of outline.properties) properties.set(name, nestedShapeOf(member, follow, options, depth + 1));
    const additional = outline.additional ? nestedShapeOf(outline.additional, follow, options, depth + 1) : STRING_SHAPE;
    return { kind: 'object', properties, additional, types };
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
  const scalar = types & (TYPE_STRING | TYPE_NUMBER | TYPE_INTEGER | TYPE_BOOLEAN | TYPE_NULL);
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

/** An integer written one way only: no sign but `-`, no leading zero, no fraction or exponent. */
const CANONICAL_INTEGER = /^-?(?:0|[1-9]\d*)$/;
/** A number in plain decimal form: no `+`, no leading zero, no exponent, digits on both sides of a point. */
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
/** `-0`, `-0.0`…: a negative zero, which other parsers may keep apart from 0. */
const NEGATIVE_ZERO = /^-0(?:\.0+)?$/;

/**
 * Converts one string to the first type it can be that the shape allows. A number is converted only
 * from its one plain text: an integer as `-?(0|[1-9][0-9]*)` within the safe-integer range, any
 * number as that with an optional `.digits`; never `-0`, an exponent, `+` or a leading zero. Those
 * forms read as one value here and as another by an upstream's `parseInt` or a lax parser (`1e2` is
 * 100 to one and 1 to the other), so they stay strings and the validator refuses them as the wrong
 * type. A boolean is `true`/`false`; null is the empty text when strings are not allowed. Anything
 * else stays the string, so the validator reports the mismatch with the schema's words.
 */
export function coerceScalar(text: string, types: number): unknown {
  if (types === TYPE_STRING) return text;
  if (types & (TYPE_NUMBER | TYPE_INTEGER) && !NEGATIVE_ZERO.test(text)) {
    if (types & TYPE_NUMBER ? PLAIN_DECIMAL.test(text) : CANONICAL_INTEGER.test(text)) {
      const value = Number(text);
      if (!(types & TYPE_NUMBER) ? Number.isSafeInteger(value) : Number.isFinite(value)) return value;
    }
  }
  if (types & TYPE_BOOLEAN) {
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  if (types & TYPE_NULL && text === '' && !(types & TYPE_STRING)) return null;
  return text;
}
