/**
 * Resilient upstreams against real upstream servers on loopback: balancing and ejection, the
 * circuit breaker and its recovery, retries (never of a POST without an Idempotency-Key) within
 * the retry budget, the connect, first-byte and total timeouts, and chaos (an upstream that dies
 * mid-response, hangs, returns garbage, flaps or is slow only sometimes). Every wait is bounded.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import http, { type ServerResponse } from 'node:http';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';
import { startRecordingUpstream, startRawUpstream, answerItem, type ParsedRequest, type RecordingUpstream, type RawUpstream } from '../support/recording-upstream.js';

const FRAMING = join(import.meta.dirname, 'fixtures', 'gateway', 'framing-1.0.0.yaml');
const ITEM = '{"id":"1","name":"n"}';

let issuer: TestIssuer;
let token: string;
const closers: Array<() => Promise<void>> = [];

before(async () => {
  issuer = await createTestIssuer();
  token = await issuer.token({ scope: 'items:read' });
});

after(async () => {
  for (const close of closers.reverse()) await close();
});

async function recording(answer?: (req: ParsedRequest, res: ServerResponse) => void): Promise<RecordingUpstream> {
  const upstream = await startRecordingUpstream(answer);
  closers.push(() => upstream.close());
  return upstream;
}

async function raw(answer: (socket: net.Socket, head: string) => void): Promise<RawUpstream> {
  const upstream = await startRawUpstream(answer);
  closers.push(() => upstream.close());
  return upstream;
}

async function gateway(upstream: Record<string, unknown>, responseValidation = 'off'): Promise<TestGateway> {
  const gw = await startTestGateway({
    contracts: { 'items/1.0.0': FRAMING },
    config: {
      listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
      identityProviders: [issuer.provider()],
      apis: [{ id: 'items', basePath: '/items', versions: [{ version: '1.0.0' }], upstream, auth: { providers: ['test'] }, responseValidation }],
    },
  });
  closers.push(() => gw.stop());
  return gw;
}

function get(gw: TestGateway, path = '/items/v1/items/1'): Promise<RawResponse> {
  return rawRequest(gw.url, 'GET', path, { headers: { authorization: `Bearer ${token}` } });
}

function post(gw: TestGateway, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(gw.url, 'POST', '/items/v1/items', { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: '{"name":"n"}' });
}

/** The access-log lines of the gateway, in order. */
function accessLines(gw: TestGateway): Array<Record<string, unknown>> {
  return gw.logs.filter((l) => l.type === 'access');
}

async function metricsText(gw: TestGateway): Promise<string> {
  return gw.running.gateway.metrics!.registry.metrics();
}

/** Waits (at most `tries` × `ms`) until `done` holds. */
async function until(done: () => boolean | Promise<boolean>, tries = 100, ms = 50): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, ms));
  }
  assert.fail('condition not reached within the bounded wait');
}

const okItem = (_req: ParsedRequest, res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': ITEM.length });
  res.end(ITEM);
};
const status = (code: number) => (_req: ParsedRequest, res: ServerResponse): void => {
  const body = JSON.stringify({ error: code });
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
};

