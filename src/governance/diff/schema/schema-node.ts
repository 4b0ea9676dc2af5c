/** A schema node after following `$ref`s: its keywords, where it lives, and how it names the types it allows. */
import { dirname, relative } from 'node:path';
import { escapeToken } from '../../../contracts/json-pointer.js';
import { isObject, type JsonObject, type OpenApiDocument } from '../../../contracts/openapi-document.js';

/** Where a value lives in a document set. */
export interface NodeLocation {
  file: string;
  pointer: string;
}

/** A resolved schema. */
export interface SchemaNode extends NodeLocation {
  /** The keywords (a boolean schema reads as `{}` or `{ not: {} }`). */
  value: JsonObject;
  /** Identity of the resolved location: the memo and cycle key. */
  key: string;
  /** When reached through a `$ref`: its target, relative to the root document's folder (for matching across versions). */
  ref?: string;
  /** Keywords written beside a 3.1 `$ref`, and where they were written (they win over the target's). */
  siblings?: { keys: ReadonlySet<string>; at: NodeLocation };
  /**
   * For a node built by normalisation (allOf merged, enums joined): where each keyword came from,
   * by keyword (`type`) or by property (`properties/name`), so changes point at what was written.
   */
  origins?: ReadonlyMap<string, NodeLocation>;
  version: '3.0' | '3.1';
}

/** Keywords that document a schema without constraining values. */
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'summary',
  'example',
  'examples',
  'externalDocs',
  '$comment',
  'xml',
]);

function logicalRef(doc: OpenApiDocument, at: NodeLocation): string {
  const file = at.file === doc.file ? '' : relative(dirname(doc.file), at.file);
  return `${file}#${at.pointer}`;
}

function asKeywords(value: unknown): JsonObject {
  if (value === false) return { not: {} };
  return isObject(value) ? value : {};
}

/** Follows `$ref`s from a schema value found at a location. */
export function resolveNode(doc: OpenApiDocument, value: unknown, file: string, pointer: string): SchemaNode {
  const version = doc.majorMinor;
  if (!isObject(value) || typeof value.$ref !== 'string') {
    return { value: asKeywords(value), file, pointer, key: `${file}#${pointer}`, version };
  }
  const target = doc.deref(value, file, pointer);
  const ref = logicalRef(doc, target);
  const node: SchemaNode = { value: asKeywords(target.value), file: target.file, pointer: target.pointer, key: `${target.file}#${target.pointer}`, ref, version };
  if (version === '3.0') return node;
  // OpenAPI 3.1: keywords beside a $ref apply too; annotations beside it change nothing checked.
  const keys = Object.keys(value).filter((k) => k !== '$ref' && !ANNOTATION_KEYWORDS.has(k));
  if (keys.length === 0) return node;
  const merged: JsonObject = { ...node.value };
  for (const k of keys) merged[k] = value[k];
  return { ...node, value: merged, key: `${node.key}&${file}#${pointer}`, siblings: { keys: new Set(keys), at: { file, pointer } } };
}

/** Where a keyword of a node is written (beside the `$ref` or in its target). */
export function keywordLocation(node: SchemaNode, ...tokens: Array<string | number>): NodeLocation {
  const first = tokens[0];
  if (node.origins && first !== undefined) {
    const origin = (first === 'properties' && tokens.length > 1 ? node.origins.get(`properties/${String(tokens[1])}`) : undefined) ?? node.origins.get(String(first));
    if (origin) return { file: origin.file, pointer: origin.pointer + tokens.map((t) => `/${escapeToken(t)}`).join('') };
  }
  const at = node.siblings && first !== undefined && node.siblings.keys.has(String(first)) ? node.siblings.at : node;
  return { file: at.file, pointer: at.pointer + tokens.map((t) => `/${escapeToken(t)}`).join('') };
}

/** Where a keyword's change is best shown: the keyword when the node has it, else the node. */
export function changeLocation(node: SchemaNode, keyword: string): NodeLocation {
  return node.value[keyword] === undefined ? { file: node.file, pointer: node.pointer } : keywordLocation(node, keyword);
}

/** Resolves the sub-schema at a path of keywords below a node, or undefined when absent. */
export function childNode(doc: OpenApiDocument, node: SchemaNode, ...tokens: Array<string | number>): SchemaNode | undefined {
  let value: unknown = node.value;
  for (const token of tokens) {
    if (Array.isArray(value)) value = value[Number(token)];
    else if (isObject(value)) value = Object.prototype.hasOwnProperty.call(value, token) ? value[token] : undefined;
    else return undefined;
    if (value === undefined) return undefined;
  }
  const at = keywordLocation(node, ...tokens);
  return resolveNode(doc, value, at.file, at.pointer);
}

/** The `type` keyword as a list (undefined when the schema does not constrain the type). */
export function typeList(node: SchemaNode): string[] | undefined {
  const type = node.value.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return [...new Set(type.filter((t): t is string => typeof t === 'string'))];
  return undefined;
}

/** The types a node allows besides null (empty: any type). */
export function valueTypes(node: SchemaNode): string[] {
  return (typeList(node) ?? []).filter((t) => t !== 'null');
}

/** True when the node accepts null by `nullable: true` (3.0) or a `"null"` type (3.1). */
export function acceptsNull(node: SchemaNode): boolean {
  return node.value.nullable === true || (typeList(node)?.includes('null') ?? false);
}

/** Names a `$ref` target for messages and paths: its last pointer token. */
export function refName(node: SchemaNode): string | undefined {
  if (!node.ref) return undefined;
  const tail = node.ref.slice(node.ref.lastIndexOf('/') + 1);
  return tail.replace(/~1/g, '/').replace(/~0/g, '~') || node.ref;
}

/** True when the node only documents (no keyword constrains values). */
export function isAnnotationOnly(node: SchemaNode): boolean {
  for (const key of Object.keys(node.value)) {
    if (ANNOTATION_KEYWORDS.has(key) || key === 'default' || key === 'deprecated' || key.startsWith('x-')) continue;
    return false;
  }
  return true;
}

/** The object's property names, in document order. */
export function propertyNames(node: SchemaNode): string[] {
  const props = node.value.properties;
  return isObject(props) ? Object.keys(props) : [];
}

/** The `required` list. */
export function requiredNames(node: SchemaNode): Set<string> {
  const req = node.value.required;
  return new Set(Array.isArray(req) ? req.filter((r): r is string => typeof r === 'string') : []);
}
