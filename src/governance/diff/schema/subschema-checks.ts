/**
 * Compares the sub-schema keywords of a node pair: items, additionalProperties, allOf/anyOf/oneOf,
 * not, prefixItems, contains, if/then/else, patternProperties, dependentSchemas, propertyNames,
 * unevaluated*, contentSchema. Present on both sides: compared in turn; on one side: reported.
 */
import { isObject } from '../../../contracts/openapi-document.js';
import { matchMembers, memberName, type Member } from './member-matching.js';
import type { NodeEmitter } from './node-emitter.js';
import { changeLocation, childNode, isAnnotationOnly, valueTypes, type NodeLocation, type SchemaNode } from './schema-node.js';
import type { Walk } from './walk.js';

/** How a keyword that may hold a boolean or a schema restricts values. */
type Restriction = { kind: 'any' } | { kind: 'none' } | { kind: 'schema'; node: SchemaNode };

function restriction(em: NodeEmitter, side: 'base' | 'revision', keyword: string): Restriction {
  const node = side === 'base' ? em.base : em.revision;
  const raw = node.value[keyword];
  if (raw === undefined || raw === true) return { kind: 'any' };
  if (raw === false) return { kind: 'none' };
  const child = childNode(side === 'base' ? em.baseDoc : em.revisionDoc, node, keyword);
  if (!child || isAnnotationOnly(child)) return { kind: 'any' };
  return { kind: 'schema', node: child };
}

const SINGLE: ReadonlyArray<{ keyword: string; family: string; applies?: 'array' | 'object' }> = [
  { keyword: 'items', family: 'items', applies: 'array' },
  { keyword: 'additionalProperties', family: 'additional-properties', applies: 'object' },
  { keyword: 'contains', family: 'contains', applies: 'array' },
  { keyword: 'propertyNames', family: 'property-names', applies: 'object' },
  { keyword: 'unevaluatedItems', family: 'unevaluated-items', applies: 'array' },
  { keyword: 'unevaluatedProperties', family: 'unevaluated-properties', applies: 'object' },
  { keyword: 'if', family: 'if' },
  { keyword: 'then', family: 'then' },
  { keyword: 'else', family: 'else' },
  { keyword: 'contentSchema', family: 'content-schema' },
];

/** False when the node's types rule out the values a keyword constrains. */
function canBe(node: SchemaNode, type: 'array' | 'object' | undefined): boolean {
  if (!type) return true;
  const types = valueTypes(node);
  return types.length === 0 || types.includes(type);
}

function where(em: NodeEmitter, keyword: string): { base: NodeLocation; revision: NodeLocation } {
  return { base: changeLocation(em.base, keyword), revision: changeLocation(em.revision, keyword) };
}

/** Keywords holding one sub-schema (or a boolean): added, removed, or compared. */
function checkSingle(em: NodeEmitter, walk: Walk): void {
  for (const { keyword, family, applies } of SINGLE) {
    const b = restriction(em, 'base', keyword);
    const r = restriction(em, 'revision', keyword);
    if (b.kind === 'schema' && r.kind === 'schema') {
      walk.descend(em, b.node, r.node, keyword);
      continue;
    }
    // `items` appearing with `type: array` where the type was a string is part of the type change.
    if (b.kind === r.kind || canBe(em.base, applies) !== canBe(em.revision, applies)) continue;
    // any < schema < none: moving right restricts values, moving left frees them.
    const rank = { any: 0, schema: 1, none: 2 };
    const restricted = rank[r.kind] > rank[b.kind];
    const state = (x: Restriction): string => (x.kind === 'any' ? 'absent' : x.kind === 'none' ? 'false' : 'a schema');
    em.node(`${family}-${restricted ? 'added' : 'removed'}`, {
      text: (s) => `${s} ${keyword} changed from ${state(b)} to ${state(r)}`,
      ...where(em, keyword),
    });
  }
}

/** `not`: a change inside a negation turns its meaning around, so it is reported as one change. */
function checkNot(em: NodeEmitter, walk: Walk): void {
  const b = childNode(em.baseDoc, em.base, 'not');
  const r = childNode(em.revisionDoc, em.revision, 'not');
  if (!b && !r) return;
  if (!b) em.node('not-added', { text: (s) => `${s} not constraint added`, ...where(em, 'not') });
  else if (!r) em.node('not-removed', { text: (s) => `${s} not constraint removed`, ...where(em, 'not') });
  else if (!walk.equivalent(b, r)) em.node('not-changed', { text: (s) => `${s} not constraint changed`, ...where(em, 'not') });
}

function entries(em: NodeEmitter, side: 'base' | 'revision', keyword: string): string[] {
  const v = (side === 'base' ? em.base : em.revision).value[keyword];
  return isObject(v) ? Object.keys(v) : [];
}

