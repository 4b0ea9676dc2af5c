/**
 * Redis outage and recovery: while the Redis of the limits is unreachable the gateway keeps
 * answering, counting with its insurance limiter (its share of the limit), says so in /readyz, the
 * log and the metrics, and counts in Redis again once it is back. The Redis is this test's own
 * redis-server, stopped and restarted by PID.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { freePort } from '../support/free-port.js';
import { startPrivateRedis, type PrivateRedis } from '../support/redis.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const URL_ENV = 'ACCORD_TEST_OUTAGE_REDIS_URL';
const DEAD_URL_ENV = 'ACCORD_TEST_DEAD_REDIS_URL';
const STATUS = '/shop/v1/public/status';

/** Statuses of `n` requests sent one after another. */
async function statuses(url: string, n: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await rawRequest(url, 'GET', STATUS)).status);
  return seen;
}

/** Waits (bounded) until /readyz says the limiter is (or is not) degraded. */
async function untilDegraded(url: string, degraded: boolean): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    last = (await rawRequest(url, 'GET', '/readyz')).json;
    if ((last as { limiter?: { degraded?: boolean } }).limiter?.degraded === degraded) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`/readyz never said degraded=${degraded}; last: ${JSON.stringify(last)}`);
}

async function metric(gw: TestGateway, issuer: TestIssuer, name: string): Promise<number> {
  const text = await scrapeMetrics(gw, issuer);
  const m = new RegExp(`^${name}\\{store="redis"\\} (\\d+)$`, 'm').exec(text);
  assert.ok(m, `${name} exported`);
  return Number(m[1]);
}

function config(issuer: TestIssuer, upstream: string, urlEnv: string): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider()],
    admin: { auth: { providers: ['test'] } },
    // Two instances share the limit of 10: each admits 5 while Redis is away.
    limits: { store: 'redis', instances: 2, redis: { urlEnv, keyPrefix: `accord-test-outage-${process.pid}-${Date.now()}`, connectTimeoutMs: 300, commandTimeoutMs: 300 } },
    apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0' }], upstream: { url: upstream }, auth: { providers: ['test'] }, responseValidation: 'off', rateLimit: { points: 10, windowSeconds: 60 } }],
  };
}

describe('rate limits when Redis goes away and comes back', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let redis: PrivateRedis;
  let gw: TestGateway;
  const logged = (msg: string): number => gw.logs.filter((l) => l.msg === msg).length;

  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { status: 'ok' }));
    redis = await startPrivateRedis(await freePort());
    process.env[URL_ENV] = redis.url;
    gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, up.url, URL_ENV) });
  });
  after(async () => {
    await gw?.stop();
    await redis?.stop();
    await up?.close();
    delete process.env[URL_ENV];
  });

  it('counts in Redis while it answers', async () => {
    assert.deepEqual((await rawRequest(gw.url, 'GET', '/readyz')).json, { status: 'ready', limiter: { store: 'redis', degraded: false } });
    assert.deepEqual(await statuses(gw.url, 3), [200, 200, 200]);
    assert.equal(await metric(gw, issuer, 'accord_limiter_fallbacks_total'), 0);
  });

  it('Redis stopped: degraded in /readyz, one log line, the gauge at 1; requests still answered, 5 of 10 admitted (10 / 2 instances)', async () => {
    await redis.stop();
    await untilDegraded(gw.url, true);
    assert.equal(logged('rate-limit store unreachable: counting in this process with the insurance limiter'), 1);
    assert.equal(await metric(gw, issuer, 'accord_limiter_degraded'), 1);
    assert.deepEqual(await statuses(gw.url, 8), [200, 200, 200, 200, 200, 429, 429, 429]);
    assert.equal(await metric(gw, issuer, 'accord_limiter_fallbacks_total'), 8);
  });

  it('concurrent requests during the outage are all answered 200 or 429, never 5xx', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => rawRequest(gw.url, 'GET', STATUS)));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [429]);
    assert.equal(logged('rate-limit store unreachable: counting in this process with the insurance limiter'), 1, 'one line on entering, not one per request');
  });

  it('Redis back: counting returns to it (fresh counters, since this Redis kept nothing), one log line, the gauge at 0', async () => {
    redis = await startPrivateRedis(redis.port);
    await untilDegraded(gw.url, false);
    assert.equal(logged('rate-limit store reachable again: counting in it'), 1);
    assert.equal(await metric(gw, issuer, 'accord_limiter_degraded'), 0);
    const fallbacks = await metric(gw, issuer, 'accord_limiter_fallbacks_total');
    assert.deepEqual(await statuses(gw.url, 12), [...Array<number>(10).fill(200), 429, 429]);
    assert.equal(await metric(gw, issuer, 'accord_limiter_fallbacks_total'), fallbacks, 'no fallback once Redis is back');
  });
});

