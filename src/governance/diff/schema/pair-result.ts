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

  constructor(readonly entries: readonly ResultEntry[]) {
    this.hasChanges = entries.some((e) => ('change' in e ? true : e.child.hasChanges));
  }

  static readonly EMPTY = new PairResult([]);
}

/** A change with the path from the root result to where it was found. */
export interface RootedChange {
  change: NodeChange;
  path: string[];
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
  const stack: Array<{ result: PairResult; next: number; path: string[] }> = [];
  const enter = (result: PairResult, path: string[]): void => {
    visit();
    entered.add(result);
    firstPath.set(result, path);
    stack.push({ result, next: 0, path });
  };
  const out: Array<{ change: NodeChange; owner: PairResult; path: string[] }> = [];
  enter(root, []);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.result.entries.length) {
      order.push(frame.result);
      stack.pop();
      continue;
    }
    const entry = frame.result.entries[frame.next++]!;
    if ('change' in entry) {
      out.push({ change: entry.change, owner: frame.result, path: [...frame.path, ...entry.change.path] });
    } else if (entry.child.hasChanges && !entered.has(entry.child)) {
      enter(entry.child, entry.segment === null ? frame.path : [...frame.path, entry.segment]);
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
  return out.map(({ change, owner, path }) => ({ change, path, paths: Math.max(1, counts.get(owner) ?? 1) }));
}