/** Keywords mapping names to sub-schemas: entries added and removed one by one, the rest compared. */
function checkKeyed(em: NodeEmitter, walk: Walk): void {
  for (const [keyword, family] of [
    ['patternProperties', 'pattern-property'],
    ['dependentSchemas', 'dependent-schema'],
  ] as const) {
    const before = entries(em, 'base', keyword);
    const after = entries(em, 'revision', keyword);
    for (const key of after) {
      if (!before.includes(key)) em.node(`${family}-added`, { text: (s) => `${s} ${keyword} entry '${key}' added`, ...where(em, keyword) });
    }
    for (const key of before) {
      if (!after.includes(key)) {
        em.node(`${family}-removed`, { text: (s) => `${s} ${keyword} entry '${key}' removed`, ...where(em, keyword) });
        continue;
      }
      const b = childNode(em.baseDoc, em.base, keyword, key);
      const r = childNode(em.revisionDoc, em.revision, keyword, key);
      if (b && r) walk.descend(em, b, r, `${keyword}[${key}]`);
    }
  }
}

function list(em: NodeEmitter, side: 'base' | 'revision', keyword: string): SchemaNode[] {
  const node = side === 'base' ? em.base : em.revision;
  const doc = side === 'base' ? em.baseDoc : em.revisionDoc;
  const raw = node.value[keyword];
  if (!Array.isArray(raw)) return [];
  const out: SchemaNode[] = [];
  for (let i = 0; i < raw.length; i++) {
    const child = childNode(doc, node, keyword, i);
    if (child) out.push(child);
  }
  return out;
}

/** `prefixItems`: positions compared in order; positions added or removed at the end. */
function checkPrefixItems(em: NodeEmitter, walk: Walk): void {
  const before = list(em, 'base', 'prefixItems');
  const after = list(em, 'revision', 'prefixItems');
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) walk.descend(em, before[i], after[i], `prefixItems[${i}]`);
  if (after.length > common) em.node('prefix-items-added', { text: (s) => `${s} prefixItems grew from ${before.length} to ${after.length} entries`, ...where(em, 'prefixItems') });
  if (before.length > common) em.node('prefix-items-removed', { text: (s) => `${s} prefixItems shrank from ${before.length} to ${after.length} entries`, ...where(em, 'prefixItems') });
}

function names(members: readonly Member[]): string {
  return members.map(memberName).join(', ');
}

/**
 * allOf/anyOf/oneOf: members matched across versions and compared; the rest reported as added or
 * removed (one change per keyword and direction). `typesClaimed` is set when a list-of-types
 * change already explains anyOf/oneOf members coming and going.
 */
function checkComposition(em: NodeEmitter, walk: Walk, typesClaimed: boolean): void {
  for (const [keyword, family] of [
    ['allOf', 'all-of'],
    ['anyOf', 'any-of'],
    ['oneOf', 'one-of'],
  ] as const) {
    const before = list(em, 'base', keyword);
    const after = list(em, 'revision', keyword);
    if (before.length === 0 && after.length === 0) continue;
    const discriminator = em.revision.value.discriminator;
    const tag = isObject(discriminator) && typeof discriminator.propertyName === 'string' ? discriminator.propertyName : undefined;
    const match = matchMembers(before, after, (b, r) => walk.equivalent(b, r), tag);
    for (const pair of match.pairs) walk.descend(em, pair.base.node, pair.revision.node, `${keyword}[${memberName(pair.revision)}]`);
    if (typesClaimed && keyword !== 'allOf') continue;
    const located = (m: readonly Member[], side: 'base' | 'revision'): { base?: NodeLocation; revision?: NodeLocation } => {
      const at = m[0] ? { file: m[0].node.file, pointer: m[0].node.pointer } : undefined;
      const member = changeLocation(side === 'base' ? em.base : em.revision, keyword);
      return side === 'base' ? { base: at ?? member, revision: changeLocation(em.revision, keyword) } : { base: changeLocation(em.base, keyword), revision: at ?? member };
    };
    const report = (members: Member[], change: 'added' | 'removed'): void => {
      if (members.length === 0) return;
      const side = change === 'added' ? 'revision' : 'base';
      if (keyword === 'allOf') {
        const annotations = members.filter((m) => isAnnotationOnly(m.node));
        const constraints = members.filter((m) => !isAnnotationOnly(m.node));
        if (constraints.length > 0) em.node(`all-of-${change}`, { text: (s) => `${s} allOf members ${change}: ${names(constraints)}`, ...located(constraints, side) });
        if (annotations.length > 0) em.node(`all-of-${change}-annotation-only`, { text: (s) => `${s} annotation-only allOf members ${change}: ${names(annotations)}`, ...located(annotations, side) });
        return;
      }
      em.node(`${family}-${change}`, { text: (s) => `${s} ${keyword} members ${change}: ${names(members)}`, ...located(members, side) });
    };
    report(match.added, 'added');
    report(match.removed, 'removed');
  }
}

/** Every sub-schema keyword of the node pair. */
export function checkSubschemas(em: NodeEmitter, walk: Walk, typesClaimed: boolean): void {
  checkSingle(em, walk);
  checkNot(em, walk);
  checkKeyed(em, walk);
  checkPrefixItems(em, walk);
  checkComposition(em, walk, typesClaimed);
}