describe('rate limits when Redis stops answering but keeps its connection open (paused by SIGSTOP)', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let redis: PrivateRedis;
  let gw: TestGateway;
  const PAUSED_URL_ENV = 'ACCORD_TEST_PAUSED_REDIS_URL';
  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { status: 'ok' }));
    redis = await startPrivateRedis(await freePort());
    process.env[PAUSED_URL_ENV] = redis.url;
    gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, up.url, PAUSED_URL_ENV) });
  });
  after(async () => {
    await gw?.stop();
    await redis?.stop();
    await up?.close();
    delete process.env[PAUSED_URL_ENV];
  });

  it('a command that times out sends that request and the following ones to the insurance limiter; the probe notices Redis again', async () => {
    assert.deepEqual(await statuses(gw.url, 2), [200, 200]);
    process.kill(redis.child.pid!, 'SIGSTOP');
    // The first request waits commandTimeoutMs for Redis, the next ones go straight to the insurance limiter.
    assert.deepEqual(await statuses(gw.url, 8), [200, 200, 200, 200, 200, 429, 429, 429]);
    assert.equal(await metric(gw, issuer, 'accord_limiter_fallbacks_total'), 8);
    assert.deepEqual((await rawRequest(gw.url, 'GET', '/readyz')).json, { status: 'ready', limiter: { store: 'redis', degraded: true } });
    process.kill(redis.child.pid!, 'SIGCONT');
    await untilDegraded(gw.url, false);
    assert.deepEqual(
      gw.logs.map((l) => String(l.msg)).filter((msg) => msg.startsWith('rate-limit store')),
      ['rate-limit store unreachable: counting in this process with the insurance limiter', 'rate-limit store reachable again: counting in it'],
    );
    // Redis ran the timed-out command once it resumed: 2 + 1 of 10 are spent there.
    assert.deepEqual(await statuses(gw.url, 10), [...Array<number>(7).fill(200), 429, 429, 429]);
  });
});

describe('rate limits when Redis is unreachable from the start', () => {
  it('starts degraded and serves with the insurance limiter', async () => {
    const issuer = await createTestIssuer();
    const up = await startUpstream(json(200, { status: 'ok' }));
    process.env[DEAD_URL_ENV] = `redis://127.0.0.1:${await freePort()}`;
    const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, up.url, DEAD_URL_ENV) });
    try {
      assert.deepEqual((await rawRequest(gw.url, 'GET', '/readyz')).json, { status: 'ready', limiter: { store: 'redis', degraded: true } });
      assert.deepEqual(await statuses(gw.url, 6), [200, 200, 200, 200, 200, 429]);
      assert.equal(gw.logs.filter((l) => l.msg === 'rate-limit store unreachable: counting in this process with the insurance limiter').length, 1);
    } finally {
      await gw.stop();
      await up.close();
      delete process.env[DEAD_URL_ENV];
    }
  });

  it('refuses to start when the variable naming the Redis URL is unset, naming the setting', async () => {
    const issuer = await createTestIssuer();
    const unset = 'ACCORD_TEST_UNSET_REDIS_URL';
    delete process.env[unset];
    await assert.rejects(
      startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config(issuer, 'http://127.0.0.1:9', unset) }),
      (error: Error & { issues?: Array<{ pointer: string; message: string }> }) => {
        assert.deepEqual(
          error.issues?.map((i) => [i.pointer, i.message]),
          [['/limits/redis/urlEnv', `environment variable ${unset} is not set; limits.store redis reads the Redis URL from it`]],
        );
        return true;
      },
    );
  });
});
