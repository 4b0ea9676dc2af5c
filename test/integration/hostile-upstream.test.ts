/**
 * No upstream behaviour can end the gateway or hang a client: statuses node:http parses but
 * cannot relay, garbage, oversize heads and bodies, resets mid-body, answers before the body was
 * read. Each in every response-validation mode, against raw TCP upstreams.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { startRawUpstream, type RawUpstream } from '../support/recording-upstream.js';

const FRAMING = join(import.meta.dirname, 'fixtures', 'gateway', 'framing-1.0.0.yaml');
const MODES = ['off', 'report', 'enforce'] as const;
const ITEM = '{"id":"1","name":"n"}';

function config(issuer: TestIssuer, upstream: string, mode: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
    identityProviders: [issuer.provider()],
    apis: [{ id: 'items', basePath: '/items', versions: [{ version: '1.0.0', upstream }], upstream: { timeoutMs: 5000, ...extra }, auth: { providers: ['test'] }, responseValidation: mode }],
  };
}

/** How the client saw the answer: a status and code, its connection cut, or nothing before the hang guard. */
type Outcome = { status: number; code: unknown } | { cut: true } | { hung: true };

/** Longer than the upstream timeout (5 s): a request still unanswered then is hung. */
const HANG_GUARD_MS = 8000;

async function call(gw: TestGateway, token: string, method = 'GET', body?: string): Promise<Outcome> {
  const path = method === 'POST' ? '/items/v1/items' : '/items/v1/items/1';
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const answered = rawRequest(gw.url, method, path, { headers, body }).then(
    (res): Outcome => ({ status: res.status, code: res.json?.code }),
    (): Outcome => ({ cut: true }),
  );
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ hung: true }), HANG_GUARD_MS)));
  try {
    return await Promise.race([answered, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Scripted answers of a hostile upstream. */
const head = (status: string, extra = ''): string => `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\n${extra}`;
const whole = (status: string, body = ITEM): ((s: Socket) => void) => (s) => s.end(`${head(status)}content-length: ${body.length}\r\n\r\n${body}`);

const INVALID: Array<[string, (socket: Socket) => void]> = [
  ['status 099', whole('099 Odd')],
  ['status 000', whole('000 Zero')],
  ['status 050', whole('050 Fifty')],
  ['status 600', whole('600 Beyond')],
  ['status 999', whole('999 Far')],
  ['status 101 to a request that asked no upgrade', (s) => s.end('HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: evil\r\n\r\n')],
  ['a status line that is not HTTP', (s) => s.end('SURPRISE 200 OK\r\n\r\n')],
  ['binary garbage', (s) => s.end(Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]))],
  ['a head over 16 KB', (s) => s.end(`${head('200 OK')}x-big: ${'a'.repeat(20_000)}\r\ncontent-length: ${ITEM.length}\r\n\r\n${ITEM}`)],
  ['both Content-Length and Transfer-Encoding', (s) => s.end(`${head('200 OK')}content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`)],
  ['a bad chunk size', (s) => s.end(`${head('200 OK')}transfer-encoding: chunked\r\n\r\nzz\r\n${ITEM}\r\n0\r\n\r\n`)],
];

describe('hostile upstream: answers the gateway cannot relay', () => {
  let issuer: TestIssuer;
  let token: string;
  before(async () => {
    issuer = await createTestIssuer();
    token = await issuer.token({ scope: 'items:read' });
  });

  for (const mode of MODES) {
    for (const [name, answer] of INVALID) {
      it(`${name} (${mode}): 502 UPSTREAM_INVALID_RESPONSE, or a cut connection once the head was relayed, and the gateway lives on`, async () => {
        const upstream = await startRawUpstream((socket) => answer(socket));
        const gw = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: config(issuer, upstream.url, mode) });
        try {
          const outcome = await call(gw, token);
          if (name === 'a bad chunk size' && mode !== 'enforce') {
            // The head is valid and already relayed when the body turns out to be garbage.
            assert.ok('cut' in outcome || ('status' in outcome && outcome.status === 502), JSON.stringify(outcome));
          } else {
            assert.deepEqual(outcome, { status: 502, code: 'UPSTREAM_INVALID_RESPONSE' });
          }
          const health = await rawRequest(gw.url, 'GET', '/healthz');
          assert.equal(health.status, 200, 'the process still serves');
        } finally {
          await gw.stop();
          await upstream.close();
        }
      });
    }
  }
});

