/** Reads `name[member][0][member]=value` keys (deepObject style, to any depth) into nested values, guided by the schema's shape (request path). */
import { coerceScalar, TYPE_STRING, type NestedShape, type ScalarShape } from './value-shape.js';
import { setOwn } from './parameter-decode.js';
import { escapeToken } from '../json-pointer.js';
import type { Violation } from './types.js';

const STRING_SHAPE: ScalarShape = { kind: 'scalar', types: TYPE_STRING };

/** Bound on the segments of one key: deeper keys are refused rather than built into deep values. */
const MAX_SEGMENTS = 32;

/** Array indexes a key may name: the next free one or an existing one, so that no array is sparse. */
const INDEX = /^(?:0|[1-9]\d{0,5})$/;

/**
 * Adds `name[a][0][b]=text` to `out`: walks (and builds) the nested value along the key's segments,
 * guided by the field's shape: a segment of an array is `[]` (the next item) or an index up to the
 * array's length; a segment of an object is a member name. A key that breaks the bracket syntax,
 * mixes a value with members, skips array indexes or nests deeper than {@link MAX_SEGMENTS} levels
 * adds a violation and is left out.
 */
export function addDeepKey(
  out: Record<string, unknown>,
  key: string,
  bracket: number,
  fieldShape: NestedShape,
  text: string,
  parsed: { value: unknown } | undefined,
  prefix: string,
  violations: Violation[],
): void {
  const name = key.slice(0, bracket);
  let holder: Record<string, unknown> | unknown[] = out;
  let slot: string | number = name;
  let shape: NestedShape = fieldShape;
  let pointer = `${prefix}/${escapeToken(name)}`;
  let segments = 0;
  for (let i = bracket; i < key.length; i++) if (key.charCodeAt(i) === 91 /* [ */) segments++;
  if (segments > MAX_SEGMENTS) {
    violations.push({ pointer: `${prefix}/${escapeToken(name)}`, message: `a key nests deeper than ${MAX_SEGMENTS} levels`, keyword: 'style' });
    return;
  }
  let at = bracket;
  while (at < key.length) {
    const close = key.indexOf(']', at);
    const segment = close < 0 ? '' : key.slice(at + 1, close);
    if (key.charCodeAt(at) !== 91 /* [ */ || close < 0 || segment.includes('[')) {
      violations.push({ pointer: `${prefix}/${escapeToken(key)}`, message: 'is not a deepObject key (name[member]…)', keyword: 'style' });
      return;
    }
    at = close + 1;
    const isArray = shape.kind === 'array';
    let child = own(holder, slot);
    if (child === undefined) {
      child = isArray ? [] : {};
      put(holder, slot, child);
    } else if (typeof child !== 'object' || child === null || Array.isArray(child) !== isArray) {
      violations.push({ pointer, message: 'is sent both as a value and as members', keyword: 'duplicate' });
      return;
    }
    if (isArray) {
      const list = child as unknown[];
      if (segment !== '' && !(INDEX.test(segment) && Number(segment) <= list.length)) {
        violations.push({ pointer, message: `index [${segment}] skips items (next is [${list.length}])`, keyword: 'style' });
        return;
      }
      slot = segment === '' ? list.length : Number(segment);
      shape = (shape as { items: NestedShape }).items;
    } else {
      slot = segment;
      shape = shape.kind === 'object' ? (shape.properties.get(segment) ?? shape.additional) : STRING_SHAPE;
    }
    holder = child as Record<string, unknown> | unknown[];
    pointer += `/${escapeToken(String(slot))}`;
  }
  const existing = own(holder, slot);
  if (shape.kind === 'array' && parsed === undefined) {
    // `name[list]=a&name[list]=b`: a repeated leaf of an array member collects its values.
    const item = coerceScalar(text, shape.items.types);
    if (existing === undefined) put(holder, slot, [item]);
    else if (Array.isArray(existing)) existing.push(item);
    else violations.push({ pointer, message: 'must appear once', keyword: 'duplicate' });
    return;
  }
  if (existing !== undefined) {
    violations.push({ pointer, message: typeof existing === 'object' && existing !== null ? 'is sent both as a value and as members' : 'must appear once', keyword: 'duplicate' });
    return;
  }
  put(holder, slot, parsed !== undefined ? parsed.value : coerceScalar(text, shape.types));
}

function own(holder: Record<string, unknown> | unknown[], slot: string | number): unknown {
  if (Array.isArray(holder)) return holder[slot as number];
  return Object.prototype.hasOwnProperty.call(holder, slot) ? holder[slot as string] : undefined;
}

function put(holder: Record<string, unknown> | unknown[], slot: string | number, value: unknown): void {
  if (Array.isArray(holder)) holder[slot as number] = value;
  else setOwn(holder, slot as string, value);
}

