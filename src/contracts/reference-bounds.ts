/** Refuses a contract whose `$ref`s nest deeper than the tools that walk it can follow (a chain of 10,000 `$ref`s, say). */
import { ContractError, type OpenApiDocument } from './openapi-document.js';
import { escapeToken } from './json-pointer.js';
import { SourceError } from './source.js';

/**
 * Deepest nesting of a contract with every `$ref` followed (a reference cycle counts once).
 * Real contracts stay far below: Stripe's reaches about 60. The diff engine, the schema compiler
 * and Spectral recurse as they walk, so past a few thousand levels they overflow the stack or,
 * along a long `$ref` chain, spend minutes following it; this bound keeps every reader in range.
 */
export const MAX_RESOLVED_DEPTH = 1000;

/** One node of the walk. A class, so that every frame has one shape (the walk makes one per mapping and sequence). */
class Frame {
  /** Children pushed already: the frame is being finished. */
  expanded = false;
  /** What the node's `$ref` points at, once looked up. */
  target: object | undefined = undefined;

  constructor(
    readonly node: object,
    readonly file: string,
    /** Where the node sits: under `parent` at `key`, or at `pointer` (a root or a `$ref` target). */
    readonly parent: Frame | undefined,
    readonly key: string | undefined,
    readonly pointer: string | undefined,
  ) {}
}

/** The JSON pointer of a frame, built only when needed (an error, a `$ref` to resolve). */
function pointerOf(frame: Frame): string {
  const keys: string[] = [];
  let at: Frame | undefined = frame;
  while (at !== undefined && at.pointer === undefined) {
    keys.push(escapeToken(at.key!));
    at = at.parent;
  }
  let pointer = at?.pointer ?? '';
  for (let i = keys.length - 1; i >= 0; i--) pointer += `/${keys[i]}`;
  return pointer;
}

/** The object a `$ref` in `node` points at, or undefined when it points at nothing usable. */
function targetOf(doc: OpenApiDocument, node: Record<string, unknown>, file: string, pointer: string): { node: object; file: string; pointer: string } | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string') return undefined;
  try {
    const target = doc.resolveRef(ref, file, `${pointer}/$ref`);
    return target.value !== null && typeof target.value === 'object' ? { node: target.value, file: target.file, pointer: target.pointer } : undefined;
  } catch (error) {
    // An unresolvable $ref is for the readers that use it to report; a referenced file that
    // cannot be parsed safely (too deep, an alias bomb, bad syntax) is refused here.
    if (error instanceof ContractError) return undefined;
    if (error instanceof SourceError && error.code === 'SOURCE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Walks the document with its `$ref`s followed, loading every file they reach (each parsed with
 * the loader's limits), and throws ContractError CONTRACT_TOO_COMPLEX at the first node whose
 * depth below it passes MAX_RESOLVED_DEPTH. Linear in the size of the files: each distinct
 * mapping or sequence is visited once, its depth remembered; a `$ref` back into the path being
 * walked (a recursive schema) adds nothing.
 */
export function checkReferenceBounds(doc: OpenApiDocument): void {
  // The recursive walk settles every contract that holds; one that does not (or nests too deep
  // for a recursion) is walked again by the located walk, which finds the node to report.
  if (!holdsReferenceBounds(doc)) locateReferenceBoundsError(doc);
}

/**
 * Path depth past which the recursive walk gives up: any path this deep ends in an error, and
 * the located walk (an explicit stack) reports it without straining the call stack.
 */
const RECURSION_LIMIT = 2 * MAX_RESOLVED_DEPTH;

/** holdsReferenceBounds' mark of a node on the path being walked (heights are 1 or more). */
const ON_PATH = -1;

/** Thrown inside holdsReferenceBounds to leave the recursion at once. */
const EXCEEDED: unique symbol = Symbol('reference bounds exceeded');

/**
 * Whether the document's `$ref` bounds hold: the walk of locateReferenceBoundsError, recursive
 * and visiting nodes in the same order (children last to first, a `$ref` target before them), so
 * that every depth it remembers is the one that walk computes. Why a second walk: it makes no
 * frame object and no pointer link per node of a ~10^6-node contract, and the allocations of the
 * located walk were a fifth of a large contract's load. Loads the referenced files, and throws
 * what their loading throws, in the same order as the located walk.
 */
function holdsReferenceBounds(doc: OpenApiDocument): boolean {
  // One map for both states of the located walk's `heights` and `onPath`: ON_PATH while a node's
  // members are walked, then its height (a lookup and an update less per node than a map and a set).
  const heights = new Map<object, number>();
  // By file, then by `$ref` string: no joined key to build and hash per reference.
  const targets = new Map<string, Map<string, ReturnType<typeof targetOf>>>();
  const heightOf = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 0;
    const height = heights.get(value);
    return height === undefined || height === ON_PATH ? 0 : height;
  };
  // The pointer is only needed to name a `$ref`'s place in an error that targetOf swallows or
  // that reaches the caller; the located walk rebuilds it for a contract that gets that far.
  const visit = (node: object, file: string, depth: number): void => {
    if (heights.has(node)) return;
    if (depth > RECURSION_LIMIT) throw EXCEEDED;
    heights.set(node, ON_PATH);
    let below = 0;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object') visit(child, file, depth + 1);
      }
      for (let i = 0; i < node.length; i++) below = Math.max(below, heightOf(node[i]));
    } else {
      const record = node as Record<string, unknown>;
      const keys = Object.keys(record);
      let target: object | undefined;
      const ref = record.$ref;
      if (typeof ref === 'string') {
        let inFile = targets.get(file);
        if (inFile === undefined) {
          inFile = new Map();
          targets.set(file, inFile);
        }
        let found = inFile.get(ref);
        if (found === undefined && !inFile.has(ref)) {
          found = targetOf(doc, record, file, '');
          inFile.set(ref, found);
        }
        if (found !== undefined) {
          target = found.node;
          visit(found.node, found.file, depth + 1);
        }
      }
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = record[keys[i]!];
        if (child !== null && typeof child === 'object') visit(child, file, depth + 1);
      }
      for (let i = 0; i < keys.length; i++) below = Math.max(below, heightOf(record[keys[i]!]));
      if (target !== undefined) below = Math.max(below, heightOf(target));
    }
    if (below + 1 > MAX_RESOLVED_DEPTH) throw EXCEEDED;
    heights.set(node, below + 1);
  };
  try {
    visit(doc.data, doc.file, 0);
  } catch (error) {
    if (error === EXCEEDED || error instanceof RangeError) return false;
    throw error;
  }
  return true;
}

