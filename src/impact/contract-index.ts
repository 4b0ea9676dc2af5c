/**
 * What impact analysis reads from the two contracts of a change: how a diff names an operation
 * (`GET /orders/{id}`) against how usage records name it (its operationId, else `METHOD template`),
 * which parameter a finding's pointer lands on, and which body JSON pointer a schema path means.
 * Built once per report from the parsed documents (self-contained: only local `$ref`s are followed).
 */
import { escapeToken, fromPointer, getAt } from '../contracts/json-pointer.js';
import { isObject, type JsonObject } from '../contracts/openapi-document.js';
import type { Finding, FindingLocation } from '../governance/findings.js';
import { show } from '../governance/diff/schema/node-emitter.js';

/** A parsed contract: the file name findings use, and its data. */
export interface IndexedDocument {
  readonly file: string;
  readonly data: JsonObject;
}

/** A request parameter as a fingerprint records it. */
export interface ParameterRef {
  readonly in: 'query' | 'header' | 'cookie' | 'path';
  readonly name: string;
}

/** The lookups a report needs; tests may hand-write one. */
export interface ContractIndex {
  /** The usage records' name of a diff operation (`GET /orders` -> `listOrders`), undefined when neither contract has it. */
  usageName(operation: string): string | undefined;
  /** The parameter a finding location points into (the parameter object itself or something inside it). */
  parameterAt(location: FindingLocation): ParameterRef | undefined;
  /**
   * The fingerprint body pointer of a diff property path (`lineItems/items/quantity`): a segment
   * `items` is an array step (`*` in the pointer) where the schema there is an array, else a
   * property named `items`.
   */
  bodyPointer(operation: string, path: string): string;
  /**
   * The enum values an `*-enum-value-removed` finding removes: the values of the base's `enum`
   * (at its base location) missing from the revision's (at its location), narrowed to the one its
   * message names. Undefined when the documents do not hold the two lists.
   */
  removedEnumValues(finding: Finding): unknown[] | undefined;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const MAX_REF_HOPS = 32;

/** Follows local `$ref`s (bounded) to the value they name. */
function deref(doc: IndexedDocument, value: unknown): unknown {
  let current = value;
  for (let hop = 0; hop < MAX_REF_HOPS && isObject(current) && typeof current.$ref === 'string'; hop++) {
    const ref = current.$ref;
    if (!ref.startsWith('#')) return undefined;
    current = getAt(doc.data, fromPointer(decodeURIComponent(ref.slice(1))));
  }
  return current;
}

function asParameter(doc: IndexedDocument, value: unknown): ParameterRef | undefined {
  const p = deref(doc, value);
  if (!isObject(p) || typeof p.name !== 'string') return undefined;
  if (p.in !== 'query' && p.in !== 'header' && p.in !== 'cookie' && p.in !== 'path') return undefined;
  return { in: p.in, name: p.in === 'header' ? p.name.toLowerCase() : p.name };
}

/** The JSON request body schema of an operation (the first JSON-like media type). */
function requestBodySchema(doc: IndexedDocument, operation: string): unknown {
  const space = operation.indexOf(' ');
  const method = operation.slice(0, space).toLowerCase();
  const template = operation.slice(space + 1);
  const paths = doc.data.paths;
  if (!isObject(paths)) return undefined;
  const item = deref(doc, paths[template]);
  if (!isObject(item)) return undefined;
  const op = item[method];
  if (!isObject(op)) return undefined;
  const body = deref(doc, op.requestBody);
  if (!isObject(body) || !isObject(body.content)) return undefined;
  const content = body.content;
  const type = Object.keys(content).find((t) => /[/+]json\b/i.test(t)) ?? Object.keys(content)[0];
  const media = type !== undefined ? content[type] : undefined;
  return isObject(media) ? media.schema : undefined;
}

/** The schemas a value may be (itself and the members of its compositions), dereferenced. */
function alternatives(doc: IndexedDocument, schema: unknown): JsonObject[] {
  const out: JsonObject[] = [];
  const stack = [schema];
  for (let guard = 0; stack.length > 0 && guard < 256; guard++) {
    const s = deref(doc, stack.pop());
    if (!isObject(s)) continue;
    out.push(s);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const members = s[key];
      if (Array.isArray(members)) stack.push(...members);
    }
  }
  return out;
}

function isArraySchema(s: JsonObject): boolean {
  return s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array')) || (s.items !== undefined && s.properties === undefined);
}

/**
 * Walks a diff property path through a body schema. Returns undefined when the path leaves the
 * schema (the other document may know it).
 */
function walkBodyPath(doc: IndexedDocument, root: unknown, segments: readonly string[]): string | undefined {
  let here = alternatives(doc, root);
  const out: string[] = [];
  for (const segment of segments) {
    if (here.length === 0) return undefined;
    const withProperty = here.map((s) => (isObject(s.properties) ? s.properties[segment] : undefined)).filter((v) => v !== undefined);
    const arrays = here.filter(isArraySchema);
    if (segment === 'items' && arrays.length > 0) {
      out.push('*');
      here = arrays.flatMap((s) => alternatives(doc, s.items));
    } else if (withProperty.length > 0) {
      out.push(escapeToken(segment));
      here = withProperty.flatMap((v) => alternatives(doc, v));
    } else return undefined;
  }
  return out.map((t) => `/${t}`).join('');
}

/** Builds the index of a change from its base and (when known) its revision. */
export function buildContractIndex(base: IndexedDocument, revision?: IndexedDocument): ContractIndex {
  const docs = revision ? [base, revision] : [base];
  const names = new Map<string, string>();
  // The base wins: usage was recorded against the contracts being served, not the proposal.
  for (const doc of [...docs].reverse()) {
    const paths = doc.data.paths;
    if (!isObject(paths)) continue;
    for (const [template, raw] of Object.entries(paths)) {
      const item = deref(doc, raw);
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const key = `${method.toUpperCase()} ${template}`;
        names.set(key, typeof op.operationId === 'string' && op.operationId !== '' ? op.operationId : key);
      }
    }
  }
  return {
    usageName: (operation) => names.get(operation),
    parameterAt(location) {
      const doc = docs.find((d) => d.file === location.file);
      if (!doc) return undefined;
      const segments = fromPointer(location.pointer);
      for (let n = segments.length; n >= 0; n--) {
        const found = asParameter(doc, getAt(doc.data, segments.slice(0, n)));
        if (found) return found;
      }
      return undefined;
    },
    removedEnumValues(finding) {
      const list = (location: FindingLocation | undefined): unknown[] | undefined => {
        const doc = location && docs.find((d) => d.file === location.file);
        const value = doc ? getAt(doc.data, fromPointer(location!.pointer)) : undefined;
        return Array.isArray(value) ? value : undefined;
      };
      const before = list(finding.baseLocation);
      const after = list(finding.location);
      if (!before || !after) return undefined;
      const kept = new Set(after.map((v) => JSON.stringify(v)));
      const removed = before.filter((v) => !kept.has(JSON.stringify(v)));
      // One finding per removed value: its message names it (`enum value 'x' removed`).
      const named = removed.filter((v) => finding.message.includes(`enum value ${show(v)} removed`));
      return named.length > 0 ? named : removed;
    },
    bodyPointer(operation, path) {
      const segments = path === '' ? [] : path.split('/');
      for (const doc of docs) {
        const pointer = walkBodyPath(doc, requestBodySchema(doc, operation), segments);
        if (pointer !== undefined) return pointer;
      }
      // Neither contract knows the path: read every segment as a property name.
      return segments.map((s) => `/${escapeToken(s)}`).join('');
    },
  };
}
