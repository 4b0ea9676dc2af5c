/**
 * Spectral's `$ref` resolution of a document whose references are all local, computed directly
 * over the loader's data: the same resolved tree, reference map, dependency graph and errors as
 * Spectral's resolver (@stoplight/json-ref-resolver), at a fraction of its cost.
 */
import { pathToPointer, pointerToPath, startsWith } from '@stoplight/json';
// CommonJS: the default import carries the resolver and its graph class.
import spectralRefResolver from '@stoplight/spectral-ref-resolver';

/*
 * Why this exists: on a 5 MB contract Spectral's resolver costs more than parsing it twice
 * (every key of the document becomes a pointer string, every reference a node of two dependency
 * graphs with linear-time edge checks, and the result goes through immer). Its results decide
 * findings (what rules see, where a finding inside a referenced object is reported, which
 * components count as unused), so this module follows its algorithm step for step
 * (json-ref-resolver 3.1: ResolveCrawler.computeGraph, _resolveRef, ResolveRunner.resolve) with
 * cheaper data structures, and hands any document with a non-local reference (another file, a
 * URL) to Spectral's own resolver. test/unit/lint-local-ref-resolver.test.ts compares the two on
 * every lint fixture, the real contracts and hand-made edge cases.
 */

/** A JSON path segment: a member name, or an array index where json-ref-resolver keeps one. */
type Segment = string | number;

/** One resolver error, as json-ref-resolver reports it (Spectral turns them into `invalid-ref` findings). */
interface ResolveError {
  code: 'POINTER_MISSING' | 'PARSE_POINTER';
  message: string;
  path: Segment[];
  uri: unknown;
  uriStack: string[];
  pointerStack: string[];
}

/** The graph Spectral reads: node data (the reference map of the root) and the processing order (which objects are referenced). */
interface ResolverGraph {
  hasNode(node: string): boolean;
  addNode(node: string, data?: unknown): void;
  addDependency(from: string, to: string): void;
  getNodeData(node: string): { refMap: Record<string, string>; data?: unknown };
  setNodeData(node: string, data: { refMap: Record<string, string>; data?: unknown }): void;
}

/** What Spectral reads of a resolution. */
export interface ResolveOutcome {
  result: unknown;
  graph: ResolverGraph;
  errors: ResolveError[];
  refMap: Record<string, string>;
  runner: unknown;
}

/** The part of a json-ref-resolver URI object used here. */
interface RefUri {
  readonly length: number;
  path(): string;
  fragment(): string;
  href(): string;
  toString(): string;
}

/** The part of json-ref-resolver's ResolveRunner used here: how it reads a `$ref`, its base and root. */
interface ProbeRunner {
  computeRef(opts: { key?: string; val: unknown; jsonPointer: string; pointerStack: string[] }): RefUri | undefined;
  baseUri: { toString(): string };
  root: string;
}

/** The options Spectral passes to a resolver (DocumentInventory.resolve). */
export interface ResolveOptions {
  baseUri?: string;
  [option: string]: unknown;
}

/** The resolver Spectral accepts (`new Spectral({ resolver })`). */
export interface SpectralResolver {
  uriCache: unknown;
  resolve(source: unknown, opts: ResolveOptions): Promise<ResolveOutcome>;
}

/**
 * A dependency graph with dependency-graph 0.11's semantics where they decide the outcome
 * (insertion order of nodes and edges, its depth-first orders with cycles tolerated), but with
 * hashed membership: the library checks every new edge against a list, quadratic on a contract
 * where thousands of references point at one schema.
 */
class OrderGraph {
  private readonly outgoing = new Map<string, string[]>();
  private readonly incoming = new Map<string, string[]>();
  private readonly edges = new Set<string>();

  has(node: string): boolean {
    return this.outgoing.has(node);
  }

  add(node: string): void {
    if (this.outgoing.has(node)) return;
    this.outgoing.set(node, []);
    this.incoming.set(node, []);
  }

