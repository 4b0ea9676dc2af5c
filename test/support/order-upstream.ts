/**
 * The orders upstream of the Idempotency-Key tests: it numbers every write it receives, so a
 * test sees exactly how many reached it, and answers by the order's `sku`: `big` gets a large
 * body, `off-contract` a JSON array where the contract says object, `chunked` a
 * body in chunks without Content-Length, `fail-once` a 503 the first time, `slow` waits until the test lets it answer.
 */
import type { ServerResponse } from 'node:http';
import { startUpstream, type ReceivedRequest, type TestUpstream } from './upstream.js';

/** A running orders upstream. */
export interface OrderUpstream {
  upstream: TestUpstream;
  url: string;
  /** Writes (POST and PATCH) received, in order. */
  writes(): ReceivedRequest[];
  /** Resolves when the next `slow` write has arrived (it is held until `release`). */
  nextHeld(): Promise<void>;
  /** Lets every held write answer. */
  release(): void;
  close(): Promise<void>;
}

/** Answers a write: 201 (PATCH: 200) with its sequence number in a header and the body. */
function answer(seq: number, req: ReceivedRequest, res: ServerResponse): void {
  const order = JSON.parse(req.body.toString('utf8') || '{}') as { sku?: string };
  const padding = order.sku === 'big' ? 'x'.repeat(600) : '';
  const body = order.sku === 'off-contract' ? JSON.stringify([seq]) : JSON.stringify({ seq, sku: order.sku, padding });
  if (order.sku === 'chunked') {
    res.writeHead(201, { 'content-type': 'application/json', 'x-order-seq': String(seq) });
    res.write(body.slice(0, 5));
    res.end(body.slice(5));
    return;
  }
  res.writeHead(req.method === 'PATCH' ? 200 : 201, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-order-seq': String(seq),
    'set-cookie': ['order=1; Path=/', 'seen=yes; Path=/'],
  });
  res.end(body);
}

/** Starts the orders upstream. */
export async function startOrderUpstream(): Promise<OrderUpstream> {
  const writes: ReceivedRequest[] = [];
  const failed = new Set<string>();
  const held: Array<() => void> = [];
  let onHeld: (() => void) | undefined;
  const upstream = await startUpstream((req, res) => {
    if (req.method !== 'POST' && req.method !== 'PATCH') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    writes.push(req);
    const seq = writes.length;
    const sku = (JSON.parse(req.body.toString('utf8') || '{}') as { sku?: string }).sku;
    const key = String(req.headers['idempotency-key']);
    if (sku === 'fail-once' && !failed.has(key)) {
      failed.add(key);
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
      return;
    }
    if (sku === 'slow') {
      held.push(() => answer(seq, req, res));
      const notify = onHeld;
      onHeld = undefined;
      notify?.();
      return;
    }
    answer(seq, req, res);
  });
  return {
    upstream,
    url: upstream.url,
    writes: () => writes,
    nextHeld: () => new Promise<void>((resolve) => (onHeld = resolve)),
    release() {
      for (const go of held.splice(0)) go();
    },
    close: () => upstream.close(),
  };
}
