/**
 * Usage records in Redis: two gateway instances on one key prefix add up (counts, first/last seen,
 * fingerprint locations), and a flush that cannot reach Redis is kept and retried. Needs Redis at
 * REDIS_URL (default redis://127.0.0.1:6379): under CI=true a missing Redis fails; elsewhere it skips.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { freePort } from '../support/free-port.js';
import { ORDERS_V1, SCRIPT, adminToken, ordersConfig, ordersUpstream, send, settled } from '../support/usage-scenario.js';
import { RedisUsageStore } from '../../src/usage/stores/redis-store.js';
import type { UsageReport } from '../../src/usage/usage-record.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Undefined when Redis answers PING, else why not. */
async function redisUnavailable(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis at ${REDIS_URL} is unreachable (${(error as Error).message})`;
  } finally {
    client.disconnect();
  }
}

const unavailable = await redisUnavailable();
if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}; CI=true requires it`);
const skip = unavailable ? `${unavailable}: set REDIS_URL or start redis-server` : false;

describe('usage records in Redis across two instances', { skip }, () => {
  const keyPrefix = `accord:test:usage:${randomUUID()}:`;
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  let one: TestGateway;
  let two: TestGateway;
  let report: UsageReport;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(ordersUpstream);
    const config = ordersConfig(issuer, upstream.url, { store: 'redis', redis: { keyPrefix } });
    one = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config });
    two = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config });
    // The whole script through each instance: every count doubles.
    for (const gw of [one, two]) {
      for (const call of SCRIPT) assert.equal((await send(gw.url, issuer, call)).status, call.status, call.name);
      await settled(gw);
    }
    // The second instance stops (and flushes on its way out); the first answers for both.
    await two.stop();
    const res = await rawRequest(one.adminUrl!, 'GET', '/usage?api=orders', { headers: { authorization: `Bearer ${await adminToken(issuer)}` } });
    assert.equal(res.status, 200, res.text);
    report = JSON.parse(res.text) as UsageReport;
  });
  after(async () => {
    await one?.stop();
    await upstream?.close();
    const client = new Redis(REDIS_URL);
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('adds the counts of both instances', () => {
    assert.deepEqual(
      report.records.map((r) => `${r.consumer} ${r.operation} ${r.statusClass} ${r.calls}`),
      [
        'acme createOrder 2xx 2',
        'globex createOrder 4xx 2',
        'acme getOrder 2xx 2',
        'globex getOrder 5xx 2',
        '(anonymous) listOrders 4xx 2',
        'acme listOrders 2xx 6',
        'acme listOrders 4xx 2',
        'globex listOrders 2xx 2',
      ],
    );
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(report.records.find((r) => r.consumer === 'acme' && r.operation === 'listOrders' && r.statusClass === '2xx')!.daily, [{ day: today, count: 6 }]);
  });

  it('adds the fingerprints of both instances', () => {
    const fp = report.fingerprints.find((f) => f.consumer === 'acme' && f.operation === 'createOrder')!;
    assert.equal(fp.requests, 2);
    assert.equal(fp.examined, 2);
    assert.deepEqual(fp.locations.map((l) => `${l.in}:${l.name}=${l.count}`), [
      'body:=2',
      'body:/customer=2',
      'body:/customer/id=2',
      'body:/items=2',
      'body:/items/*/options=2',
      'body:/items/*/options/colour=2',
      'body:/items/*/qty=2',
      'body:/items/*/sku=2',
    ]);
    const globex = report.fingerprints.find((f) => f.consumer === 'globex' && f.operation === 'listOrders')!;
    assert.equal(globex.undeclaredQuery, 2);
    // The enum value sent travels through Redis like a location and adds up the same way.
    assert.deepEqual(globex.enumValues.map((v) => `${v.location}=${JSON.stringify(v.value)} x${v.count}`), ['query:status="open" x2']);
    assert.deepEqual(fp.enumValues, []);
  });

  it('keeps the earliest first seen and the latest last seen', () => {
    for (const r of report.records) assert.ok(r.firstSeen <= r.lastSeen, `${r.consumer} ${r.operation}`);
  });

  it('filters by consumer and operation', async () => {
    const res = await rawRequest(one.adminUrl!, 'GET', '/usage?consumer=globex&operation=getOrder', { headers: { authorization: `Bearer ${await adminToken(issuer)}` } });
    const filtered = JSON.parse(res.text) as UsageReport;
    assert.deepEqual(filtered.records.map((r) => `${r.consumer} ${r.operation} ${r.statusClass} ${r.calls}`), ['globex getOrder 5xx 2']);
    assert.equal(filtered.fingerprints.length, 1);
  });

  it('holds the location cap across instances', async () => {
    const prefix = `${keyPrefix}cap:`;
    const stores = [0, 1].map(() => new RedisUsageStore({ url: REDIS_URL, keyPrefix: prefix, logger: pino({ level: 'silent' }), retentionDays: 90, maxLocations: 2 }));
    const now = Date.now();
    const delta = (locations: string[]) => ({
      records: [],
      fingerprints: [{ consumer: 'acme', api: 'orders', major: 1, operation: 'createOrder', firstSeen: now, lastSeen: now, requests: 1, examined: 1, undeclaredQuery: 0, overflow: 0, locations: new Map(locations.map((l) => [l, { count: 1, lastSeen: now }])) }],
    });
    await stores[0]!.write(delta(['body:/a']));
    await stores[1]!.write(delta(['body:/b', 'body:/c']));
    const report = await stores[0]!.query({}, now);
    assert.deepEqual(report.fingerprints[0]!.locations.map((l) => l.name), ['/a', '/b']);
    assert.equal(report.fingerprints[0]!.overflow, 1);
    assert.equal(report.fingerprints[0]!.requests, 2);
    for (const s of stores) await s.close();
  });
});

describe('usage records when Redis cannot be reached', () => {
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  let gw: TestGateway;
  let deadRedis: string;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(ordersUpstream);
    // Nothing listens on this port: every flush fails.
    deadRedis = `redis://127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    await gw?.stop();
    await upstream.close();
  });

  it('serves the calls, counts the failed flush and says so in the log', async () => {
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = deadRedis;
    try {
      gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config: ordersConfig(issuer, upstream.url, { store: 'redis', redis: { keyPrefix: 'accord:test:dead:' } }) });
    } finally {
      if (previous === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = previous;
    }
    assert.equal((await send(gw.url, issuer, SCRIPT[0]!)).status, 200);
    await settled(gw);
    await gw.running.usage!.flush();
    const metrics = await scrapeMetrics(gw, issuer);
    assert.match(metrics, /accord_usage_flush_failures_total\{store="redis"\} 1/);
    assert.ok(gw.logs.some((l) => l.msg === 'usage flush failed; retrying at the next flush'));
  });
});
