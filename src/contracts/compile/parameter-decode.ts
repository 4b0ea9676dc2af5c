/** Reads parameter values out of one request by their OpenAPI style, and converts their text to typed values (request path). */
import type { IncomingHttpHeaders } from 'node:http';
import type { Violation } from './types.js';
import type { ParameterPlan } from './parameter-plan.js';
import { addDeepKey } from './deep-object.js';
import { coerceScalar, type ArrayShape, type ObjectShape, type ScalarShape, type ValueShape } from './value-shape.js';

/** Marks "the parameter is not in the request"; distinct from an empty value. */
export const ABSENT: unique symbol = Symbol('absent');

/** Request data parsed once and shared by every parameter of the request. */
export interface ParameterSources {
  pathParams: Record<string, string>;
  query: URLSearchParams | undefined;
  headers: IncomingHttpHeaders;
  cookies: Map<string, string> | undefined;
}

/** Percent-decodes text from a URL path or a cookie; text that is not valid percent-encoding stays as it is. */
function percentDecode(text: string): string {
  if (text.indexOf('%') < 0) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Sets an own property even for the name `__proto__`, which plain assignment would turn into a prototype change. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function memberValue(shape: ObjectShape, key: string, text: string): unknown {
  const member = shape.properties.get(key) ?? shape.additional;
  return member.kind === 'scalar' ? coerceScalar(text, member.types) : [coerceScalar(text, member.items.types)];
}

/** Splits delimited text into an array of typed items (empty text is an empty array). */
function toArray(text: string, separator: string, items: ScalarShape, decode: boolean): unknown[] {
  if (text === '') return [];
  const parts = text.split(separator);
  const out = new Array<unknown>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = coerceScalar(decode ? percentDecode(parts[i]!) : parts[i]!, items.types);
  return out;
}

/** Builds an object from `k,v,k,v` (pairs) or `k=v` items (exploded). */
function toObject(text: string, separator: string, shape: ObjectShape, exploded: boolean, decode: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (text === '') return out;
  const parts = text.split(separator);
  if (exploded) {
    for (const part of parts) {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const raw = eq < 0 ? '' : part.slice(eq + 1);
      const name = decode ? percentDecode(key) : key;
      setOwn(out, name, memberValue(shape, name, decode ? percentDecode(raw) : raw));
    }
  } else {
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const name = decode ? percentDecode(parts[i]!) : parts[i]!;
      setOwn(out, name, memberValue(shape, name, decode ? percentDecode(parts[i + 1]!) : parts[i + 1]!));
    }
  }
  return out;
}

/** The value of text shaped by a delimiter: scalars take the whole text, arrays and objects split it. */
function fromText(text: string, shape: ValueShape, separator: string, explodedObject: boolean, decode: boolean): unknown {
  if (shape.kind === 'scalar') return coerceScalar(decode ? percentDecode(text) : text, shape.types);
  if (shape.kind === 'array') return toArray(text, separator, shape.items, decode);
  return toObject(text, separator, shape, explodedObject, decode);
}

function styleViolation(plan: ParameterPlan, violations: Violation[], expected: string): typeof ABSENT {
  violations.push({ pointer: plan.pointer, message: `must be serialised in ${plan.style} style (${expected})`, keyword: 'style' });
  return ABSENT;
}

/** simple, label and matrix styles of a raw (percent-encoded) path segment. */
function fromPath(plan: ParameterPlan, raw: string, violations: Violation[]): unknown {
  const shape = plan.shape;
  if (plan.style === 'simple') return fromText(raw, shape, ',', plan.explode, true);
  if (plan.style === 'label') {
    if (raw.charCodeAt(0) !== 46 /* . */) return styleViolation(plan, violations, 'starting with "."');
    return fromText(raw.slice(1), shape, plan.explode && shape.kind !== 'scalar' ? '.' : ',', plan.explode, true);
  }
  // matrix
  if (plan.explode && shape.kind === 'object') {
    if (raw.charCodeAt(0) !== 59 /* ; */) return styleViolation(plan, violations, 'starting with ";"');
    return toObject(raw.slice(1), ';', shape, true, true);
  }
  // `;name` alone is matrix style's empty value.
  if (raw.length === plan.matrixPrefix.length - 1 && plan.matrixPrefix.startsWith(raw)) return fromText('', shape, ',', false, true);
  if (!raw.startsWith(plan.matrixPrefix)) return styleViolation(plan, violations, `starting with "${plan.matrixPrefix}"`);
  if (plan.explode && shape.kind === 'array') {
    // ;id=3;id=4 : every item repeats the prefix.
    const parts = raw.slice(1).split(';');
    const out = new Array<unknown>(parts.length);
    const prefix = plan.matrixPrefix.slice(1);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (!part.startsWith(prefix)) return styleViolation(plan, violations, `every item starting with "${plan.matrixPrefix}"`);
      out[i] = coerceScalar(percentDecode(part.slice(prefix.length)), shape.items.types);
    }
    return out;
  }
  return fromText(raw.slice(plan.matrixPrefix.length), shape, ',', false, true);
}