  depend(from: string, to: string): void {
    const key = `${from}\u0000${to}`;
    if (this.edges.has(key)) return;
    this.edges.add(key);
    this.outgoing.get(from)!.push(to);
    this.incoming.get(to)!.push(from);
  }

  /** dependency-graph's createDFS (circular: true, leavesOnly: false), pushing finished nodes to `result`. */
  private dfs(edges: Map<string, string[]>, visited: Set<string>, result: string[], start: string): void {
    if (visited.has(start)) return;
    const inPath = new Set<string>();
    const stack: Array<{ node: string; processed: boolean }> = [{ node: start, processed: false }];
    while (stack.length > 0) {
      const current = stack[stack.length - 1]!;
      const { node } = current;
      if (!current.processed) {
        if (visited.has(node) || inPath.has(node)) {
          stack.pop();
          continue;
        }
        inPath.add(node);
        const next = edges.get(node)!;
        for (let i = next.length - 1; i >= 0; i--) stack.push({ node: next[i]!, processed: false });
        current.processed = true;
      } else {
        stack.pop();
        inPath.delete(node);
        visited.add(node);
        result.push(node);
      }
    }
  }

  /** dependantsOf / dependenciesOf: every node reachable from `node`, itself excluded. Throws for an unknown node, as the library does. */
  private reachable(edges: Map<string, string[]>, node: string): string[] {
    if (!this.outgoing.has(node)) throw new Error(`Node does not exist: ${node}`);
    const result: string[] = [];
    this.dfs(edges, new Set(), result, node);
    return result.filter((n) => n !== node);
  }

  dependantsOf(node: string): string[] {
    return this.reachable(this.incoming, node);
  }

  dependenciesOf(node: string): string[] {
    return this.reachable(this.outgoing, node);
  }

  /** overallOrder(): depth-first from the nodes nothing depends on, then from whatever cycles left out. */
  overallOrder(): string[] {
    const result: string[] = [];
    const visited = new Set<string>();
    const keys = [...this.outgoing.keys()];
    for (const node of keys) if (this.incoming.get(node)!.length === 0) this.dfs(this.outgoing, visited, result, node);
    const done = new Set(result);
    for (const node of keys.filter((n) => !done.has(n))) this.dfs(this.outgoing, visited, result, node);
    return result;
  }
}

/**
 * The resolved tree as immer's draft would leave it: containers are copied the first time a path
 * reaches them (so the loader's data is never changed and a copy is shared wherever it is
 * assigned, as a draft is), everything not reached stays the loader's own object.
 */
class CopyOnAccessTree {
  private readonly owned = new WeakSet<object>();
  root: unknown;

  constructor(root: unknown) {
    this.root = this.own(root);
  }

  private own(value: unknown): unknown {
    if (value === null || typeof value !== 'object' || this.owned.has(value)) return value;
    const copy: object = Array.isArray(value) ? value.slice() : Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as object, value);
    this.owned.add(copy);
    return copy;
  }

  /** The member `key` of `container`, copied into it first when it is a container of the original data. */
  private child(container: unknown, key: Segment): unknown {
    if (container === null || container === undefined) return undefined;
    const value: unknown = (container as Record<string, unknown>)[key];
    if (value === null || typeof value !== 'object' || this.owned.has(value) || !this.owned.has(container as object)) return value;
    if (!Object.prototype.hasOwnProperty.call(container, key)) return value;
    const copy = this.own(value);
    (container as Record<string, unknown>)[key] = copy;
    return copy;
  }

  /** lodash `get(draft, path)`. */
  get(path: readonly Segment[]): unknown {
    let at: unknown = this.root;
    for (const key of path) {
      if (at === null || at === undefined) return undefined;
      at = this.child(at, key);
    }
    return at;
  }

  /** lodash `set(draft, path, value)` for a path that exists (every dependant was found by walking the data). */
  set(path: readonly Segment[], value: unknown): void {
    let at: unknown = this.root;
    for (let i = 0; i < path.length - 1; i++) at = this.child(at, path[i]!);
    if (at !== null && typeof at === 'object') (at as Record<string, unknown>)[path[path.length - 1]!] = value;
  }
}

