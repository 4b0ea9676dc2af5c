/**
 * Exact limits across instances: three gateways sharing one Redis admit exactly the limit of
 * concurrent requests spread over all three, never one more.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { redisProblem, redisUrl, skipWithoutRedis, assertRedis } from '../support/redis.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const problem = await redisProblem();
// Its own variable name, so the test shows `limits.redis.urlEnv` at work and touches nobody's REDIS_URL.
const URL_ENV = 'ACCORD_TEST_LIMITS_REDIS_URL';

/** Named scenarios: the limit of one API, and how many of 300 concurrent requests pass. */
const SCENARIOS = [
  { name: '100 per minute', api: 'flat', rateLimit: { points: 100, windowSeconds: 60 }, admitted: 100 },
  { name: '60 per minute and a burst of 40 (two pools, one consume each, no double admission)', api: 'bursty', rateLimit: { points: 60, windowSeconds: 60, burst: 40, burstWindowSeconds: 120 }, admitted: 100 },
] as const;

describe('rate limits in Redis, across three instances', { skip: skipWithoutRedis(problem) }, () => {
  let up: TestUpstream;
  let issuer: TestIssuer;
  const gateways: TestGateway[] = [];
  before(async () => {
    assertRedis(problem);
    process.env[URL_ENV] = redisUrl();
    up = await startUpstream(json(200, { status: 'ok' }));
    issuer = await createTestIssuer();
    const keyPrefix = `accord-test-instances-${process.pid}-${Date.now()}`;
    for (let i = 0; i < 3; i++) {
      gateways.push(
        await startTestGateway({
          contracts: Object.fromEntries(SCENARIOS.map((s) => [`${s.api}/1.0.0`, SHOP_V1])),
          config: {
            listen: { host: '127.0.0.1', port: 0 },
            identityProviders: [issuer.provider()],
            admin: { auth: { providers: ['test'] } },
            // Generous timeouts: on a loaded machine a count slower than commandTimeoutMs would (rightly)
            // be answered by the insurance limiter, and this test is about Redis's own exactness.
            limits: { store: 'redis', instances: 3, redis: { urlEnv: URL_ENV, keyPrefix, connectTimeoutMs: 10_000, commandTimeoutMs: 10_000 } },
            apis: SCENARIOS.map((s) => ({ id: s.api, basePath: `/${s.api}`, versions: [{ version: '1.0.0' }], upstream: { url: up.url }, auth: { providers: ['test'] }, responseValidation: 'off', rateLimit: s.rateLimit })),
          },
        }),
      );
    }
  });
  after(async () => {
    for (const gw of gateways) await gw.stop();
    await up?.close();
    delete process.env[URL_ENV];
  });

  it('every instance counts in Redis (/readyz)', async () => {
    for (const gw of gateways) assert.deepEqual((await rawRequest(gw.url, 'GET', '/readyz')).json, { status: 'ready', limiter: { store: 'redis', degraded: false } });
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: 300 concurrent requests over 3 instances admit exactly ${scenario.admitted}`, async () => {
      const requests = Array.from({ length: 300 }, (_, i) => rawRequest(gateways[i % 3]!.url, 'GET', `/${scenario.api}/v1/public/status`));
      const statuses = (await Promise.all(requests)).map((r) => r.status);
      const counts: Record<number, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      assert.deepEqual(counts, { 200: scenario.admitted, 429: 300 - scenario.admitted });
      // The next request, on any instance, is refused too.
      for (const gw of gateways) assert.equal((await rawRequest(gw.url, 'GET', `/${scenario.api}/v1/public/status`)).status, 429);
    });
  }

  it('no instance fell back to its insurance limiter', async () => {
    for (const gw of gateways) {
      const metrics = await scrapeMetrics(gw, issuer);
      assert.match(metrics, /^accord_limiter_degraded\{store="redis"\} 0$/m);
      assert.match(metrics, /^accord_limiter_fallbacks_total\{store="redis"\} 0$/m);
    }
  });
});