/** form, spaceDelimited, pipeDelimited and deepObject styles (the query is already decoded). */
function fromQuery(plan: ParameterPlan, query: URLSearchParams, violations: Violation[]): unknown {
  const shape = plan.shape;
  if (plan.style === 'deepObject') return deepObject(plan, query, violations);
  if (plan.explode && shape.kind === 'object') {
    // form + explode spreads the members over the query itself: ?role=admin&name=Alex
    let found = false;
    const out: Record<string, unknown> = {};
    for (const [name, member] of shape.properties) {
      const values = query.getAll(name);
      if (values.length === 0) continue;
      found = true;
      setOwn(out, name, member.kind === 'array' ? toItems(values, member) : coerceScalar(values[0]!, member.types));
    }
    return found ? out : ABSENT;
  }
  const values = query.getAll(plan.name);
  if (values.length === 0) return ABSENT;
  if (plan.explode && shape.kind === 'array') return toItems(values, shape);
  if (values.length > 1) {
    violations.push({ pointer: plan.pointer, message: `must appear once (found ${values.length} values)`, keyword: 'duplicate' });
  }
  const text = values[0]!;
  if (plan.allowEmptyValue && text === '') return text;
  const separator = plan.style === 'spaceDelimited' ? ' ' : plan.style === 'pipeDelimited' ? '|' : ',';
  return fromText(text, shape, separator, false, false);
}

function toItems(values: string[], shape: ArrayShape): unknown[] {
  const out = new Array<unknown>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = coerceScalar(values[i]!, shape.items.types);
  return out;
}

/**
 * `name[member]=value` keys, nested to any depth (`name[a][0][b]`, `name[]` for the next array
 * item), guided by the parameter's shape; `name=value` alone is the whole value (a scalar the schema
 * allows beside the object, as `created=…` next to `created[gt]=…`).
 */
function deepObject(plan: ParameterPlan, query: URLSearchParams, violations: Violation[]): unknown {
  let out: Record<string, unknown> | undefined;
  const prefix = plan.deepPrefix;
  const name = plan.name;
  const shape = plan.nested!;
  for (const [key, value] of query) {
    if (key === name) {
      out ??= {};
      if (Object.prototype.hasOwnProperty.call(out, name)) {
        violations.push({ pointer: plan.pointer, message: 'is sent both as a value and as members', keyword: 'duplicate' });
      } else {
        setOwn(out, name, coerceScalar(value, shape.types));
      }
    } else if (key.startsWith(prefix)) {
      out ??= {};
      addDeepKey(out, key, name.length, shape, value, undefined, '/query', violations);
    }
  }
  return out === undefined || !Object.prototype.hasOwnProperty.call(out, name) ? ABSENT : out[name];
}

/** Parses a Cookie header into name -> value (first occurrence wins), once per request. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (name !== '' && !cookies.has(name)) cookies.set(name, pair.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * The value of one parameter in a request, typed per its shape, or ABSENT. Text that breaks the
 * style (a label value without its ".", JSON content that does not parse) adds a violation.
 */
export function decodeParameter(plan: ParameterPlan, sources: ParameterSources, violations: Violation[]): unknown {
  let text: string;
  switch (plan.group) {
    case 'path': {
      const raw = sources.pathParams[plan.name];
      // typeof, not `=== undefined`: a plain object answers `constructor` and friends from its prototype.
      if (typeof raw !== 'string') return ABSENT;
      if (plan.isJson) return parseJsonParameter(plan, percentDecode(raw), violations);
      return fromPath(plan, raw, violations);
    }
    case 'query': {
      if (!sources.query) return ABSENT;
      if (plan.isJson) {
        const value = sources.query.get(plan.name);
        return value === null ? ABSENT : parseJsonParameter(plan, value, violations);
      }
      return fromQuery(plan, sources.query, violations);
    }
    case 'headers': {
      const raw = sources.headers[plan.name];
      if (typeof raw !== 'string' && !Array.isArray(raw)) return ABSENT;
      text = Array.isArray(raw) ? raw.join(', ') : raw;
      if (plan.isJson) return parseJsonParameter(plan, text, violations);
      // node joins repeated headers with ", ", and senders may pad list items: items are trimmed.
      if (plan.shape.kind !== 'scalar' && text.indexOf(' ') >= 0) text = text.replace(/\s*,\s*/g, ',').trim();
      return fromText(text, plan.shape, ',', plan.explode, false);
    }
    case 'cookies': {
      const raw = sources.cookies?.get(plan.name);
      if (raw === undefined) return ABSENT;
      if (plan.isJson) return parseJsonParameter(plan, percentDecode(raw), violations);
      return fromText(raw, plan.shape, ',', false, true);
    }
  }
}

function parseJsonParameter(plan: ParameterPlan, text: string, violations: Violation[]): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    violations.push({ pointer: plan.pointer, message: `is not valid JSON: ${(error as Error).message}`, keyword: 'parse' });
    return ABSENT;
  }
}
