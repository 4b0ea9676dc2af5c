/**
 * Recognises edits that read as many raw keyword changes but are one change: a schema made nullable
 * by wrapping it in `oneOf: [{type: 'null'}, X]`, an object wrapped in a oneOf of alternatives, and a
 * single type turned into a oneOf/anyOf list of types (or back).
 */
import type { OpenApiDocument } from '../../../contracts/openapi-document.js';
import { acceptsNull, childNode, isAnnotationOnly, propertyNames, typeList, valueTypes, type SchemaNode } from './schema-node.js';

/** Tells whether two nodes constrain values the same way. */
export type Equivalence = (base: SchemaNode, revision: SchemaNode) => boolean;

function members(doc: OpenApiDocument, node: SchemaNode, keyword: 'oneOf' | 'anyOf' | 'allOf'): SchemaNode[] {
  const list = node.value[keyword];
  if (!Array.isArray(list)) return [];
  const out: SchemaNode[] = [];
  for (let i = 0; i < list.length; i++) {
    const member = childNode(doc, node, keyword, i);
    if (member) out.push(member);
  }
  return out;
}

function hasComposition(node: SchemaNode): boolean {
  const v = node.value;
  return (Array.isArray(v.oneOf) && v.oneOf.length > 0) || (Array.isArray(v.anyOf) && v.anyOf.length > 0) || (Array.isArray(v.allOf) && v.allOf.length > 0) || v.not !== undefined;
}

function withoutKeys(node: SchemaNode, ...keys: string[]): SchemaNode {
  const value = { ...node.value };
  for (const k of keys) delete value[k];
  return { ...node, value };
}

function isBareNull(node: SchemaNode): boolean {
  const types = typeList(node);
  return types !== undefined && types.length === 1 && types[0] === 'null' && isAnnotationOnly(withoutKeys(node, 'type'));
}

/**
 * When `wrapped` is `plain` made nullable, `oneOf: [{type: 'null'}, X]` with nothing else
 * constraining beside the oneOf and `plain` not already accepting null: the branch X, to be compared
 * with `plain` (the wrap is the nullability change, X against `plain` the rest).
 */
export function nullableWrapPayload(plain: SchemaNode, wrappedDoc: OpenApiDocument, wrapped: SchemaNode): SchemaNode | undefined {
  if (hasComposition(plain) || acceptsNull(plain)) return undefined;
  const list = wrapped.value.oneOf;
  if (!Array.isArray(list) || list.length !== 2 || !isAnnotationOnly(withoutKeys(wrapped, 'oneOf'))) return undefined;
  const branches = members(wrappedDoc, wrapped, 'oneOf');
  const nulls = branches.filter(isBareNull);
  const payload = branches.find((b) => !isBareNull(b));
  return nulls.length === 1 ? payload : undefined;
}

/** A copy of a node without its type and nullability (for comparing everything else). */
export function withoutType(node: SchemaNode): SchemaNode {
  return { ...withoutKeys(node, 'type', 'nullable'), key: `${node.key}\u0000untyped` };
}

/** An object whose properties moved into the alternatives of a oneOf. */
export interface OneOfWrapping {
  alternatives: number;
  moved: ReadonlySet<string>;
}

/** Recognises a concrete object (properties, no oneOf) becoming a oneOf of alternatives holding its properties. */
export function oneOfWrapping(base: SchemaNode, revisionDoc: OpenApiDocument, revision: SchemaNode): OneOfWrapping | undefined {
  const baseProps = propertyNames(base);
  if (baseProps.length === 0 || Array.isArray(base.value.oneOf)) return undefined;
  const list = revision.value.oneOf;
  if (!Array.isArray(list) || list.length === 0 || propertyNames(revision).length > 0 || typeList(revision) !== undefined) return undefined;
  const alternatives = members(revisionDoc, revision, 'oneOf');
  const moved = new Set(baseProps.filter((name) => alternatives.some((alt) => propertyNames(alt).includes(name))));
  return moved.size === 0 ? undefined : { alternatives: alternatives.length, moved };
}

interface TypePattern {
  types: string[];
  list: boolean;
}

function isSimpleType(node: SchemaNode): boolean {
  const types = typeList(node);
  return types !== undefined && types.length === 1 && propertyNames(node).length === 0 && !hasComposition(node);
}

function typePattern(doc: OpenApiDocument, node: SchemaNode): TypePattern | undefined {
  if (node.value.not !== undefined || (Array.isArray(node.value.allOf) && node.value.allOf.length > 0) || propertyNames(node).length > 0) return undefined;
  const declared = typeList(node);
  if (declared && declared.length > 0) {
    const types = valueTypes(node);
    return { types: types.length > 0 ? types : declared, list: false };
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const list = members(doc, node, keyword);
    if (list.length > 0 && list.every(isSimpleType)) return { types: [...new Set(list.map((m) => (typeList(m) ?? [])[0]))], list: true };
  }
  return undefined;
}

/** Types added to and removed from a "list of types" (a oneOf/anyOf of single-type schemas). */
export interface ListOfTypesChange {
  added: string[];
  deleted: string[];
}

/** Recognises a single type becoming a list of types, a list becoming a single type, or a list changing. */
export function listOfTypesChange(baseDoc: OpenApiDocument, base: SchemaNode, revisionDoc: OpenApiDocument, revision: SchemaNode): ListOfTypesChange | undefined {
  const b = typePattern(baseDoc, base);
  const r = typePattern(revisionDoc, revision);
  if (!b || !r || (!b.list && !r.list)) return undefined;
  const added = r.types.filter((t) => !b.types.includes(t));
  const deleted = b.types.filter((t) => !r.types.includes(t));
  return added.length === 0 && deleted.length === 0 ? undefined : { added, deleted };
}