describe('hostile upstream: a response cut short', () => {
  let issuer: TestIssuer;
  let token: string;
  before(async () => {
    issuer = await createTestIssuer();
    token = await issuer.token({ scope: 'items:read' });
  });

  const CUT: Array<[string, (socket: Socket) => void]> = [
    ['reset mid-body', (s) => {
      s.write(`${head('200 OK')}content-length: 100\r\n\r\n{"id":`);
      setTimeout(() => s.resetAndDestroy(), 50);
    }],
    ['closed before the declared length', (s) => {
      s.write(`${head('200 OK')}content-length: 100\r\n\r\n{"id":`);
      setTimeout(() => s.end(), 50);
    }],
    ['closed inside a chunked body', (s) => {
      s.write(`${head('200 OK')}transfer-encoding: chunked\r\n\r\n6\r\n{"id":\r\n`);
      setTimeout(() => s.end(), 50);
    }],
  ];
  for (const mode of MODES) {
    for (const [name, answer] of CUT) {
      it(`${name} (${mode}): the client is told at once (502 before the head, a cut connection after), never left waiting`, async () => {
        const upstream = await startRawUpstream(answer);
        const gw = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: config(issuer, upstream.url, mode) });
        try {
          // The upstream timeout is 5 s: an answer within 2 s is the gateway's, not the timeout's.
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([call(gw, token), new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 2000)))]);
          clearTimeout(timer);
          if (mode === 'enforce') assert.deepEqual(outcome, { status: 502, code: 'UPSTREAM_UNAVAILABLE' });
          else assert.deepEqual(outcome, { cut: true });
          assert.equal((await rawRequest(gw.url, 'GET', '/healthz')).status, 200);
          await new Promise((r) => setTimeout(r, 20));
          const access = gw.logs.find((l) => l.type === 'access' && l.route === '/items/{itemId}');
          assert.equal(access?.code, 'UPSTREAM_UNAVAILABLE', 'the access log names the failure');
        } finally {
          await gw.stop();
          await upstream.close();
        }
      });
    }
  }

  it('no answer at all: 502 UPSTREAM_UNAVAILABLE', async () => {
    const upstream = await startRawUpstream((s) => s.end());
    const gw = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: config(issuer, upstream.url, 'report') });
    try {
      assert.deepEqual(await call(gw, token), { status: 502, code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await gw.stop();
      await upstream.close();
    }
  });

  it('a body over maxResponseBytes in enforce mode: 502 RESPONSE_INVALID', async () => {
    const big = `{"id":"1","name":"${'n'.repeat(5000)}"}`;
    const upstream = await startRawUpstream(whole('200 OK', big));
    const gw = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: config(issuer, upstream.url, 'enforce', { maxResponseBytes: 1024 }) });
    try {
      assert.deepEqual(await call(gw, token), { status: 502, code: 'RESPONSE_INVALID' });
    } finally {
      await gw.stop();
      await upstream.close();
    }
  });
});

describe('hostile upstream: an answer before the request body was read', () => {
  let issuer: TestIssuer;
  let upstream: RawUpstream;
  let gw: TestGateway;
  before(async () => {
    issuer = await createTestIssuer();
    // Answers as soon as the head arrives, keeps the connection open, and never reads the body.
    upstream = await startRawUpstream((s) => s.write(`${head('201 Created')}content-length: ${ITEM.length}\r\n\r\n${ITEM}`), { stopReading: true });
    gw = await startTestGateway({ contracts: { 'items/1.0.0': FRAMING }, config: { ...config(issuer, upstream.url, 'enforce'), listen: { host: '127.0.0.1', port: 0, maxBodyBytes: 64_000_000, shutdownGraceMs: 500 } } });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('relays the early answer and never reuses that connection for the next request', async () => {
    const token = await issuer.token({ scope: 'items:read' });
    // Larger than the socket buffers, so the answer arrives while the body is still being written.
    const body = JSON.stringify({ name: 'x'.repeat(90), pad: 'p'.repeat(48_000_000) });
    for (let i = 1; i <= 2; i++) {
      const outcome = await call(gw, token, 'POST', body);
      assert.deepEqual(outcome, { status: 201, code: undefined }, `request ${i}`);
    }
    assert.equal(upstream.accepted(), 2, 'each request had a connection of its own');
  });
});