describe('balancing', () => {
  it('round-robin spreads requests over both targets, and the access log names attempt and target', async () => {
    const a = await recording(okItem);
    const b = await recording(okItem);
    const gw = await gateway({ targets: [{ url: a.url }, { url: b.url }] });
    for (let i = 0; i < 10; i++) assert.equal((await get(gw)).status, 200);
    assert.equal(a.requests.length, 5);
    assert.equal(b.requests.length, 5);
    const targets = accessLines(gw).map((l) => l.target);
    assert.deepEqual(new Set(targets), new Set([a.url, b.url]));
    assert.ok(accessLines(gw).every((l) => l.attempts === 1));
  });

  it('weights share the requests', async () => {
    const a = await recording(okItem);
    const b = await recording(okItem);
    const gw = await gateway({ targets: [{ url: a.url, weight: 3 }, { url: b.url }] });
    for (let i = 0; i < 8; i++) assert.equal((await get(gw)).status, 200);
    assert.equal(a.requests.length, 6);
    assert.equal(b.requests.length, 2);
  });

  it('least-outstanding sends nothing more to a target that holds a request', async () => {
    const held: ServerResponse[] = [];
    const slow = await recording((_req, res) => held.push(res));
    const fast = await recording(okItem);
    const gw = await gateway({ targets: [{ url: slow.url }, { url: fast.url }], balancing: 'least-outstanding', timeoutMs: 5000 });
    const pending = get(gw);
    await until(() => slow.requests.length === 1);
    for (let i = 0; i < 4; i++) assert.equal((await get(gw)).status, 200);
    assert.equal(fast.requests.length, 4);
    assert.equal(slow.requests.length, 1);
    okItem(slow.requests[0]!, held[0]!);
    assert.equal((await pending).status, 200);
  });

  it('a version\'s own targets override the API\'s', async () => {
    const api = await recording(okItem);
    const own = await recording(okItem);
    const gw = await startTestGateway({
      contracts: { 'items/1.0.0': FRAMING },
      config: {
        listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'items', basePath: '/items', versions: [{ version: '1.0.0', targets: [{ url: own.url }] }], upstream: { url: api.url }, auth: { providers: ['test'] }, responseValidation: 'off' }],
      },
    });
    closers.push(() => gw.stop());
    assert.equal((await get(gw)).status, 200);
    assert.equal(own.requests.length, 1);
    assert.equal(api.requests.length, 0);
  });
});

describe('passive health (outlier detection)', () => {
  it('ejects the failing target after N consecutive failures, and takes it back after T', async () => {
    const good = await recording(okItem);
    const bad = await recording(status(500));
    const gw = await gateway({ targets: [{ url: good.url }, { url: bad.url }], outlierDetection: { consecutiveFailures: 3, ejectionMs: 2500, maxEjectionPercent: 50 } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await get(gw)).status);
    // Round-robin until the third failure, then the good target alone.
    assert.equal(bad.requests.length, 3);
    assert.equal(good.requests.length, 9);
    assert.equal(statuses.filter((s) => s === 500).length, 3);
    assert.match(await metricsText(gw), new RegExp(`accord_upstream_target_ejected\\{api="items",version="1.0.0",target="${bad.url}"\\} 1`));
    assert.match(await metricsText(gw), new RegExp(`accord_upstream_ejections_total\\{api="items",version="1.0.0",target="${bad.url}"\\} 1`));
    assert.ok(gw.logs.some((l) => l.msg === 'upstream target ejected after 3 consecutive failures' && l.target === bad.url));
    bad.respond(okItem);
    await until(() => gw.logs.some((l) => l.msg === 'upstream target back in balancing after its ejection'), 100, 100);
    for (let i = 0; i < 4; i++) assert.equal((await get(gw)).status, 200);
    assert.equal(bad.requests.length, 5);
    assert.match(await metricsText(gw), new RegExp(`accord_upstream_target_ejected\\{api="items",version="1.0.0",target="${bad.url}"\\} 0`));
  });

  it('never ejects more than the cap: with both targets failing, one stays in balancing', async () => {
    const a = await recording(status(503));
    const b = await recording(status(503));
    const gw = await gateway({ targets: [{ url: a.url }, { url: b.url }], outlierDetection: { consecutiveFailures: 2, ejectionMs: 60000, maxEjectionPercent: 100 } });
    for (let i = 0; i < 10; i++) assert.equal((await get(gw)).status, 503);
    // 100 % of two targets is two: both may go, and then the request is refused at once.
    const refused = (await metricsText(gw)).match(/accord_upstream_unavailable_total\{api="items",version="1.0.0",reason="no-healthy-target"\} (\d+)/);
    assert.ok(refused && Number(refused[1]) > 0);
    const capped = await gateway({ targets: [{ url: a.url }, { url: b.url }], outlierDetection: { consecutiveFailures: 2, ejectionMs: 60000, maxEjectionPercent: 50 } });
    const before = a.requests.length + b.requests.length;
    for (let i = 0; i < 10; i++) assert.equal((await get(capped)).status, 503);
    // Every request reached an upstream: one target is always left.
    assert.equal(a.requests.length + b.requests.length - before, 10);
    assert.ok(capped.logs.some((l) => typeof l.msg === 'string' && l.msg.includes('the ejection cap (maxEjectionPercent) is reached')));
  });
});

