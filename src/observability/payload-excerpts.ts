/**
 * Payload excerpts: an opt-in debugging aid (`apis[].payloadExcerpts`) that logs, at debug level, a
 * bounded excerpt of each JSON request and response body of an API, with the fields its contract
 * marks sensitive masked by pointer (compiled once per operation) and credentials masked by the
 * logger as on every line. Off by default: an API without it adds no step.
 */
import type { Logger } from './logger.js';
import type { SensitiveFields } from '../contracts/compile/index.js';

/** What replaces a field the contract marks sensitive. */
export const MASKED = '[masked]';

/** `apis[].payloadExcerpts`. */
export interface PayloadExcerptsConfig {
  enabled: boolean;
  maxBytes: number;
}

/** A node of the pointer trie: its children by token (`*`: any key or index), and whether a pointer ends here. */
interface PointerNode {
  readonly children: Map<string, PointerNode>;
  end: boolean;
}

/** Pointers compiled into a trie (built at load). */
export class SensitivePointers {
  private readonly root: PointerNode = { children: new Map(), end: false };

  constructor(pointers: readonly string[]) {
    for (const pointer of pointers) {
      let node = this.root;
      const tokens = pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
      for (const token of tokens) {
        let child = node.children.get(token);
        if (!child) node.children.set(token, (child = { children: new Map(), end: false }));
        node = child;
      }
      node.end = true;
    }
  }

  /** True when nothing is sensitive. */
  get isEmpty(): boolean {
    return this.root.children.size === 0 && !this.root.end;
  }

  /** A copy of `value` with every sensitive field masked (depth-bounded like the logger). */
  mask(value: unknown): unknown {
    return maskAt(value, [this.root], 0);
  }
}

function maskAt(value: unknown, nodes: readonly PointerNode[], depth: number): unknown {
  if (nodes.some((n) => n.end)) return MASKED;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 32) return '[depth]';
  const step = (key: string): PointerNode[] => {
    const next: PointerNode[] = [];
    for (const n of nodes) {
      const exact = n.children.get(key);
      if (exact) next.push(exact);
      const any = n.children.get('*');
      if (any) next.push(any);
    }
    return next;
  };
  if (Array.isArray(value)) return value.map((v, i) => {
    const next = step(String(i));
    return next.length === 0 ? v : maskAt(v, next, depth + 1);
  });
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const next = step(key);
    const v = (value as Record<string, unknown>)[key];
    out[key] = next.length === 0 ? v : maskAt(v, next, depth + 1);
  }
  return out;
}

/** The excerpt text: masked JSON, cut to `maxBytes` characters (with `…` when cut). */
export function excerptOf(value: unknown, pointers: SensitivePointers, maxBytes: number): string {
  const text = JSON.stringify(pointers.mask(value)) ?? '';
  return text.length > maxBytes ? `${text.slice(0, maxBytes)}…` : text;
}

/** The excerpt loggers of one operation, built at load. */
export interface OperationExcerpts {
  request(requestId: string, body: unknown): void;
  response(requestId: string, status: number, contentType: string | undefined, body: Buffer): void;
}

/** Builds the excerpt loggers of one operation; undefined when the API does not enable them. */
export function operationExcerpts(config: PayloadExcerptsConfig | undefined, fields: SensitiveFields | undefined, labels: { api: string; version: string; operation: string }, logger: Logger): OperationExcerpts | undefined {
  if (!config?.enabled) return undefined;
  const request = new SensitivePointers(fields?.request ?? []);
  const responses = new Map<string, SensitivePointers>();
  for (const [status, pointers] of fields?.responses ?? []) responses.set(status, new SensitivePointers(pointers));
  const none = new SensitivePointers([]);
  // The response's schema is the declared status's, else its range's (`4XX`), else `default`.
  const forStatus = (status: number): SensitivePointers => responses.get(String(status)) ?? responses.get(`${String(status)[0]}XX`) ?? responses.get('default') ?? none;
  const { maxBytes } = config;
  return {
    request(requestId, body) {
      if (body === undefined || !logger.isLevelEnabled('debug')) return;
      logger.debug({ requestId, ...labels, excerpt: excerptOf(body, request, maxBytes) }, 'request payload excerpt');
    },
    response(requestId, status, contentType, body) {
      if (!logger.isLevelEnabled('debug') || body.length === 0 || !contentType || !/json/i.test(contentType)) return;
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        logger.debug({ requestId, ...labels, status, size: body.length }, 'response payload excerpt: the body is not JSON');
        return;
      }
      logger.debug({ requestId, ...labels, status, excerpt: excerptOf(value, forStatus(status), maxBytes) }, 'response payload excerpt');
    },
  };
}
