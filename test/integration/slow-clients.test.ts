/** Slow clients: a request head or body trickled byte by byte is cut off by the configured limits, on every request of a connection. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
const TRICKLE_EVERY_MS = 200;

/** What a trickling client saw. */
interface TrickleOutcome {
  /** The server closed the connection before the client gave up. */
  closedByServer: boolean;
  /** Everything the server sent, as text. */
  received: string;
}

/**
 * Opens a connection, sends `opening` at once, then one piece of `pieces` every TRICKLE_EVERY_MS
 * (starting over when they run out), until the server closes the connection or `giveUpMs` passes.
 */
function trickle(port: number, opening: string, pieces: string[], giveUpMs: number): Promise<TrickleOutcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let next = 0;
    let interval: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    function finish(closedByServer: boolean): void {
      clearTimeout(giveUp);
      clearInterval(interval);
      socket.destroy();
      resolve({ closedByServer, received: Buffer.concat(chunks).toString('latin1') });
    }
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the server's answer is the server closing too.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('connect', () => {
      socket.write(opening);
      interval = setInterval(() => {
        if (socket.writable && pieces.length > 0) socket.write(pieces[next++ % pieces.length]!);
      }, TRICKLE_EVERY_MS);
    });
  });
}

/** The status codes of every response in what the server sent, in order. */
function statuses(received: string): number[] {
  return [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

describe('slow clients', () => {
  let issuer: TestIssuer;
  let upstream: TestUpstream;
  let gw: TestGateway;
  let port: number;
  let writer: string;

  before(async () => {
    issuer = await createTestIssuer();
    upstream = await startUpstream(json(200, { status: 'ok' }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0, headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: 10_000 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] } }],
      },
    });
    port = Number(new URL(gw.url).port);
    writer = await issuer.token({ scope: 'items:read items:write' });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  const complete = 'GET /shop/v1/public/status HTTP/1.1\r\nhost: shop\r\n\r\n';
  const postHead = (token: string, length: number): string =>
    `POST /shop/v1/items HTTP/1.1\r\nhost: shop\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;
  const cases: Array<{ name: string; opening: () => string; pieces: string[]; limitMs: number; statuses: number[] }> = [
    {
      name: 'a request head trickled one byte at a time is answered 408 and closed within the headers timeout',
      opening: () => 'GET /shop/v1/public/status HTTP/1.1\r\nhost: shop\r\n',
      pieces: ['x'],
      limitMs: HEADERS_TIMEOUT_MS,
      statuses: [408],
    },
    {
      name: 'a request head trickled one header line at a time is answered 408 and closed within the headers timeout',
      opening: () => 'GET /shop/v1/public/status HTTP/1.1\r\nhost: shop\r\n',
      pieces: ['x-slow: 1\r\n'],
      limitMs: HEADERS_TIMEOUT_MS,
      statuses: [408],
    },
    {
      name: 'a request body trickled one byte at a time is answered 408 and closed within the request timeout',
      opening: () => postHead(writer, 10_000),
      pieces: [' '],
      limitMs: REQUEST_TIMEOUT_MS,
      statuses: [408],
    },
    {
      name: "a keep-alive connection's second request head trickled gets the same headers timeout",
      opening: () => `${complete}GET /shop/v1/public/status HTTP/1.1\r\nhost: shop\r\n`,
      pieces: ['x'],
      limitMs: HEADERS_TIMEOUT_MS,
      statuses: [200, 408],
    },
    {
      name: "a keep-alive connection's second request body trickled gets the same request timeout",
      opening: () => `${complete}${postHead(writer, 10_000)}`,
      pieces: [' '],
      limitMs: REQUEST_TIMEOUT_MS,
      statuses: [200, 408],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      // A hang guard three times the limit: without enforcement the connection outlives it.
      const outcome = await trickle(port, c.opening(), c.pieces, 3 * c.limitMs);
      assert.equal(outcome.closedByServer, true, `still open after ${3 * c.limitMs} ms; received: ${outcome.received}`);
      assert.deepEqual(statuses(outcome.received), c.statuses, outcome.received);
      if (c.statuses.at(-1) === 408) assert.match(outcome.received, /"code":"REQUEST_TIMEOUT"/);
    });
  }
});
