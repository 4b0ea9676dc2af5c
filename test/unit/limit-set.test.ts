/**
 * Limit sets: the order of consumption and refunds between the rate, burst and quota pools, the
 * RateLimit fields they announce, and the precedence of plans and overrides.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { createLimitSet, type LimitSet, type LimitSetSpec } from '../../src/gateway/policies/rate-limit/limit-set.js';
import { ZoneCalendar } from '../../src/gateway/policies/rate-limit/calendar-window.js';
import { memoryLimiterStore } from '../../src/gateway/policies/rate-limit/stores/memory-store.js';
import { limitItem, policyItem, secondsUntil } from '../../src/gateway/policies/rate-limit/ratelimit-fields.js';
import { resolveLimits, type LimitSources } from '../../src/gateway/policies/rate-limit/resolve-limits.js';
import type { PlanConfig, RateLimitConfig } from '../../src/gateway/policies/rate-limit/schema.js';
import { GatewayError } from '../../src/errors/problem.js';

/** A response that only records headers. */
function response(): { res: ServerResponse; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return { res: { setHeader: (name: string, value: string) => void (headers[name] = value) } as unknown as ServerResponse, headers };
}

/** One request: status 200 or the refusal code, with the headers the caller reads. */
async function call(set: LimitSet, key: string): Promise<{ code: string; headers: Record<string, string> }> {
  const { res, headers } = response();
  try {
    await set.consume(key, res);
    return { code: 'OK', headers };
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return { code: error.code, headers: error.headers ?? {} };
  }
}

describe('RateLimit field items', () => {
  it('formats policies and limits as draft-11 Structured Field items', () => {
    assert.equal(policyItem('rate', 100, 60), '"rate";q=100;w=60');
    assert.equal(policyItem('quota', 10000, 86400), '"quota";q=10000;w=86400');
    assert.equal(limitItem('burst', 20, undefined), '"burst";r=20', 'no t while no window runs');
    assert.equal(limitItem('rate', 0, 17), '"rate";r=0;t=17');
  });
  it('rounds seconds up, never to 0', () => {
    assert.deepEqual([1, 999, 1000, 1001, 0, -5].map(secondsUntil), [1, 1, 1, 2, 1, 1]);
  });
});

