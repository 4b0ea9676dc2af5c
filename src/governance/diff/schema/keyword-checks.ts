/** Compares the value keywords of one node pair: type, nullability, enum, const, default, pattern, bounds and the like. */
import { isObject } from '../../../contracts/openapi-document.js';
import { show, type NodeEmitter } from './node-emitter.js';
import { acceptsNull, changeLocation, childNode, typeList, valueTypes, type NodeLocation, type SchemaNode } from './schema-node.js';
import { classifyTypeChange, describeTypeFormat, type TypeFormat, type TypeSite } from './type-change.js';

/** JSON with sorted keys, so equal values compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function has(node: SchemaNode, keyword: string): boolean {
  return node.value[keyword] !== undefined;
}

function locs(em: NodeEmitter, keyword: string): { base: NodeLocation; revision: NodeLocation } {
  return { base: changeLocation(em.base, keyword), revision: changeLocation(em.revision, keyword) };
}

function typeFormat(node: SchemaNode): TypeFormat {
  const declared = typeList(node);
  const types = declared && declared.length === 1 && declared[0] === 'null' ? ['null'] : valueTypes(node);
  const format = typeof node.value.format === 'string' ? node.value.format : '';
  return { types: [...types].sort(), format };
}

function typeSite(em: NodeEmitter): TypeSite {
  switch (em.settings.context) {
    case 'request-body':
      return 'body';
    case 'request-parameter':
    case 'request-header':
      return em.root ? 'parameter' : 'parameter-property';
    case 'response-body':
      return 'response';
    case 'response-header':
      return 'response-header';
  }
}

function itemTypeFormat(em: NodeEmitter, side: 'base' | 'revision'): TypeFormat | undefined {
  const node = side === 'base' ? em.base : em.revision;
  const items = childNode(side === 'base' ? em.baseDoc : em.revisionDoc, node, 'items');
  return items ? typeFormat(items) : undefined;
}

/**
 * A scalar parameter turned into an array whose items accept the old values: with form/explode
 * serialisation `?id=1` is still a valid one-element array, so existing clients keep working.
 */
function isScalarToExplodedArray(em: NodeEmitter, b: TypeFormat, r: TypeFormat, equivalentUntyped: (base: SchemaNode, items: SchemaNode) => boolean): boolean {
  const traits = em.settings.parameter?.revision ?? { in: 'query', required: false, style: 'form', explode: true };
  if (traits.style !== 'form' || !traits.explode) return false;
  const added = r.types.filter((t) => !b.types.includes(t) && t !== 'null');
  if (added.length !== 1 || added[0] !== 'array' || b.types.length === 0) return false;
  const items = childNode(em.revisionDoc, em.revision, 'items');
  if (!items) return false;
  const itemTypes = valueTypes(items);
  const contained = (itemTypes.length === 1 && b.types.length === 1 && (itemTypes[0] === b.types[0] || (b.types[0] === 'integer' && itemTypes[0] === 'number'))) || itemTypes.length === 0 || (itemTypes.length === 1 && itemTypes[0] === 'string');
  return contained && equivalentUntyped(em.base, items);
}

/** Type and format, unless a list-of-types transition already explains the change. */
export function checkType(em: NodeEmitter, equivalentUntyped: (base: SchemaNode, items: SchemaNode) => boolean): void {
  const b = typeFormat(em.base);
  const r = typeFormat(em.revision);
  let verdict = classifyTypeChange(b, r, typeSite(em), em.settings.stronglyTyped);
  if (!verdict) return;
  if (verdict === 'changed' && typeSite(em) === 'parameter' && isScalarToExplodedArray(em, b, r, equivalentUntyped)) verdict = 'generalized';
  const typeChanged = canonical(b.types) !== canonical(r.types);
  const dimension = typeChanged && b.format !== r.format ? 'type/format' : typeChanged ? 'type' : 'format';
  const from = dimension === 'format' ? b.format || 'none' : describeTypeFormat(b, false, itemTypeFormat(em, 'base'));
  const to = dimension === 'format' ? r.format || 'none' : describeTypeFormat(r, false, itemTypeFormat(em, 'revision'));
  const word = verdict === 'generalized' ? 'widened' : verdict === 'specialized' ? 'narrowed' : 'changed';
  const note = verdict === 'compatible' ? ' (compatible: the media type is not strongly typed)' : '';
  em.node(`type-${verdict}`, {
    text: (s) => `${s} ${dimension} ${word} from '${from}' to '${to}'${note}`,
    ...locs(em, typeChanged ? 'type' : 'format'),
  });
}

