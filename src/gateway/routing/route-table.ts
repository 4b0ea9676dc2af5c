/**
 * The routing table: maps `<basePath>/v<major>` prefixes and operation path templates to routes
 * with a segment trie built once at load, so lookup cost grows with the path's depth, not with
 * the number of operations.
 */
import { GatewayError } from '../../errors/problem.js';
import type { RequestPath } from './request-path.js';

/** What a path template segment matches. */
type SegmentMatcher = { kind: 'literal'; value: string } | { kind: 'param'; name: string } | { kind: 'pattern'; regex: RegExp; names: string[] };

interface TrieNode<R> {
  literals: Map<string, TrieNode<R>>;
  param: TrieNode<R> | undefined;
  patterns: Array<{ regex: RegExp; node: TrieNode<R> }>;
  /** method (upper case) -> route and the parameter names in template order. */
  endpoints: Map<string, { route: R; paramNames: string[] }> | undefined;
  allow: string | undefined;
}

function newNode<R>(): TrieNode<R> {
  return { literals: new Map(), param: undefined, patterns: [], endpoints: undefined, allow: undefined };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Parses one template segment such as `orders`, `{orderId}` or `{name}.{ext}`. */
function parseSegment(segment: string): SegmentMatcher {
  const full = /^\{([^{}]+)\}$/.exec(segment);
  if (full) return { kind: 'param', name: full[1]! };
  if (!segment.includes('{')) return { kind: 'literal', value: segment };
  const names: string[] = [];
  const source = segment.replace(/\{([^{}]+)\}|([^{}]+)/g, (_m, name: string | undefined, lit: string | undefined) => {
    if (name) {
      names.push(name);
      return '([^/]+?)';
    }
    return escapeRegex(lit ?? '');
  });
  return { kind: 'pattern', regex: new RegExp(`^${source}$`), names };
}

/**
 * A route found for a request: the value registered and the path parameters, still
 * percent-encoded (the validator splits styled values before decoding, so `%2C` stays a comma).
 */
export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

/** Operation routes of one served API version, keyed by path template and method. */
export class OperationTrie<R> {
  private readonly root = newNode<R>();

  /** Registers a route; `template` is an OpenAPI path such as `/orders/{orderId}`. Misuse throws. */
  add(method: string, template: string, route: R): void {
    const parts = template === '/' ? [''] : template.slice(1).split('/');
    let node = this.root;
    const paramNames: string[] = [];
    for (const part of parts) {
      const matcher = parseSegment(part);
      if (matcher.kind === 'literal') {
        let next = node.literals.get(matcher.value);
        if (!next) node.literals.set(matcher.value, (next = newNode()));
        node = next;
      } else if (matcher.kind === 'param') {
        paramNames.push(matcher.name);
        node = node.param ??= newNode();
      } else {
        paramNames.push(...matcher.names);
        let entry = node.patterns.find((p) => p.regex.source === matcher.regex.source);
        if (!entry) node.patterns.push((entry = { regex: matcher.regex, node: newNode() }));
        node = entry.node;
      }
    }
    node.endpoints ??= new Map();
    const upper = method.toUpperCase();
    if (node.endpoints.has(upper)) throw new TypeError(`duplicate route ${upper} ${template}`);
    node.endpoints.set(upper, { route, paramNames });
    // HEAD is served by the GET operation where the contract declares no HEAD of its own (RFC 9110 §9.3.2).
    const methods = new Set(node.endpoints.keys());
    if (methods.has('GET')) methods.add('HEAD');
    node.allow = [...methods].sort().join(', ');
  }

  /**
   * Finds the route for decoded segments. Literal segments win over parameters (OpenAPI's rule
   * that concrete paths match first). HEAD falls back to the GET operation when the path declares
   * no HEAD: the route (and so validation and scopes) is the GET one; the request keeps its
   * method. Throws ROUTE_NOT_FOUND or METHOD_NOT_ALLOWED (with Allow).
   */
  match(method: string, segments: readonly string[], rawSegments: readonly string[], from: number): RouteMatch<R> {
    const values: string[] = [];
    const node = this.walk(this.root, segments, rawSegments, from, values);
    if (!node?.endpoints) throw new GatewayError('ROUTE_NOT_FOUND', 'no operation of this API matches the path');
    const endpoint = node.endpoints.get(method) ?? (method === 'HEAD' ? node.endpoints.get('GET') : undefined);
    if (!endpoint) {
      throw new GatewayError('METHOD_NOT_ALLOWED', `method ${method} is not allowed here; allowed: ${node.allow}`, {
        headers: { allow: node.allow ?? '' },
      });
    }
    const params: Record<string, string> = {};
    for (let i = 0; i < endpoint.paramNames.length; i++) params[endpoint.paramNames[i]!] = values[i]!;
    return { route: endpoint.route, params };
  }

  private walk(node: TrieNode<R>, segments: readonly string[], raw: readonly string[], i: number, values: string[]): TrieNode<R> | undefined {
    if (i === segments.length) return node.endpoints ? node : undefined;
    const segment = segments[i]!;
    const literal = node.literals.get(segment);
    if (literal) {
      const found = this.walk(literal, segments, raw, i + 1, values);
      if (found) return found;
    }
    // An empty segment ('//' or a trailing '/') never binds a parameter.
    if (segment === '') return undefined;
    if (node.param) {
      values.push(raw[i]!);
      const found = this.walk(node.param, segments, raw, i + 1, values);
      if (found) return found;
      values.pop();
    }
    for (const { regex, node: next } of node.patterns) {
      const m = regex.exec(raw[i]!);
      if (!m) continue;
      const captured = m.slice(1);
      values.push(...captured);
      const found = this.walk(next, segments, raw, i + 1, values);
      if (found) return found;
      values.length -= captured.length;
    }
    return undefined;
  }
}

interface PrefixNode<V> {
  children: Map<string, PrefixNode<V>>;
  entry: { value: V; depth: number } | undefined;
}

/**
 * Served API versions keyed by their public prefix segments (`orders/v1`), in a segment trie: a
 * lookup walks the path's first segments without building a key. The longest prefix wins.
 */
export class PrefixTable<V> {
  private readonly root: PrefixNode<V> = { children: new Map(), entry: undefined };

  /** Registers a prefix such as `/orders/v1`. Misuse (duplicate) throws. */
  add(prefix: string, value: V): void {
    const segments = prefix.slice(1).split('/');
    let node = this.root;
    for (const segment of segments) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map(), entry: undefined }));
      node = child;
    }
    if (node.entry) throw new TypeError(`duplicate prefix ${prefix}`);
    node.entry = { value, depth: segments.length };
  }

  /** The value whose prefix starts the path, and how many segments the prefix takes. */
  match(path: RequestPath): { value: V; depth: number } | undefined {
    let node: PrefixNode<V> | undefined = this.root;
    let found: { value: V; depth: number } | undefined;
    for (let i = 0; i < path.segments.length; i++) {
      node = node.children.get(path.segments[i]!);
      if (!node) break;
      if (node.entry) found = node.entry;
    }
    return found;
  }
}