function isJsonPointerUri(ref: RefUri): boolean {
  return ref.length > 0 && ref.path() === '';
}

function jsonPointerOf(ref: RefUri): string {
  if (ref.length === 0) return '';
  return ref.fragment() !== '' ? `#${ref.fragment()}` : ref.href() === '' ? '#' : '';
}

/** `${pointer}/${part}` with `~` and `/` escaped, as json-ref-resolver builds pointers. */
function addToPointer(pointer: string, part: string): string {
  // Most keys need no escaping: no splitting and joining for them.
  if (part.indexOf('~') < 0 && part.indexOf('/') < 0) return `${pointer}/${part}`;
  return `${pointer}/${part.split('~').join('~0').split('/').join('~1')}`;
}

/** Marks a document that has a reference this module does not handle: Spectral's resolver takes it. */
class NotLocal extends Error {}

/**
 * The crawl (ResolveCrawler.computeGraph at the root, which does not descend into referenced
 * objects) and the dereferencing pass (ResolveRunner.resolve with dereferenceInline). Throws
 * NotLocal at the first reference that is not a JSON pointer into the document itself.
 */
function resolveLocal(
  source: unknown,
  probe: ProbeRunner,
  graph: ResolverGraph,
): { result: unknown; refMap: Record<string, string>; rootRefMap: Record<string, string>; errors: ResolveError[] } {
  const errors: ResolveError[] = [];
  const pointerGraph = new OrderGraph();
  const stemGraph = new OrderGraph();
  const baseUri = probe.baseUri.toString();
  const root = probe.root;
  const pointerStack: string[] = [];
  const targetNodes = new Set<string>();
  // The references, for the stem edges added after the crawl; the targets; the path of every
  // reference's place (its pointer parsed back gives the same path unless a key holds a `%`).
  const refs: Array<{ parentPath: Segment[]; parentPointer: string; targetPath: Segment[]; targetPointer: string }> = [];
  const stemTargets = new Set<string>();
  let longestTarget = 0;
  const parentPaths = new Map<string, Segment[]>();
  const stemPaths = new Map<string, Segment[]>();
  // The path of each distinct target pointer, parsed once: a large contract names a few hundred
  // targets tens of thousands of times. Shared, read only.
  const targetPaths = new Map<string, Segment[]>();
  const parsedStem = (stem: string): Segment[] => {
    let path = stemPaths.get(stem);
    if (path === undefined) {
      path = pointerToPath(stem);
      stemPaths.set(stem, path);
    }
    return path;
  };

  const resolveRef = (ref: RefUri, parentPath: readonly Segment[], parentPointer: string): void => {
    if (!isJsonPointerUri(ref)) throw new NotLocal();
    const targetPointer = jsonPointerOf(ref);
    let targetPath = targetPaths.get(targetPointer);
    if (targetPath === undefined) {
      try {
        targetPath = pointerToPath(targetPointer);
      } catch {
        errors.push({ code: 'PARSE_POINTER', message: `'${ref.toString()}' JSON pointer is invalid`, uri: probe.baseUri, uriStack: [], pointerStack: [], path: [] });
        return;
      }
      targetPaths.set(targetPointer, targetPath);
    }
    // A reference to an object that contains it is left as it is.
    let referencesParent = targetPath.length > 0;
    for (let i = 0; i < targetPath.length; i++) {
      if (parentPath[i] !== targetPath[i]) {
        referencesParent = false;
        break;
      }
    }
    if (referencesParent) return;
    stemGraph.add(targetPointer);
    stemTargets.add(targetPointer);
    if (targetPointer.length > longestTarget) longestTarget = targetPointer.length;
    // One copy of the place's path for both: each is only read (a dependant's is copied before use).
    const placePath = parentPath.slice();
    refs.push({ parentPath: placePath, parentPointer, targetPath, targetPointer });
    if (!parentPointer.includes('%')) parentPaths.set(parentPointer, placePath);
    pointerGraph.add(parentPointer);
    pointerGraph.add(targetPointer);
    const targetRef = `${baseUri}${targetPointer}`;
    if (!targetNodes.has(targetRef)) {
      targetNodes.add(targetRef);
      if (!graph.hasNode(targetRef)) graph.addNode(targetRef, { refMap: {} });
      if (root !== targetRef) graph.addDependency(root, targetRef);
    }
    pointerGraph.depend(parentPointer, targetPointer);
  };

  // Recursive, in the crawler's order (keys in for...in order, depth first); nesting is bounded by
  // the loader. The crawler computes a pointer and asks computeRef about every member; computeRef
  // (json-ref-resolver's defaultGetRef, which Spectral uses) only ever answers for an object with
  // a string `$ref`, so only those are asked, and a member's pointer is built from the path only
  // when it holds a reference: on a 5 MB contract that is a few thousand pointers, not a million.
  const rootRef = probe.computeRef({ val: source, jsonPointer: '#', pointerStack });
  if (rootRef !== undefined) resolveRef(rootRef, [], '#');
  else if (source !== null && typeof source === 'object') {
    const path: string[] = [];
    // pointers[i]: the pointer of path[0..i], valid for i < valid; extended only when a reference
    // needs it, so members that hold none cost no string.
    const pointers: string[] = [];
    let valid = 0;
    const walk = (target: object): void => {
      // Object.keys: for...in's order over the own keys of plain data (the loader's objects
      // inherit nothing enumerable), without a hasOwnProperty call per member.
      const keys = Object.keys(target);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const val: unknown = (target as Record<string, unknown>)[key];
        if (val === null || typeof val !== 'object') continue;
        path.push(key);
        if (typeof (val as { $ref?: unknown }).$ref === 'string') {
          for (; valid < path.length; valid++) pointers[valid] = addToPointer(valid === 0 ? '#' : pointers[valid - 1]!, path[valid]!);
          const currentPointer = pointers[path.length - 1]!;
          const ref = probe.computeRef({ key, val, jsonPointer: currentPointer, pointerStack });
          if (ref !== undefined) resolveRef(ref, path, currentPointer);
          else walk(val);
        } else walk(val);
        path.pop();
        if (valid > path.length) valid = path.length;
      }
    };
    walk(source);
  }

  // The stem edges (json-ref-resolver adds one per segment of every reference's place, from the
  // "stem" of place and target to the target), kept only where they can matter: the graph is only
  // ever walked from targets, every edge leads to a target, so a path from a target passes through
  // targets only, and an edge from a stem that is no target is never reached. Added after the
  // crawl (when every target is known), in the crawl's order, so each node's edges keep their order.
  for (const { parentPath, parentPointer, targetPath, targetPointer } of refs) {
    let stem = '#';
    let tail = '';
    for (let i = 0; i < parentPath.length; i++) {
      const part = parentPath[i]!;
      if (part === targetPath[i]) stem += `/${String(part)}`;
      else {
        tail += `/${String(part)}`;
        const dep = `${stem}${tail}`;
        // Each stem is longer than the one before: none after this can be a target.
        if (dep.length > longestTarget) break;
        if (dep !== parentPointer && dep !== targetPointer && stemTargets.has(dep)) {
          stemGraph.add(dep);
          stemGraph.depend(dep, targetPointer);
        }
      }
    }
  }

  // The reference map's entries, turned into pointers only when the map is read (below).
  const entries: Array<[from: Segment[], to: Segment[]]> = [];
  const refMap = lazyRefMap(entries);
  if (source === null || typeof source !== 'object') return { result: source, refMap, rootRefMap: lazyRefMap(entries), errors };
  const tree = new CopyOnAccessTree(source);
  try {
    for (const pointer of pointerGraph.overallOrder()) {
      const dependants = pointerGraph.dependantsOf(pointer);
      if (dependants.length === 0) continue;
      const pointerPath = pointerToPath(pointer);
      const val = pointerPath.length === 0 ? source : tree.get(pointerPath);
      // Computed, as json-ref-resolver does, at the first dependant, and parsed lazily: an
      // exception stops the pass at the same point.
      let stems: string[] | undefined;
      for (const dependant of dependants) {
        const dependantPath = parentPaths.get(dependant)?.slice() ?? pointerToPath(dependant);
        stems ??= stemGraph.dependenciesOf(pointer);
        let isCircular = false;
        for (const stem of stems) {
          if (startsWith(dependantPath, parsedStem(stem))) {
            isCircular = true;
            break;
          }
        }
        if (isCircular) continue;
        entries.push([dependantPath, pointerPath]);
        if (val !== undefined) tree.set(dependantPath, val);
        else {
          errors.push({ code: 'POINTER_MISSING', message: `'${pointer}' does not exist`, path: dependantPath, uri: probe.baseUri, uriStack: [], pointerStack: [] });
        }
      }
    }
  } catch {
    // json-ref-resolver stops dereferencing at the first exception and keeps what it did.
  }
  return { result: tree.root, refMap, rootRefMap: lazyRefMap(entries), errors };
}