/** `nullable: true` (3.0) or a `"null"` type (3.1) appearing or disappearing. */
export function checkNullable(em: NodeEmitter): void {
  const before = acceptsNull(em.base);
  const after = acceptsNull(em.revision);
  if (before === after) return;
  const byKeyword = has(em.base, 'nullable') || has(em.revision, 'nullable');
  // A "null" type added beside no type at all is a type change, not a nullability change.
  if (!byKeyword && (typeList(em.base) === undefined || typeList(em.revision) === undefined)) return;
  const keyword = byKeyword ? 'nullable' : 'type';
  em.node(after ? 'became-nullable' : 'became-not-nullable', {
    text: (s) => `${s} became ${after ? 'nullable' : 'not nullable'}`,
    ...locs(em, keyword),
  });
}

function enumValues(node: SchemaNode, keyword: string): unknown[] | undefined {
  const list = node.value[keyword];
  return Array.isArray(list) ? list : undefined;
}

/** Enum restriction added or dropped, and values added or removed one by one. */
export function checkEnum(em: NodeEmitter): void {
  const before = enumValues(em.base, 'enum');
  const after = enumValues(em.revision, 'enum');
  if (!before && !after) return;
  const where = locs(em, 'enum');
  if (!before && after) {
    em.node('became-enum', { text: (s) => `${s} was restricted to the enum values ${after.map(show).join(', ')}`, ...where });
    return;
  }
  if (before && !after) {
    em.node('enum-removed', { text: (s) => `${s} is no longer restricted to the enum values ${before.map(show).join(', ')}`, ...where });
    return;
  }
  const b = new Set((before ?? []).map(canonical));
  const r = new Set((after ?? []).map(canonical));
  for (const value of before ?? []) {
    if (!r.has(canonical(value))) em.node('enum-value-removed', { text: (s) => `${s} enum value ${show(value)} removed`, ...where });
  }
  for (const value of after ?? []) {
    if (!b.has(canonical(value))) em.node('enum-value-added', { text: (s) => `${s} enum value ${show(value)} added`, ...where });
  }
}

/** Values removed from `x-extensible-enum`. */
export function checkExtensibleEnum(em: NodeEmitter): void {
  const before = enumValues(em.base, 'x-extensible-enum');
  const after = enumValues(em.revision, 'x-extensible-enum');
  if (!before || !after) return;
  const r = new Set(after.map(canonical));
  for (const value of before) {
    if (r.has(canonical(value))) continue;
    em.node('x-extensible-enum-value-removed', { text: (s) => `${s} x-extensible-enum value ${show(value)} removed`, ...locs(em, 'x-extensible-enum') });
  }
}

/** `const` set, removed or changed. */
export function checkConst(em: NodeEmitter): void {
  const b = has(em.base, 'const');
  const r = has(em.revision, 'const');
  const from = em.base.value.const;
  const to = em.revision.value.const;
  const where = locs(em, 'const');
  if (!b && r) em.node('const-added', { text: (s) => `${s} const value set to ${show(to)}`, ...where });
  else if (b && !r) em.node('const-removed', { text: (s) => `${s} const value ${show(from)} removed`, ...where });
  else if (b && r && canonical(from) !== canonical(to)) em.node('const-changed', { text: (s) => `${s} const value changed from ${show(from)} to ${show(to)}`, ...where });
}