describe('active health checks', () => {
  it('takes a target out after failed checks and back after passing ones', async () => {
    let healthy = true;
    const a = await recording((req, res) => (req.url === '/health' ? status(healthy ? 200 : 503)(req, res) : okItem(req, res)));
    const b = await recording((req, res) => (req.url === '/health' ? status(200)(req, res) : okItem(req, res)));
    const gw = await gateway({ targets: [{ url: a.url }, { url: b.url }], healthCheck: { path: '/health', intervalMs: 600, timeoutMs: 500, unhealthyThreshold: 2, healthyThreshold: 2 } });
    healthy = false;
    await until(() => gw.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('upstream target unhealthy') && l.target === a.url), 100, 100);
    const served = (): number => a.requests.filter((r) => r.url !== '/health').length;
    const before = served();
    for (let i = 0; i < 6; i++) assert.equal((await get(gw)).status, 200);
    assert.equal(served(), before);
    assert.match(await metricsText(gw), new RegExp(`accord_upstream_target_healthy\\{api="items",version="1.0.0",target="${a.url}"\\} 0`));
    healthy = true;
    await until(() => gw.logs.some((l) => l.msg === 'upstream target passes its health checks again'), 100, 100);
    for (let i = 0; i < 6; i++) assert.equal((await get(gw)).status, 200);
    assert.ok(served() > before);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures (503 at once with Retry-After), and closes through a successful half-open probe', async () => {
    const upstream = await recording(status(500));
    const gw = await gateway({ url: undefined, targets: [{ url: upstream.url }], circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 3000 } });
    for (let i = 0; i < 3; i++) assert.equal((await get(gw)).status, 500);
    const open = await get(gw);
    assert.equal(open.status, 503);
    assert.equal(open.json?.code, 'UPSTREAM_UNAVAILABLE');
    assert.match(String(open.headers['retry-after']), /^[23]$/);
    assert.match(String(open.json?.detail), /circuit breaker is open/);
    assert.equal(upstream.requests.length, 3);
    assert.match(await metricsText(gw), new RegExp(`accord_upstream_circuit_state\\{api="items",version="1.0.0",target="${upstream.url}"\\} 1`));
    assert.ok(gw.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('upstream circuit opened')));
    upstream.respond(okItem);
    // Refused at once until the break is over; then the probe goes through and closes the circuit.
    let last: RawResponse | undefined;
    await until(async () => (last = await get(gw)).status !== 503, 80, 100);
    assert.equal(last!.status, 200);
    assert.equal(upstream.requests.length, 4);
    for (let i = 0; i < 3; i++) assert.equal((await get(gw)).status, 200);
    assert.match(await metricsText(gw), new RegExp(`accord_upstream_circuit_state\\{api="items",version="1.0.0",target="${upstream.url}"\\} 0`));
    assert.ok(gw.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('upstream circuit half-open')));
    assert.ok(gw.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('upstream circuit closed')));
  });

  it('a failed probe opens the circuit again', async () => {
    const upstream = await recording(status(502));
    const gw = await gateway({ url: upstream.url, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 1500 } });
    for (let i = 0; i < 2; i++) assert.equal((await get(gw)).status, 502);
    assert.equal((await get(gw)).status, 503);
    await until(async () => (await get(gw)).status === 502, 60, 100);
    assert.equal(upstream.requests.length, 3);
    const again = await get(gw);
    assert.equal(again.status, 503);
    assert.match(String(again.headers['retry-after']), /^[12]$/);
    assert.equal(upstream.requests.length, 3);
  });

  it('with several targets, an open target is skipped; 503 only when none is left', async () => {
    const bad = await recording(status(500));
    const good = await recording(okItem);
    const gw = await gateway({ targets: [{ url: bad.url }, { url: good.url }], circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 60000 } });
    for (let i = 0; i < 10; i++) await get(gw);
    assert.equal(bad.requests.length, 2);
    assert.equal(good.requests.length, 8);
  });
});

