/**
 * `accord serve --workers 2`: two cluster workers on one listener. Limits stay exact across them
 * (memory store: counters in the primary; Redis store: counters in Redis), a file change and
 * SIGHUP reach both, a dead worker is replaced, and SIGTERM drains both before the primary exits 0.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { stringify } from 'yaml';
import { startCli, waitForLine } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { createTestIssuer, type TestIssuer } from '../support/test-gateway.js';
import { occupyPort } from '../support/free-port.js';
import { redisProblem, redisUrl, skipWithoutRedis, assertRedis } from '../support/redis.js';

const SHOP_V1 = join(import.meta.dirname, '..', 'integration', 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const STATUS = '/shop/v1/public/status';
const START_TIMEOUT_MS = 60_000;
const problem = await redisProblem();

type Line = Record<string, unknown>;
type Serve = { child: ChildProcess; lines: string[]; stderr: string[] };

/** The JSON lines printed so far (the workers and the primary share stdout). */
function parsed(serve: Serve): Line[] {
  const out: Line[] = [];
  for (const line of serve.lines) {
    try {
      out.push(JSON.parse(line) as Line);
    } catch {
      // A line that is not JSON is not ours to read.
    }
  }
  return out;
}

/** Waits (bounded) until `count` lines match (among those from line index `from` on). */
async function untilLines(serve: Serve, match: (l: Line) => boolean, count: number, from = 0): Promise<Line[]> {
  for (let i = 0; i < 600; i++) {
    const found = parsed({ ...serve, lines: serve.lines.slice(from) }).filter(match);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`expected ${count} matching lines; got:\n${serve.lines.slice(-30).join('\n')}\n${serve.stderr.join('')}`);
}

/** Counts of each status among responses. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** `n` concurrent requests, each on its own connection (so the primary spreads them over the workers). */
async function concurrent(url: string, n: number): Promise<number[]> {
  return (await Promise.all(Array.from({ length: n }, () => rawRequest(url, 'GET', STATUS)))).map((r) => r.status);
}

function writeDir(configYaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-workers-'));
  for (const api of ['shop', 'slow']) {
    mkdirSync(join(dir, 'contracts', api), { recursive: true });
    copyFileSync(SHOP_V1, join(dir, 'contracts', api, '1.0.0.yaml'));
  }
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), configYaml);
  return dir;
}

function config(issuer: TestIssuer, upstream: string, slowUpstream: string, points: number, limits: Record<string, unknown> = {}): string {
  return stringify({
    version: 1,
    contractsDir: '../contracts',
    listen: { host: '127.0.0.1' },
    identityProviders: [issuer.provider()],
    limits,
    apis: [
      { id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream }], auth: { providers: ['test'] }, rateLimit: { points, windowSeconds: 60 } },
      { id: 'slow', basePath: '/slow', versions: [{ version: '1.0.0', upstream: slowUpstream }], auth: { providers: ['test'] } },
    ],
  });
}

/** Starts `accord serve --workers 2` and waits until both workers listen. */
async function serveWorkers(dir: string, env: Record<string, string> = {}): Promise<{ serve: Serve; url: string; pids: number[] }> {
  const serve = startCli(['serve', '--config', join(dir, 'policies'), '--data-dir', join(dir, '.accord'), '--port', '0', '--workers', '2'], { env });
  const line = JSON.parse(await waitForLine(serve.lines, /"workers listening"/, START_TIMEOUT_MS)) as { url: string; pids: number[] };
  return { serve, url: line.url, pids: line.pids };
}

/** Worker ids in the access-log lines of `route` after line index `from`. */
function workersServing(serve: Serve, from: number): Set<unknown> {
  return new Set(parsed(serve).slice(from).filter((l) => l.type === 'access' && l.api === 'shop').map((l) => l.worker));
}

async function stopIfRunning(serve: Serve | undefined): Promise<void> {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
    const exited = once(serve.child, 'exit');
    serve.child.kill('SIGTERM');
    await exited;
  }
}