/** `default` added, removed or changed (for a parameter, only an optional one: a required one never uses it). */
export function checkDefault(em: NodeEmitter): void {
  const traits = em.settings.parameter;
  if (em.root && traits && (traits.base.required || traits.revision.required)) return;
  const b = has(em.base, 'default');
  const r = has(em.revision, 'default');
  const from = em.base.value.default;
  const to = em.revision.value.default;
  const where = locs(em, 'default');
  if (!b && r) em.node('default-value-added', { text: (s) => `${s} default value ${show(to)} added`, ...where });
  else if (b && !r) em.node('default-value-removed', { text: (s) => `${s} default value ${show(from)} removed`, ...where });
  else if (b && r && canonical(from) !== canonical(to)) em.node('default-value-changed', { text: (s) => `${s} default value changed from ${show(from)} to ${show(to)}`, ...where });
}

/** `pattern` added, removed, changed, or widened to `.*`. */
export function checkPattern(em: NodeEmitter): void {
  const from = typeof em.base.value.pattern === 'string' ? em.base.value.pattern : '';
  const to = typeof em.revision.value.pattern === 'string' ? em.revision.value.pattern : '';
  if (from === to) return;
  const where = locs(em, 'pattern');
  if (from === '') em.node('pattern-added', { text: (s) => `${s} pattern '${to}' added`, ...where });
  else if (to === '') em.node('pattern-removed', { text: (s) => `${s} pattern '${from}' removed`, ...where });
  else if (to === '.*' && em.settings.direction === 'request') em.node('pattern-generalized', { text: (s) => `${s} pattern widened from '${from}' to '.*'`, ...where });
  else em.node('pattern-changed', { text: (s) => `${s} pattern changed from '${from}' to '${to}'`, ...where });
}