describe('retries', () => {
  it('never repeat a POST without an Idempotency-Key; with one, and for a GET, they do', async () => {
    const upstream = await recording(status(503));
    const gw = await gateway({ url: upstream.url, retries: { attempts: 3, on: ['gateway-error'], backoffBaseMs: 1, backoffMaxMs: 5, budget: { minRetriesPerSecond: 100 } } });
    const first = await post(gw);
    assert.equal(first.status, 503);
    assert.equal(upstream.requests.length, 1);
    const keyed = await post(gw, { 'idempotency-key': '"k-1"' });
    assert.equal(keyed.status, 503);
    assert.equal(upstream.requests.length, 5);
    // Every attempt carried exactly the validated bytes.
    assert.ok(upstream.requests.slice(1).every((r) => r.method === 'POST' && r.body.toString() === '{"name":"n"}' && r.headers['content-length'] === '12'));
    assert.equal((await get(gw)).status, 503);
    assert.equal(upstream.requests.length, 9);
    const lines = accessLines(gw);
    assert.deepEqual(lines.map((l) => l.attempts), [1, 4, 4]);
    assert.match(await metricsText(gw), /accord_upstream_retries_total\{api="items",version="1.0.0",reason="gateway-error"\} 6/);
  });

  it('a retry goes to the other target, and the client sees only the answer that succeeded', async () => {
    const down = await raw((socket) => socket.destroy());
    const up = await recording(okItem);
    const gw = await gateway({ targets: [{ url: down.url }, { url: up.url }], retries: { attempts: 1, backoffBaseMs: 1, backoffMaxMs: 2, budget: { minRetriesPerSecond: 100 } } });
    for (let i = 0; i < 4; i++) {
      const res = await get(gw);
      assert.equal(res.status, 200);
      assert.equal(res.text, ITEM);
    }
    assert.equal(up.requests.length, 4);
    const retried = accessLines(gw).filter((l) => l.attempts === 2);
    assert.equal(retried.length, down.accepted());
    assert.ok(retried.every((l) => l.target === up.url));
  });

  it('the retry budget holds under a full outage: upstream attempts stay bounded', async () => {
    const dead = await raw((socket) => socket.destroy());
    const gw = await gateway({ url: dead.url, retries: { attempts: 3, on: ['reset', 'connect-failure'], backoffBaseMs: 0, backoffMaxMs: 0, budget: { ratio: 0.1, minRetriesPerSecond: 0, windowSeconds: 60 } } });
    for (let i = 0; i < 30; i++) {
      const res = await get(gw);
      assert.equal(res.status, 502);
      assert.equal(res.json?.code, 'UPSTREAM_UNAVAILABLE');
    }
    // Without the budget: 30 × 4 = 120 attempts. With 10 % of 30 requests: at most 3 retries.
    assert.ok(dead.accepted() <= 33, `attempts: ${dead.accepted()}`);
    assert.ok(dead.accepted() > 30, `attempts: ${dead.accepted()}`);
    assert.match(await metricsText(gw), /accord_upstream_retry_budget_exhausted_total\{api="items",version="1.0.0"\} \d+/);
    assert.ok(gw.logs.some((l) => l.msg === 'upstream attempt failed and not retried: the retry budget is spent'));
  });

  it('never retry once a byte of the response went to the client (an upstream that dies mid-response)', async () => {
    const dying = await raw((socket) => socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":`, () => socket.destroy()));
    const gw = await gateway({ url: dying.url, retries: { attempts: 3, on: ['reset', 'connect-failure', 'timeout'], backoffBaseMs: 1, backoffMaxMs: 2, budget: { minRetriesPerSecond: 100 } } });
    await assert.rejects(get(gw));
    assert.equal(dying.accepted(), 1);
    await until(() => accessLines(gw).length === 1);
    assert.equal(accessLines(gw)[0]!.attempts, 1);
    // The gateway lives on.
    assert.equal((await rawRequest(gw.url, 'GET', '/healthz')).status, 200);
  });
});

/** A listener whose accept queue is full: a new connection to it never completes (SYNs are dropped). */
async function unacceptingPort(): Promise<{ port: number; fill: net.Socket[]; child: ChildProcess }> {
  const script = "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{require('fs').writeSync(1,s.address().port+'\\n');Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0)})";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('listener exited')));
  });
  // Fill the accept queue: connections complete until it is full, then they hang.
  const fill: net.Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fill.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  return { port, fill, child };
}