/** The walk that names the first node past MAX_RESOLVED_DEPTH (an explicit stack of frames with parent links). */
function locateReferenceBoundsError(doc: OpenApiDocument): void {
  const heights = new Map<object, number>();
  const onPath = new Set<object>();
  // What each distinct `$ref` of each file points at: a large contract repeats a few hundred
  // references tens of thousands of times, and a lookup parses the pointer and walks the data.
  const targets = new Map<string, ReturnType<typeof targetOf>>();
  const targetFor = (record: Record<string, unknown>, file: string, frame: Frame): ReturnType<typeof targetOf> => {
    const key = `${file}\u0000${record.$ref as string}`;
    if (targets.has(key)) return targets.get(key);
    const target = targetOf(doc, record, file, pointerOf(frame));
    targets.set(key, target);
    return target;
  };
  const stack: Frame[] = [new Frame(doc.data, doc.file, undefined, undefined, '')];
  // Pointers are kept as parent links, not strings: a 5 MB contract has ~10^6 nodes.
  const heightOf = (value: unknown): number => (value !== null && typeof value === 'object' && !onPath.has(value) ? heights.get(value) ?? 0 : 0);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { node, file } = frame;
    if (!frame.expanded) {
      if (heights.has(node) || onPath.has(node)) {
        stack.pop();
        continue;
      }
      frame.expanded = true;
      onPath.add(node);
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          const child: unknown = node[i];
          if (child !== null && typeof child === 'object' && !heights.has(child)) stack.push(new Frame(child, file, frame, String(i), undefined));
        }
      } else {
        const record = node as Record<string, unknown>;
        // Object.keys, not for...in: the same own keys of plain data, enumerated faster.
        const keys = Object.keys(record);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const child = record[key];
          if (child !== null && typeof child === 'object' && !heights.has(child)) stack.push(new Frame(child, file, frame, key, undefined));
        }
        const target = typeof record.$ref === 'string' ? targetFor(record, file, frame) : undefined;
        if (target !== undefined) {
          frame.target = target.node;
          if (!heights.has(target.node)) stack.push(new Frame(target.node, target.file, undefined, undefined, target.pointer));
        }
      }
      continue;
    }
    stack.pop();
    onPath.delete(node);
    let below = 0;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) below = Math.max(below, heightOf(node[i]));
    } else {
      const record = node as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = 0; i < keys.length; i++) below = Math.max(below, heightOf(record[keys[i]!]));
    }
    if (frame.target !== undefined) below = Math.max(below, heightOf(frame.target));
    const height = below + 1;
    if (height > MAX_RESOLVED_DEPTH) {
      const pointer = pointerOf(frame);
      throw new ContractError(
        'CONTRACT_TOO_COMPLEX',
        file,
        pointer,
        `nesting with $refs followed is deeper than ${MAX_RESOLVED_DEPTH} levels here (a $ref chain or nesting no reader can walk)`,
        doc.lineOf(file, pointer),
      );
    }
    heights.set(node, height);
  }
}