/**
 * The reference map (pointer of each dereferenced place to the pointer of its target) as an
 * object filled on first use. Spectral reads the root's map only to place a finding that lies
 * inside a referenced object; a document without such findings never needs its ~10^4 pointers
 * built and interned as property names. Each map is its own object, filled in the same order as
 * json-ref-resolver fills its own.
 */
function lazyRefMap(entries: ReadonlyArray<[from: Segment[], to: Segment[]]>): Record<string, string> {
  const target: Record<string, string> = {};
  let filled = false;
  const fill = (): Record<string, string> => {
    if (!filled) {
      filled = true;
      const pointers = new Map<Segment[], string>();
      for (const [from, to] of entries) {
        let pointer = pointers.get(to);
        if (pointer === undefined) {
          pointer = pathToPointer(to);
          pointers.set(to, pointer);
        }
        target[pathToPointer(from)] = pointer;
      }
    }
    return target;
  };
  return new Proxy(target, {
    get: (_target, key, receiver) => Reflect.get(fill(), key, receiver),
    has: (_target, key) => Reflect.has(fill(), key),
    ownKeys: () => Reflect.ownKeys(fill()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(fill(), key),
    set: (_target, key, value, receiver) => Reflect.set(fill(), key, value, receiver),
    deleteProperty: (_target, key) => Reflect.deleteProperty(fill(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(fill(), key, descriptor),
  });
}

/**
 * A resolver for `new Spectral({ resolver })` that resolves documents with only local references
 * here and passes any other document to Spectral's own resolver.
 */
export function createLocalRefResolver(): SpectralResolver {
  const spectralResolver = spectralRefResolver.createHttpAndFileResolver() as unknown as SpectralResolver;
  return {
    uriCache: spectralResolver.uriCache,
    async resolve(source, opts) {
      // Spectral's runner over an empty document: it computes references, the base URI and the
      // graph's root exactly as it will for the real one, and hands back its (near empty) graph.
      const probe = await spectralResolver.resolve({}, opts);
      const runner = probe.runner as ProbeRunner;
      try {
        const { result, refMap, rootRefMap, errors } = resolveLocal(source, runner, probe.graph);
        const rootData = probe.graph.getNodeData(runner.root);
        // The probe's own map of the root is empty (it resolved `{}`): the document's replaces it.
        probe.graph.setNodeData(runner.root, { ...rootData, refMap: rootRefMap, data: result });
        return { result, refMap, errors, graph: probe.graph, runner: probe.runner };
      } catch (error) {
        if (!(error instanceof NotLocal)) throw error;
        return spectralResolver.resolve(source, opts);
      }
    },
  };
}