describe('timeouts', () => {
  it('connect: 504 UPSTREAM_TIMEOUT naming the connect deadline', async (t) => {
    const listener = await unacceptingPort();
    closers.push(async () => {
      for (const s of listener.fill) s.destroy();
      listener.child.kill('SIGKILL');
    });
    if (listener.fill.length === 16) {
      // Linux drops SYNs to a full accept queue; a kernel that does not leaves nothing to time out against.
      if (process.env.CI === 'true') assert.fail('every connection was accepted: no full accept queue to time out against');
      t.skip('this kernel accepted every connection: no full accept queue to time out against');
      return;
    }
    const gw = await gateway({ url: `http://127.0.0.1:${listener.port}`, connectTimeoutMs: 300, timeoutMs: 5000 });
    const res = await get(gw);
    assert.equal(res.status, 504);
    assert.equal(res.json?.code, 'UPSTREAM_TIMEOUT');
    assert.equal(res.json?.detail, 'the upstream did not accept a connection within 300 ms');
    assert.ok(gw.logs.some((l) => l.deadline === 'connect' && l.reason === 'timeout'));
    // With a first-byte deadline beside it and a retry on timeout, the request moves to the other target.
    const good = await recording(okItem);
    const retrying = await gateway({
      targets: [{ url: `http://127.0.0.1:${listener.port}` }, { url: good.url }],
      connectTimeoutMs: 300,
      firstByteTimeoutMs: 1000,
      timeoutMs: 5000,
      retries: { attempts: 1, on: ['timeout'], backoffBaseMs: 1, backoffMaxMs: 2, budget: { minRetriesPerSecond: 100 } },
    });
    for (let i = 0; i < 2; i++) assert.equal((await get(retrying)).status, 200);
    assert.equal(good.requests.length, 2);
    assert.deepEqual(accessLines(retrying).map((l) => l.attempts).sort(), [1, 2]);
  });

  it('first byte: an upstream that hangs gives 504 naming the first-byte deadline', async () => {
    const hanging = await recording(() => undefined);
    const gw = await gateway({ url: hanging.url, firstByteTimeoutMs: 300, timeoutMs: 5000 });
    const res = await get(gw);
    assert.equal(res.status, 504);
    assert.equal(res.json?.detail, 'the upstream did not send its response head within 300 ms');
  });

  it('total: an upstream that hangs mid-body gives 504 naming the total deadline (body buffered for validation)', async () => {
    const stalling = await raw((socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":`));
    const gw = await gateway({ url: stalling.url, firstByteTimeoutMs: 1000, timeoutMs: 1500 }, 'enforce');
    const res = await get(gw);
    assert.equal(res.status, 504);
    assert.equal(res.json?.detail, 'the upstream did not answer within 1500 ms');
    assert.ok(gw.logs.some((l) => l.deadline === 'total'));
  });

  it('slow only sometimes: a first-byte timeout is retried and every client gets 200', async () => {
    let n = 0;
    const held: ServerResponse[] = [];
    const sometimes = await recording((req, res) => (++n % 3 === 0 ? held.push(res) : answerItem(req, res)));
    const gw = await gateway({ url: sometimes.url, firstByteTimeoutMs: 500, timeoutMs: 5000, retries: { attempts: 2, on: ['timeout'], backoffBaseMs: 1, backoffMaxMs: 2, budget: { minRetriesPerSecond: 100 } } });
    for (let i = 0; i < 6; i++) assert.equal((await get(gw)).status, 200);
    assert.ok(accessLines(gw).some((l) => l.attempts === 2));
    for (const res of held) res.destroy();
  });
});

describe('connection pools', () => {
  it('maxSockets caps the connections to a target: a second request waits for the first one\'s connection', async () => {
    const held: ServerResponse[] = [];
    const upstream = await recording((_req, res) => held.push(res));
    const gw = await gateway({ url: upstream.url, pool: { maxSockets: 1 }, timeoutMs: 5000 });
    const first = get(gw);
    const second = get(gw);
    await until(() => upstream.requests.length === 1);
    // Give the second request every chance to open a connection of its own (it must not).
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(upstream.connections.length, 1);
    assert.equal(upstream.requests.length, 1);
    okItem(upstream.requests[0]!, held[0]!);
    assert.equal((await first).status, 200);
    await until(() => upstream.requests.length === 2);
    okItem(upstream.requests[1]!, held[1]!);
    assert.equal((await second).status, 200);
    assert.equal(upstream.connections.length, 1);
    assert.equal(upstream.requests[1]!.connection, 0);
  });

  it('idleTimeoutMs closes an idle kept-alive connection', async () => {
    let closed = 0;
    const upstream = await recording(okItem);
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => okItem({} as ParsedRequest, res));
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: net.Socket) => socket.on('close', () => closed++));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const gw = await gateway({ targets: [{ url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` }, { url: upstream.url }], pool: { idleTimeoutMs: 200 } });
    assert.equal((await get(gw)).status, 200);
    await until(() => closed === 1, 100, 50);
  });
});

describe('reload', () => {
  it('keeps the per-target series of a target still served after a reload', async () => {
    const upstream = await recording(okItem);
    const gw = await gateway({ url: upstream.url, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 1000 }, outlierDetection: {} });
    const series = new RegExp(`accord_upstream_circuit_state\\{api="items",version="1.0.0",target="${upstream.url}"\\} 0`);
    assert.match(await metricsText(gw), series);
    assert.equal(await gw.running.reload(), true);
    // The old table closes after listen.shutdownGraceMs (500 ms): a later timer runs after it.
    await new Promise((r) => setTimeout(r, 800));
    assert.match(await metricsText(gw), series);
    assert.equal((await get(gw)).status, 200);
  });
});

describe('chaos: Accord stays up and answers with the right codes', () => {
  it('garbage from one target is 502 UPSTREAM_INVALID_RESPONSE, flapping is absorbed by retries', async () => {
    const garbage = await raw((socket) => socket.end(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10])));
    const gwGarbage = await gateway({ url: garbage.url });
    const bad = await get(gwGarbage);
    assert.equal(bad.status, 502);
    assert.equal(bad.json?.code, 'UPSTREAM_INVALID_RESPONSE');
    let n = 0;
    const flapping = await raw((socket) => (++n % 2 === 0 ? socket.destroy() : socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${ITEM.length}\r\nconnection: close\r\n\r\n${ITEM}`)));
    const gw = await gateway({ url: flapping.url, retries: { attempts: 2, backoffBaseMs: 1, backoffMaxMs: 2, budget: { minRetriesPerSecond: 100 } } });
    for (let i = 0; i < 8; i++) assert.equal((await get(gw)).status, 200);
    assert.equal((await rawRequest(gw.url, 'GET', '/healthz')).status, 200);
  });
});
