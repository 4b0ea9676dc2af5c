/**
 * Pairs the members of two allOf/anyOf/oneOf lists: by `$ref` target, by equivalence, by the value
 * that tags them (discriminator), by title, by the properties they share, then a lone leftover pair.
 */
import { isObject } from '../../../contracts/openapi-document.js';
import { canonical } from './keyword-checks.js';
import type { Equivalence } from './transitions.js';
import { refName, type SchemaNode } from './schema-node.js';

/** A member with its position in its list. */
export interface Member {
  node: SchemaNode;
  index: number;
}

/** Members present on both sides, and the ones only one side has. */
export interface MemberMatch {
  pairs: Array<{ base: Member; revision: Member }>;
  added: Member[];
  removed: Member[];
}

function title(member: Member): string {
  const t = member.node.value.title;
  return typeof t === 'string' ? t : '';
}

/**
 * The values that tag a member: `property=value` for each property fixed to one value (`enum` of one,
 * or `const`); only `discriminator` when one is named. Two members sharing a tag are the same variant.
 */
function tags(member: Member, discriminator: string | undefined): Set<string> {
  const out = new Set<string>();
  const props = member.node.value.properties;
  if (!isObject(props)) return out;
  for (const [name, schema] of Object.entries(props)) {
    if (discriminator !== undefined && name !== discriminator) continue;
    if (!isObject(schema)) continue;
    const fixed = Array.isArray(schema.enum) && schema.enum.length === 1 ? schema.enum[0] : schema.const;
    if (fixed !== undefined) out.add(`${name}=${canonical(fixed)}`);
  }
  return out;
}

function shareTag(a: Set<string>, b: Set<string>): boolean {
  for (const t of a) if (b.has(t)) return true;
  return false;
}

function propertySet(member: Member): Set<string> {
  const props = member.node.value.properties;
  return new Set(isObject(props) ? Object.keys(props) : []);
}

/** Jaccard similarity of two members' property names (0 when either has none). */
function similarity(a: Member, b: Member): number {
  const x = propertySet(a);
  const y = propertySet(b);
  if (x.size === 0 || y.size === 0) return 0;
  let common = 0;
  for (const name of x) if (y.has(name)) common += 1;
  return common / (x.size + y.size - common);
}

// Inline members sharing at least this share of their property names are one member edited.
const SIMILAR = 0.5;

/**
 * Matches list members without relying on their order: first members that point at the same
 * `$ref` target, then members that constrain values the same way (so renaming a component,
 * extracting an inline schema or inlining a `$ref` pairs them), then members with the same title,
 * and last a single leftover on each side unless both are references to different components.
 */
export function matchMembers(base: readonly SchemaNode[], revision: readonly SchemaNode[], equivalent: Equivalence, discriminator?: string): MemberMatch {
  let left: Member[] = base.map((node, index) => ({ node, index }));
  let right: Member[] = revision.map((node, index) => ({ node, index }));
  const pairs: MemberMatch['pairs'] = [];
  const take = (pred: (b: Member, r: Member) => boolean): void => {
    for (const b of [...left]) {
      const r = right.find((candidate) => pred(b, candidate));
      if (!r) continue;
      pairs.push({ base: b, revision: r });
      left = left.filter((m) => m !== b);
      right = right.filter((m) => m !== r);
    }
  };
  take((b, r) => b.node.ref !== undefined && b.node.ref === r.node.ref);
  take((b, r) => equivalent(b.node, r.node));
  take((b, r) => shareTag(tags(b, discriminator), tags(r, discriminator)));
  take((b, r) => title(b) !== '' && title(b) === title(r));
  // Inline members edited in place: the most similar pairs first.
  const candidates: Array<{ b: Member; r: Member; score: number }> = [];
  for (const b of left) {
    for (const r of right) {
      if (b.node.ref !== undefined || r.node.ref !== undefined) continue;
      const score = similarity(b, r);
      if (score >= SIMILAR) candidates.push({ b, r, score });
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.b.index - y.b.index || x.r.index - y.r.index);
  for (const { b, r } of candidates) {
    if (!left.includes(b) || !right.includes(r)) continue;
    pairs.push({ base: b, revision: r });
    left = left.filter((m) => m !== b);
    right = right.filter((m) => m !== r);
  }
  const pairLone = (lefts: Member[], rights: Member[]): void => {
    if (lefts.length !== 1 || rights.length !== 1) return;
    const [b] = lefts;
    const [r] = rights;
    const bothRefs = b.node.ref !== undefined && r.node.ref !== undefined;
    const titlesClash = title(b) !== '' && title(r) !== '' && title(b) !== title(r);
    if (bothRefs || titlesClash) return;
    pairs.push({ base: b, revision: r });
    left = left.filter((m) => m !== b);
    right = right.filter((m) => m !== r);
  };
  // A lone inline member on each side is the same member edited (references are named, inline ones are not).
  pairLone(
    left.filter((m) => m.node.ref === undefined),
    right.filter((m) => m.node.ref === undefined),
  );
  pairLone(left, right);
  pairs.sort((x, y) => x.revision.index - y.revision.index);
  return { pairs, added: right, removed: left };
}

/** How a member is named in paths and messages: its component, its title, or its position. */
export function memberName(member: Member): string {
  return refName(member.node) ?? (title(member) || `#${member.index}`);
}