function numberAt(node: SchemaNode, keyword: string): number | undefined {
  const v = node.value[keyword];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface Bound {
  family: string;
  keyword: string;
  upper: boolean;
  /** The value an absent keyword means (0 for minLength: absent and 0 are the same constraint). */
  absent?: (node: SchemaNode) => number | undefined;
}

const BOUNDS: readonly Bound[] = [
  { family: 'max', keyword: 'maximum', upper: true },
  { family: 'exclusive-max', keyword: 'exclusiveMaximum', upper: true },
  { family: 'max-length', keyword: 'maxLength', upper: true },
  { family: 'max-items', keyword: 'maxItems', upper: true },
  { family: 'max-properties', keyword: 'maxProperties', upper: true },
  { family: 'max-contains', keyword: 'maxContains', upper: true },
  { family: 'min', keyword: 'minimum', upper: false },
  { family: 'exclusive-min', keyword: 'exclusiveMinimum', upper: false },
  { family: 'min-length', keyword: 'minLength', upper: false, absent: () => 0 },
  { family: 'min-items', keyword: 'minItems', upper: false, absent: () => 0 },
  { family: 'min-properties', keyword: 'minProperties', upper: false, absent: () => 0 },
  { family: 'min-contains', keyword: 'minContains', upper: false, absent: (n) => (n.value.contains !== undefined ? 1 : undefined) },
];

/** 3.0's boolean `exclusiveMaximum`/`exclusiveMinimum`: the bound beside it turning exclusive or inclusive. */
function checkExclusiveFlag(em: NodeEmitter, bound: Bound): boolean {
  const b = em.base.value[bound.keyword];
  const r = em.revision.value[bound.keyword];
  if (typeof b !== 'boolean' && typeof r !== 'boolean') return false;
  const before = b === true;
  const after = r === true;
  const limit = bound.upper ? 'maximum' : 'minimum';
  if (before !== after && numberAt(em.revision, limit) !== undefined) {
    em.node(after ? `${bound.family}-set` : `${bound.family}-unset`, {
      text: (s) => `${s} ${limit} ${numberAt(em.revision, limit)} became ${after ? 'exclusive' : 'inclusive'}`,
      ...locs(em, bound.keyword),
    });
  }
  return true;
}

function isNotArray(node: SchemaNode): boolean {
  const types = valueTypes(node);
  return types.length > 0 && !types.includes('array');
}

/**
 * The value of a bound on one side. maxItems/minItems on a schema that is not an array constrain
 * nothing; a parameter's array bound written on its items (a common slip, which oasdiff reads as the
 * parameter's) counts for the array.
 */
function boundValue(em: NodeEmitter, side: 'base' | 'revision', bound: Bound): number | undefined {
  const node = side === 'base' ? em.base : em.revision;
  if (bound.keyword === 'maxItems' || bound.keyword === 'minItems') {
    if (isNotArray(node)) return bound.absent?.(node);
    const own = numberAt(node, bound.keyword);
    if (own !== undefined) return own;
    const parameter = em.settings.context === 'request-parameter' || em.settings.context === 'request-header';
    if (em.root && parameter) {
      const items = childNode(side === 'base' ? em.baseDoc : em.revisionDoc, node, 'items');
      const onItems = items && isNotArray(items) ? numberAt(items, bound.keyword) : undefined;
      if (onItems !== undefined) return onItems;
    }
    return bound.absent?.(node);
  }
  return numberAt(node, bound.keyword) ?? bound.absent?.(node);
}

/** Numeric, length, size and count bounds: raised, lowered, set or removed. */
export function checkBounds(em: NodeEmitter): void {
  for (const bound of BOUNDS) {
    if (bound.family.startsWith('exclusive') && checkExclusiveFlag(em, bound)) continue;
    const before = boundValue(em, 'base', bound);
    const after = boundValue(em, 'revision', bound);
    if (before === after) continue;
    const where = locs(em, bound.keyword);
    if (before === undefined) {
      em.node(`${bound.family}-set`, { text: (s) => `${s} ${bound.keyword} set to ${after}`, ...where });
    } else if (after === undefined) {
      em.node(`${bound.family}-unset`, { text: (s) => `${s} ${bound.keyword} ${before} removed`, ...where });
    } else {
      const direction = after > before ? 'increased' : 'decreased';
      em.node(`${bound.family}-${direction}`, { text: (s) => `${s} ${bound.keyword} ${direction} from ${before} to ${after}`, ...where });
    }
  }
}

function isMultiple(value: number, of: number): boolean {
  const q = value / of;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

/** `multipleOf` set, removed, or changed to a multiple or divisor of the old value. */
export function checkMultipleOf(em: NodeEmitter): void {
  const before = numberAt(em.base, 'multipleOf');
  const after = numberAt(em.revision, 'multipleOf');
  if (before === after) return;
  const where = locs(em, 'multipleOf');
  if (before === undefined) em.node('multiple-of-set', { text: (s) => `${s} multipleOf set to ${after}`, ...where });
  else if (after === undefined) em.node('multiple-of-unset', { text: (s) => `${s} multipleOf ${before} removed`, ...where });
  else {
    const family = isMultiple(after, before) ? 'multiple-of-narrowed' : isMultiple(before, after) ? 'multiple-of-widened' : 'multiple-of-changed';
    em.node(family, { text: (s) => `${s} multipleOf changed from ${before} to ${after}`, ...where });
  }
}

/** `uniqueItems` switched on or off. */
export function checkUniqueItems(em: NodeEmitter): void {
  const before = em.base.value.uniqueItems === true;
  const after = em.revision.value.uniqueItems === true;
  if (before === after) return;
  em.node(after ? 'unique-items-added' : 'unique-items-removed', {
    text: (s) => `${s} ${after ? 'now requires' : 'no longer requires'} unique items`,
    ...locs(em, 'uniqueItems'),
  });
}

function mapping(value: unknown): Record<string, unknown> {
  return isObject(value) && isObject(value.mapping) ? value.mapping : {};
}

/** Discriminator added, removed, renamed, and mapping entries added, removed or repointed. */
export function checkDiscriminator(em: NodeEmitter): void {
  const b = em.base.value.discriminator;
  const r = em.revision.value.discriminator;
  if (b === undefined && r === undefined) return;
  const where = locs(em, 'discriminator');
  if (b === undefined) {
    em.node('discriminator-added', { text: (s) => `${s} discriminator added`, ...where });
    return;
  }
  if (r === undefined) {
    em.node('discriminator-removed', { text: (s) => `${s} discriminator removed`, ...where });
    return;
  }
  const fromName = isObject(b) ? b.propertyName : undefined;
  const toName = isObject(r) ? r.propertyName : undefined;
  if (fromName !== toName) {
    em.node('discriminator-property-name-changed', { text: (s) => `${s} discriminator property name changed from ${show(fromName)} to ${show(toName)}`, ...where });
  }
  const bm = mapping(b);
  const rm = mapping(r);
  const added = Object.keys(rm).filter((k) => !(k in bm));
  const deleted = Object.keys(bm).filter((k) => !(k in rm));
  if (added.length > 0) em.node('discriminator-mapping-added', { text: (s) => `${s} discriminator mapping keys added: ${added.join(', ')}`, ...where });
  if (deleted.length > 0) em.node('discriminator-mapping-deleted', { text: (s) => `${s} discriminator mapping keys removed: ${deleted.join(', ')}`, ...where });
  for (const key of Object.keys(bm)) {
    if (key in rm && canonical(bm[key]) !== canonical(rm[key])) {
      em.node('discriminator-mapping-changed', { text: (s) => `${s} discriminator mapping '${key}' changed from ${show(bm[key])} to ${show(rm[key])}`, ...where });
    }
  }
}

function stringLists(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) out[k] = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return out;
}

/** `dependentRequired` entries added, removed or changed, one change per property. */
export function checkDependentRequired(em: NodeEmitter): void {
  const b = stringLists(em.base.value.dependentRequired);
  const r = stringLists(em.revision.value.dependentRequired);
  const where = locs(em, 'dependentRequired');
  for (const key of Object.keys(r)) {
    if (!(key in b)) em.node('dependent-required-added', { text: (s) => `${s} now requires ${r[key].join(', ')} when '${key}' is present`, ...where });
    else if (canonical([...b[key]].sort()) !== canonical([...r[key]].sort())) {
      em.node('dependent-required-changed', { text: (s) => `${s} properties required with '${key}' changed from [${b[key].join(', ')}] to [${r[key].join(', ')}]`, ...where });
    }
  }
  for (const key of Object.keys(b)) {
    if (!(key in r)) em.node('dependent-required-removed', { text: (s) => `${s} no longer requires ${b[key].join(', ')} when '${key}' is present`, ...where });
  }
}

/** `contentMediaType` and `contentEncoding` of string-encoded content. */
export function checkContentEncoding(em: NodeEmitter): void {
  for (const [keyword, family] of [
    ['contentMediaType', 'content-media-type-changed'],
    ['contentEncoding', 'content-encoding-changed'],
  ] as const) {
    const from = em.base.value[keyword];
    const to = em.revision.value[keyword];
    if (canonical(from) === canonical(to)) continue;
    em.node(family, { text: (s) => `${s} ${keyword} changed from ${show(from ?? 'none')} to ${show(to ?? 'none')}`, ...locs(em, keyword) });
  }
}

function parseSunset(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    return date.getUTCMonth() === Number(day[2]) - 1 ? date : undefined;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** A property deprecated (with or without an `x-sunset` date) or reactivated. */
export function checkDeprecation(em: NodeEmitter): void {
  if (em.root) return;
  const before = em.base.value.deprecated === true;
  const after = em.revision.value.deprecated === true;
  if (before === after) return;
  const where = locs(em, 'deprecated');
  if (!after) {
    em.member('reactivated', { text: (s) => `${s} is no longer deprecated`, ...where });
    return;
  }
  const sunset = em.revision.value['x-sunset'];
  if (sunset === undefined) {
    em.member('deprecated', { text: (s) => `${s} was deprecated`, ...where });
    return;
  }
  const date = parseSunset(sunset);
  if (!date) {
    em.member('deprecated-sunset-invalid', { text: (s) => `${s} was deprecated with an x-sunset that is not an RFC 3339 date: ${show(sunset)}`, ...where });
    return;
  }
  const day = date.toISOString().slice(0, 10);
  const today = new Date(Date.UTC(em.settings.now.getUTCFullYear(), em.settings.now.getUTCMonth(), em.settings.now.getUTCDate()));
  if (date.getTime() < today.getTime()) {
    em.member('sunset-date-too-small', { text: (s) => `${s} was deprecated with a sunset date already past (${day})`, ...where });
    return;
  }
  em.member('deprecated-with-sunset', { text: (s) => `${s} was deprecated, with sunset ${day}`, ...where });
}
