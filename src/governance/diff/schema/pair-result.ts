/**
 * The changes found at one pair of schema nodes, holding its children's results by reference:
 * a shared component's changes are stored once however many paths reach it, and read back once.
 */
import type { NodeChange } from './node-emitter.js';

/** One entry of a result: a change of the node pair itself, or a child pair's result under a path segment. */
export type ResultEntry = { readonly change: NodeChange } | { readonly segment: string | null; readonly child: PairResult };

/** What one node pair's comparison found. Immutable once built; results form a DAG (never a cycle). */
export class PairResult {
  /** True when the pair, or any pair below it, changed. */
  readonly hasChanges: boolean;

  /**
   * `component`: the name of the component the revision's node is (when reached by `$ref`), so a
   * change can be named from its component rather than from the root.
   */
  constructor(
    readonly entries: readonly ResultEntry[],
    readonly component?: string,
  ) {
    this.hasChanges = entries.some((e) => ('change' in e ? true : e.child.hasChanges));
  }

  static readonly EMPTY = new PairResult([]);
}

/** A change with the path from the root result to where it was found. */
export interface RootedChange {
  change: NodeChange;
  path: string[];
  /** The nearest component above the change on that path, and the path from it (absent: none). */
  component?: { name: string; path: string[] };
  /** How many distinct paths from the root reach the node pair that found it (at least 1). */
  paths: number;
}

/**
 * Reads every change below `root` once, in walk order, each with the first path that reaches it
 * (a pre-order walk that enters each result once) and the number of paths that reach it.
 * `visit` is called once per result entered (for the budget).
 */
export function flattenResult(root: PairResult, visit: () => void): RootedChange[] {
  if (!root.hasChanges) return [];
  // Paths per result, counted over the DAG in topological order (reverse post-order).
  const order: PairResult[] = [];
  const entered = new Set<PairResult>();
  const firstPath = new Map<PairResult, string[]>();
  // Iterative pre-order walk (deep graphs must not overflow the stack): frames of (result, next entry).
  type Within = { name: string; path: string[] } | undefined;
  const stack: Array<{ result: PairResult; next: number; path: string[]; within: Within }> = [];
  const enter = (result: PairResult, path: string[], within: Within): void => {
    visit();
    entered.add(result);
    firstPath.set(result, path);
    stack.push({ result, next: 0, path, within: result.component !== undefined ? { name: result.component, path: [] } : within });
  };
  const out: Array<{ change: NodeChange; owner: PairResult; path: string[]; within: Within }> = [];
  enter(root, [], undefined);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.result.entries.length) {
      order.push(frame.result);
      stack.pop();
      continue;
    }
    const entry = frame.result.entries[frame.next++]!;
    if ('change' in entry) {
      const within = frame.within ? { name: frame.within.name, path: [...frame.within.path, ...entry.change.path] } : undefined;
      out.push({ change: entry.change, owner: frame.result, path: [...frame.path, ...entry.change.path], within });
    } else if (entry.child.hasChanges && !entered.has(entry.child)) {
      const step = (path: string[]): string[] => (entry.segment === null ? path : [...path, entry.segment]);
      enter(entry.child, step(frame.path), frame.within ? { name: frame.within.name, path: step(frame.within.path) } : undefined);
    }
  }
  const counts = new Map<PairResult, number>([[root, 1]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const result = order[i]!;
    const n = counts.get(result) ?? 0;
    for (const entry of result.entries) {
      if ('change' in entry || !entry.child.hasChanges) continue;
      counts.set(entry.child, (counts.get(entry.child) ?? 0) + n);
    }
  }
  return out.map(({ change, owner, path, within }) => {
    const rooted: RootedChange = { change, path, paths: Math.max(1, counts.get(owner) ?? 1) };
    if (within) rooted.component = within;
    return rooted;
  });
}