describe('accord serve --workers 2, memory store', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let slow: TestUpstream;
  const held: ServerResponse[] = [];
  let dir: string;
  let serve: Serve;
  let url: string;
  let pids: number[];
  const reloadLines = (trigger: string): Line[] => parsed(serve).filter((l) => l.msg === 'configuration reloaded' && l.trigger === trigger);

  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { status: 'ok' }));
    slow = await startUpstream((_req, res) => held.push(res));
    dir = writeDir(config(issuer, up.url, slow.url, 100));
    ({ serve, url, pids } = await serveWorkers(dir));
  });
  after(async () => {
    await stopIfRunning(serve);
    for (const res of held) res.destroy();
    await up?.close();
    await slow?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('both workers listen; /readyz names the cluster store', async () => {
    assert.equal(pids.length, 2);
    assert.equal((await untilLines(serve, (l) => l.msg === 'gateway listening', 2)).length, 2);
    assert.deepEqual((await rawRequest(url, 'GET', '/readyz')).json, { status: 'ready', limiter: { store: 'cluster', degraded: false } });
  });

  it('300 concurrent requests over both workers admit exactly 100 of 100 per minute', async () => {
    const from = serve.lines.length;
    assert.deepEqual(tally(await concurrent(url, 300)), { 200: 100, 429: 200 });
    await untilLines(serve, (l) => l.type === 'access' && l.api === 'shop', 300, from);
    assert.deepEqual([...workersServing(serve, from)].sort(), [1, 2], 'both workers served');
  });

  it('a file change reaches both workers (the primary watches, each worker reloads once)', async () => {
    writeFileSync(join(dir, 'policies', 'gateway.yaml'), config(issuer, up.url, slow.url, 50));
    const lines = await untilLines(serve, (l) => l.msg === 'configuration reloaded' && l.trigger === 'file-change', 2);
    assert.deepEqual(lines.map((l) => [l.outcome, l.worker]).sort(), [['success', 1], ['success', 2]]);
    const from = serve.lines.length;
    // A new limit (50) starts with fresh counters; both workers announce it.
    for (let i = 0; i < 20; i++) {
      const res = await rawRequest(url, 'GET', STATUS);
      assert.equal(res.status, 200);
      assert.equal(res.headers['ratelimit-policy'], '"rate";q=50;w=60');
    }
    await untilLines(serve, (l) => l.type === 'access' && l.api === 'shop', 20, from);
    assert.deepEqual([...workersServing(serve, from)].sort(), [1, 2]);
  });

  it('SIGHUP to the primary reaches both workers', async () => {
    serve.child.kill('SIGHUP');
    const lines = await untilLines(serve, (l) => l.msg === 'configuration reloaded' && l.trigger === 'SIGHUP', 2);
    assert.deepEqual(lines.map((l) => l.worker).sort(), [1, 2]);
    assert.equal(reloadLines('file-change').length, 2, 'no worker reloaded twice for one change');
  });

  it('a worker that dies is replaced with a log line; the counters live in the primary and survive it', async () => {
    process.kill(pids[0]!, 'SIGKILL');
    const [exited] = await untilLines(serve, (l) => l.msg === 'worker exited; starting a replacement', 1);
    assert.deepEqual([exited!.pid, exited!.signal], [pids[0], 'SIGKILL']);
    await untilLines(serve, (l) => l.msg === 'replacement worker listening', 1);
    // 20 of the 50 were spent before: 30 left, whichever worker answers.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await rawRequest(url, 'GET', STATUS)).status);
    assert.deepEqual(tally(statuses), { 200: 30, 429: 10 });
  });

  it('SIGTERM to the primary drains both workers: the in-flight request finishes, the primary exits 0', async () => {
    const inFlight = rawRequest(url, 'GET', '/slow/v1/public/status');
    for (let i = 0; i < 200 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(held.length, 1, 'the upstream holds the request');
    const exited = once(serve.child, 'exit');
    serve.child.kill('SIGTERM');
    await untilLines(serve, (l) => l.msg === 'shutting down: no new connections, finishing in-flight requests', 2);
    const body = JSON.stringify({ status: 'slow' });
    held[0]!.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    const res = await inFlight;
    assert.deepEqual([res.status, res.json], [200, { status: 'slow' }]);
    const [code, signal] = (await exited) as [number | null, string | null];
    assert.deepEqual([code, signal], [0, null]);
    assert.equal(parsed(serve).filter((l) => l.msg === 'all workers stopped').length, 1);
  });
});

describe('accord serve --workers: unusable input', () => {
  it('a port in use: the workers cannot listen, the primary exits 2 with the reason on stderr', async () => {
    const issuer = await createTestIssuer();
    const taken = await occupyPort();
    const dir = writeDir(config(issuer, 'http://127.0.0.1:9', 'http://127.0.0.1:9', 10));
    try {
      const serve = startCli(['serve', '--config', join(dir, 'policies'), '--data-dir', join(dir, '.accord'), '--port', String(taken.port), '--workers', '2']);
      const [code] = (await once(serve.child, 'exit')) as [number | null];
      assert.equal(code, 2);
      assert.match(serve.stderr.join(''), new RegExp(`^accord: --port ${taken.port}: port ${taken.port} is in use \\(EADDRINUSE\\)`));
    } finally {
      await taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--workers must be a whole number', async () => {
    const serve = startCli(['serve', '--workers', 'two']);
    const [code] = (await once(serve.child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.equal(serve.stderr.join(''), 'accord: --workers must be a whole number from 1 to 256, got "two"\n');
  });
});

describe('accord serve --workers 2, Redis store', { skip: skipWithoutRedis(problem) }, () => {
  let up: TestUpstream;
  let dir: string;
  let serve: Serve | undefined;
  let url: string;
  before(async () => {
    assertRedis(problem);
    const issuer = await createTestIssuer();
    up = await startUpstream(json(200, { status: 'ok' }));
    // Generous timeouts: a count slower than commandTimeoutMs (a loaded machine) would go to the insurance limiter.
    const limits = {
      store: 'redis',
      redis: { urlEnv: 'ACCORD_TEST_WORKERS_REDIS_URL', keyPrefix: `accord-test-workers-${process.pid}-${Date.now()}`, connectTimeoutMs: 10_000, commandTimeoutMs: 10_000 },
    };
    dir = writeDir(config(issuer, up.url, up.url, 100, limits));
    ({ serve, url } = await serveWorkers(dir, { ACCORD_TEST_WORKERS_REDIS_URL: redisUrl() }));
  });
  after(async () => {
    await stopIfRunning(serve);
    await up?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('300 concurrent requests over both workers admit exactly 100 of 100 per minute', async () => {
    assert.deepEqual((await rawRequest(url, 'GET', '/readyz')).json, { status: 'ready', limiter: { store: 'redis', degraded: false } });
    const from = serve!.lines.length;
    assert.deepEqual(tally(await concurrent(url, 300)), { 200: 100, 429: 200 });
    await untilLines(serve!, (l) => l.type === 'access' && l.api === 'shop', 300, from);
    assert.deepEqual([...workersServing(serve!, from)].sort(), [1, 2], 'both workers served');
    assert.equal(parsed(serve!).filter((l) => l.msg === 'rate-limit store unreachable: counting in this process with the insurance limiter').length, 0, 'every count was made in Redis');
  });

  it('SIGTERM drains both workers and the primary exits 0', async () => {
    const exited = once(serve!.child, 'exit');
    serve!.child.kill('SIGTERM');
    assert.deepEqual(await exited, [0, null]);
  });
});