describe('limit sets', () => {
  const paris = new ZoneCalendar('Europe/Paris');
  // 2026-03-29T21:59:30Z is 23:59:30 in Paris, the evening of the 23-hour day.
  const evening = Date.parse('2026-03-29T21:59:30Z');

  function build(spec: Partial<LimitSetSpec>, clock: { now: number }, rejected: string[] = [], store = memoryLimiterStore()): LimitSet {
    return createLimitSet('shop', { rate: undefined, quota: undefined, legacyHeaders: false, ...spec }, { store, now: () => clock.now, onRejected: (p) => rejected.push(p) });
  }

  it('counts down rate, burst and quota exactly, refuses the rate without touching the quota, and the quota without keeping a rate point', async () => {
    const clock = { now: evening };
    const rejected: string[] = [];
    const store = memoryLimiterStore();
    const set = build(
      {
        rate: { limit: 2, windowSeconds: 60, burst: 1, burstWindowSeconds: 120, scope: 'shop' },
        quota: { limit: 4, unit: 'day', calendar: paris, scope: 'shop' },
      },
      clock,
      rejected,
      store,
    );
    const rows: Array<[string, string]> = [];
    for (let i = 0; i < 4; i++) {
      const { code, headers } = await call(set, 'c:acme');
      rows.push([code, headers.ratelimit!.replace(/;t=\d+/g, '')]);
      assert.equal(headers['ratelimit-policy'], '"rate";q=2;w=60, "burst";q=1;w=120, "quota";q=4;w=82800', 'the quota window is this 23-hour day');
    }
    assert.deepEqual(rows, [
      ['OK', '"rate";r=1, "burst";r=1, "quota";r=3'],
      ['OK', '"rate";r=0, "burst";r=1, "quota";r=2'],
      ['OK', '"rate";r=0, "burst";r=0, "quota";r=1'],
      ['RATE_LIMITED', '"rate";r=0, "burst";r=0'],
    ]);
    // Another operation drawing on the same quota counter (no rate of its own) finds one request
    // left: the request the rate refused did not count against the quota.
    const quotaOnly = build({ quota: { limit: 4, unit: 'day', calendar: paris, scope: 'shop' } }, clock, rejected, store);
    assert.equal(quotaOnly.policies.join(), 'quota');
    assert.deepEqual((await call(quotaOnly, 'c:acme')).headers.ratelimit, '"quota";r=0;t=30');
    assert.equal((await call(quotaOnly, 'c:acme')).code, 'QUOTA_EXCEEDED');
    assert.deepEqual(rejected, ['burst', 'quota']);

    // The quota alone: 30 s before Paris midnight, the reset is 30 s away.
    const q = build({ rate: { limit: 10, windowSeconds: 60, burst: 0, burstWindowSeconds: 60, scope: 'q' }, quota: { limit: 2, unit: 'day', calendar: paris, scope: 'q' } }, clock, rejected);
    const seen = [await call(q, 'c:acme'), await call(q, 'c:acme'), await call(q, 'c:acme'), await call(q, 'c:acme')];
    assert.deepEqual(seen.map((s) => s.code), ['OK', 'OK', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
    assert.deepEqual(seen.map((s) => s.headers.ratelimit!.replace(/"rate";r=(\d+);t=\d+/, '"rate";r=$1')), [
      '"rate";r=9, "quota";r=1;t=30',
      '"rate";r=8, "quota";r=0;t=30',
      '"rate";r=8, "quota";r=0;t=30',
      '"rate";r=8, "quota";r=0;t=30',
    ], 'a request the quota refuses gives its rate point back');
    assert.equal(seen[2]!.headers['retry-after'], '30', 'Retry-After: until local midnight');
    assert.deepEqual(rejected, ['burst', 'quota', 'quota', 'quota']);

    // Past Paris midnight: a fresh period, 24 hours long, and the rate still counts 2 (not the refused ones).
    clock.now = Date.parse('2026-03-29T22:00:00Z');
    const next = await call(q, 'c:acme');
    assert.equal(next.code, 'OK');
    assert.match(next.headers.ratelimit!, /^"rate";r=7;t=\d+, "quota";r=1;t=86400$/);
    assert.equal(next.headers['ratelimit-policy'], '"rate";q=10;w=60, "quota";q=2;w=86400');
  });

  it('admits exactly the limit of many parallel requests, and the counters hold only what was admitted', async () => {
    const clock = { now: evening };
    const set = build({ rate: { limit: 50, windowSeconds: 60, burst: 0, burstWindowSeconds: 60, scope: 'p' }, quota: { limit: 7, unit: 'month', calendar: paris, scope: 'p' } }, clock);
    const results = await Promise.all(Array.from({ length: 30 }, () => call(set, 'c:acme')));
    assert.equal(results.filter((r) => r.code === 'OK').length, 7);
    assert.equal(results.filter((r) => r.code === 'QUOTA_EXCEEDED').length, 23);
    const after = await call(set, 'c:acme');
    assert.equal(after.code, 'QUOTA_EXCEEDED');
    assert.match(after.headers.ratelimit!, /^"rate";r=43;t=\d+, "quota";r=0;t=\d+$/, 'the rate holds the 7 admitted requests, no refused one');
  });

  it('a month quota counter outlives Node\'s longest timer in the memory store', async () => {
    const limiter = memoryLimiterStore().create({ keyPrefix: 'm', points: 1, durationSeconds: 32 * 86_400 });
    await limiter.consume('k');
    // A timer beyond 2^31-1 ms fires at once: give it the chance to.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await assert.rejects(limiter.consume('k'), (res: unknown) => res instanceof Object && (res as { consumedPoints: number }).consumedPoints === 2);
  });

  it('legacy fields describe the nearer limit', async () => {
    const clock = { now: evening };
    const set = build({ rate: { limit: 5, windowSeconds: 60, burst: 0, burstWindowSeconds: 60, scope: 'l' }, quota: { limit: 2, unit: 'day', calendar: paris, scope: 'l' }, legacyHeaders: true }, clock);
    const first = await call(set, 'k');
    assert.deepEqual([first.headers['ratelimit-limit'], first.headers['ratelimit-remaining'], first.headers['ratelimit-reset']], ['2', '1', '30']);
  });
});

describe('precedence of limits', () => {
  const rate = (limit: number) => ({ limit, per: 'minute' as const, burst: 0, burstPer: 'minute' as const });
  const quota = (limit: number) => ({ limit, per: 'day' as const, timeZone: 'UTC' });
  const gold: PlanConfig = { id: 'gold', rate: rate(100), quota: quota(1000), sharedAcrossApis: false };
  const shared: PlanConfig = { id: 'shared', rate: rate(60), sharedAcrossApis: true };
  const api: RateLimitConfig = { points: 10, windowSeconds: 60, burst: 0, burstWindowSeconds: 60, legacyHeaders: false, quota: quota(50), plans: { gold: { rate: rate(200) } } };
  const sources: LimitSources = { apiId: 'shop', api, plans: new Map([['gold', gold], ['shared', shared]]) };
  const cases: Array<{ name: string; plan: string | undefined; config?: object; contract?: object; rate: [number, string] | undefined; quota: [number, string] | undefined }> = [
    { name: 'no plan: the API default', plan: undefined, rate: [10, 'shop'], quota: [50, 'shop'] },
    { name: 'a plan replaces the API default; the API override of the plan wins over the plan', plan: 'gold', rate: [200, 'shop'], quota: [1000, 'shop'] },
    { name: 'a plan shared across APIs counts under one scope; no quota in it: none', plan: 'shared', rate: [60, '*'], quota: undefined },
    { name: 'the contract extension for every caller wins over plans, counted per operation', plan: 'gold', contract: { rate: rate(3) }, rate: [3, 'shop/listItems'], quota: [1000, 'shop'] },
    { name: 'config wins over the contract at the same level', plan: undefined, config: { quota: quota(5) }, contract: { rate: rate(3), quota: quota(9) }, rate: [3, 'shop/listItems'], quota: [5, 'shop/listItems'] },
    { name: 'a plan entry at the operation wins over the operation\'s own', plan: 'gold', config: { rate: rate(4) }, contract: { plans: { gold: { rate: rate(8) } } }, rate: [8, 'shop/listItems'], quota: [1000, 'shop'] },
    { name: 'another plan\'s entry does not apply', plan: 'shared', contract: { plans: { gold: { rate: rate(8) } } }, rate: [60, '*'], quota: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const resolved = resolveLimits(sources, { key: 'listItems', config: c.config, contract: c.contract }, c.plan);
      assert.deepEqual(resolved.rate && [resolved.rate.limit, resolved.rate.scope], c.rate);
      assert.deepEqual(resolved.quota && [resolved.quota.limit, resolved.quota.scope], c.quota);
    });
  }
});
