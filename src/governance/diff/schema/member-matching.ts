/** Pairs the members of two allOf/anyOf/oneOf lists: by `$ref` target, by equivalence, by title, then a lone leftover pair. */
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
 * Matches list members without relying on their order: first members that point at the same
 * `$ref` target, then members that constrain values the same way (so renaming a component,
 * extracting an inline schema or inlining a `$ref` pairs them), then members with the same title,
 * and last a single leftover on each side unless both are references to different components.
 */
export function matchMembers(base: readonly SchemaNode[], revision: readonly SchemaNode[], equivalent: Equivalence): MemberMatch {
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
  take((b, r) => title(b) !== '' && title(b) === title(r));
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
