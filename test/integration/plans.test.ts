/**
 * Plans and quotas against a real gateway and upstream: what each caller is allowed, the
 * RateLimit fields counting down exactly to the refusal, calendar resets in a time zone (with an
 * injected clock), precedence of overrides, counters shared across APIs, and exact admission of
 * parallel requests.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';

const SHOP = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const SHOP_WITH_EXTENSION = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-rate-extension-1.0.0.yaml');

/** 23:59:30 in Paris on 2026-03-29, the 23-hour day when clocks go forward. */
const PARIS_EVENING = Date.parse('2026-03-29T21:59:30Z');

/** The RateLimit field as `name -> "r/t"` (t '-' when absent), for exact comparisons. */
function limits(res: RawResponse): Record<string, string> {
  const field = res.headers.ratelimit;
  assert.equal(typeof field, 'string', `one RateLimit field (status ${res.status})`);
  const out: Record<string, string> = {};
  for (const item of (field as string).split(', ')) {
    const m = /^"(rate|burst|quota)";r=(\d+)(?:;t=(\d+))?$/.exec(item);
    assert.ok(m, `well-formed item: ${item}`);
    out[m[1]!] = `${m[2]}/${m[3] ?? '-'}`;
  }
  return out;
}

/** `r` of one policy in the RateLimit field. */
function remaining(res: RawResponse, policy: string): number {
  return Number(limits(res)[policy]!.split('/')[0]);
}

const entitled = [{ api: 'shop' }, { api: 'partner' }];

describe('plans and quotas', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let gw: TestGateway;
  const clock = { now: PARIS_EVENING };
  const tokens: Record<string, string> = {};

  const call = (consumer: string | undefined, path: string, method = 'GET'): Promise<RawResponse> =>
    rawRequest(gw.url, method, path, consumer ? { headers: { authorization: `Bearer ${tokens[consumer]}` } } : {});

  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { id: 'item-1', name: 'n', price: 1, items: [], status: 'ok' }));
    const consumer = (id: string, plan?: string) => ({ id, plan, identities: [{ provider: 'test', claim: id }], entitlements: entitled });
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_WITH_EXTENSION, 'partner/1.0.0': SHOP },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        admin: { auth: { providers: ['test'] } },
        plans: [
          { id: 'gold', rate: { limit: 3, per: 'minute', burst: 1 }, quota: { limit: 6, per: 'day', timeZone: 'Europe/Paris' } },
          { id: 'pooled', quota: { limit: 3, per: 'day' }, sharedAcrossApis: true },
          { id: 'bulk', rate: { limit: 1000, per: 'minute' }, quota: { limit: 20, per: 'month', timeZone: 'Europe/Paris' } },
          { id: 'tight', rate: { limit: 10, per: 'minute' } },
        ],
        consumers: [consumer('acme', 'gold'), consumer('globex', 'pooled'), consumer('initech'), consumer('bulkco', 'bulk'), consumer('tightco', 'tight'), consumer('goldtwo', 'gold'), consumer('keeper', 'pooled')],
        apis: [
          { id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0' }], upstream: { url: up.url }, auth: { providers: ['test'] }, responseValidation: 'off', rateLimit: { points: 2, windowSeconds: 60 } },
          {
            id: 'partner',
            basePath: '/partner',
            versions: [{ version: '1.0.0' }],
            upstream: { url: up.url },
            auth: { providers: ['test'] },
            responseValidation: 'off',
            rateLimit: { plans: { gold: { quota: { limit: 2, per: 'month', timeZone: 'Europe/Paris' } } }, operations: { deleteItem: { rate: { limit: 1, per: 'minute' } } } },
          },
        ],
      },
      start: { now: () => clock.now },
    });
    for (const id of ['acme', 'globex', 'initech', 'bulkco', 'tightco', 'keeper']) tokens[id] = await issuer.token({ client_id: id });
    tokens.goldtwo = await issuer.token({ client_id: 'goldtwo', scope: 'items:read items:write items:admin' });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  it('a plan: rate, burst and quota count down exactly; the rate refuses without spending quota, the quota without spending rate; the quota resets at Paris midnight', async () => {
    clock.now = PARIS_EVENING;
    const rows: Array<[number, string | undefined, Record<string, string>]> = [];
    for (let i = 0; i < 5; i++) {
      const res = await call('acme', '/shop/v1/items');
      assert.equal(res.headers['ratelimit-policy'], '"rate";q=3;w=60, "burst";q=1;w=60, "quota";q=6;w=82800', 'the quota window is this 23-hour day');
      rows.push([res.status, res.json?.code as string | undefined, limits(res)]);
    }
    const strip = (l: Record<string, string>) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, k === 'quota' ? v : v.split('/')[0]]));
    assert.deepEqual(rows.map(([status, code, l]) => [status, code, strip(l)]), [
      [200, undefined, { rate: '2', burst: '1', quota: '5/30' }],
      [200, undefined, { rate: '1', burst: '1', quota: '4/30' }],
      [200, undefined, { rate: '0', burst: '1', quota: '3/30' }],
      [200, undefined, { rate: '0', burst: '0', quota: '2/30' }],
      [429, 'RATE_LIMITED', { rate: '0', burst: '0' }],
    ]);
    const refused = rows[4]![2];
    const earliest = Math.min(...[refused.rate!, refused.burst!].map((v) => Number(v.split('/')[1])));
    const rateRefusal = await call('acme', '/shop/v1/items');
    assert.equal(rateRefusal.headers['retry-after'], String(Math.min(...['rate', 'burst'].map((p) => Number(limits(rateRefusal)[p]!.split('/')[1])))));
    assert.ok(earliest >= 1 && earliest <= 60);

    // getItem has its own rate (the contract's x-accord-rate-limit) but draws on the plan's quota:
    // two requests left, so the two refused above spent none of it.
    const item = [await call('acme', '/shop/v1/items/item-1'), await call('acme', '/shop/v1/items/item-1'), await call('acme', '/shop/v1/items/item-1'), await call('acme', '/shop/v1/items/item-1')];
    assert.equal(item[0]!.headers['ratelimit-policy'], '"rate";q=10;w=60, "quota";q=6;w=82800');
    assert.deepEqual(item.map((r) => [r.status, r.json?.code, remaining(r, 'rate'), limits(r).quota]), [
      [200, undefined, 9, '1/30'],
      [200, undefined, 8, '0/30'],
      [429, 'QUOTA_EXCEEDED', 8, '0/30'],
      [429, 'QUOTA_EXCEEDED', 8, '0/30'],
    ]);
    assert.equal(item[2]!.headers['retry-after'], '30', 'Retry-After: until midnight in Paris');

    // 00:00 in Paris: a new day of 24 hours and a fresh quota; the rate kept only admitted requests.
    clock.now = Date.parse('2026-03-29T22:00:00Z');
    const nextDay = await call('acme', '/shop/v1/items/item-1');
    assert.equal(nextDay.status, 200);
    assert.equal(nextDay.headers['ratelimit-policy'], '"rate";q=10;w=60, "quota";q=6;w=86400');
    assert.equal(remaining(nextDay, 'rate'), 7);
    assert.equal(limits(nextDay).quota, '5/86400');

    const metrics = await scrapeMetrics(gw, issuer);
    assert.match(metrics, /^accord_limit_rejections_total\{api="shop",policy="burst"\} 2$/m);
    assert.match(metrics, /^accord_limit_rejections_total\{api="shop",policy="quota"\} 2$/m);
  });

  it('callers without a plan get the API default; anonymous callers are counted per address, apart from consumers', async () => {
    clock.now = PARIS_EVENING;
    const statuses: Array<[number, string | undefined, string | undefined]> = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('initech', '/shop/v1/items');
      statuses.push([res.status, res.json?.code as string | undefined, res.headers.ratelimit as string | undefined]);
      assert.equal(res.headers['ratelimit-policy'], '"rate";q=2;w=60');
    }
    assert.deepEqual(statuses.map(([s, c, f]) => [s, c, f?.replace(/;t=\d+/, '')]), [
      [200, undefined, '"rate";r=1'],
      [200, undefined, '"rate";r=0'],
      [429, 'RATE_LIMITED', '"rate";r=0'],
    ]);
    const anonymous = await call(undefined, '/shop/v1/public/status');
    assert.equal(anonymous.status, 200);
    assert.equal(remaining(anonymous, 'rate'), 1, 'the address has its own budget');
  });

  it('per-API and per-operation overrides: the most specific level wins, counted apart', async () => {
    clock.now = PARIS_EVENING;
    // partner overrides gold's quota (2 a month) and keeps gold's rate, counted for partner alone.
    const rows: RawResponse[] = [];
    for (let i = 0; i < 3; i++) rows.push(await call('goldtwo', '/partner/v1/items'));
    // March 2026 in Paris lasts 743 hours; it ends on 2026-03-31T22:00:00Z, 2 days and 30 s away.
    assert.equal(rows[0]!.headers['ratelimit-policy'], '"rate";q=3;w=60, "burst";q=1;w=60, "quota";q=2;w=2674800');
    assert.deepEqual(rows.map((r) => [r.status, r.json?.code, limits(r).quota]), [
      [200, undefined, '1/172830'],
      [200, undefined, '0/172830'],
      [429, 'QUOTA_EXCEEDED', '0/172830'],
    ]);
    assert.equal(rows[2]!.headers['retry-after'], '172830');
    assert.equal(remaining(rows[2]!, 'rate'), 1, 'the refused request gave its rate point back');
    // The same consumer's gold quota on shop is untouched by partner's.
    const onShop = await call('goldtwo', '/shop/v1/items');
    assert.equal(limits(onShop).quota, '5/30');

    // An operation override in config (deleteItem: 1 a minute) replaces the plan's rate there,
    // and the operation still draws on partner's quota for gold, spent above.
    const deletes = [await call('goldtwo', '/partner/v1/items/item-1', 'DELETE'), await call('goldtwo', '/partner/v1/items/item-1', 'DELETE')];
    assert.equal(deletes[0]!.headers['ratelimit-policy'], '"rate";q=1;w=60, "quota";q=2;w=2674800');
    assert.deepEqual(deletes.map((r) => [r.status, r.json?.code, limits(r).rate!.split('/')[0], limits(r).quota]), [
      [429, 'QUOTA_EXCEEDED', '1', '0/172830'],
      [429, 'QUOTA_EXCEEDED', '1', '0/172830'],
    ]);
  });

  it('a plan shared across APIs counts one quota for all of them', async () => {
    clock.now = PARIS_EVENING;
    const seen = [await call('globex', '/shop/v1/items'), await call('globex', '/partner/v1/items'), await call('globex', '/shop/v1/items'), await call('globex', '/partner/v1/items')];
    // A UTC day: 2026-03-29T21:59:30Z is 2 h 30 s before its end.
    assert.equal(seen[0]!.headers['ratelimit-policy'], '"quota";q=3;w=86400');
    assert.deepEqual(seen.map((r) => [r.status, r.headers.ratelimit]), [
      [200, '"quota";r=2;t=7230'],
      [200, '"quota";r=1;t=7230'],
      [200, '"quota";r=0;t=7230'],
      [429, '"quota";r=0;t=7230'],
    ]);
    assert.equal(seen[3]!.json?.code, 'QUOTA_EXCEEDED');
  });

  it('parallel requests of one consumer: exactly the quota admitted, and the rate keeps only those', async () => {
    clock.now = PARIS_EVENING;
    const results = await Promise.all(Array.from({ length: 60 }, () => call('bulkco', '/shop/v1/items')));
    const count = (code: string | undefined) => results.filter((r) => (r.json?.code as string | undefined) === code).length;
    assert.deepEqual({ admitted: results.filter((r) => r.status === 200).length, quota: count('QUOTA_EXCEEDED'), rate: count('RATE_LIMITED') }, { admitted: 20, quota: 40, rate: 0 });
    const after = await call('bulkco', '/shop/v1/items');
    assert.equal(after.json?.code, 'QUOTA_EXCEEDED');
    assert.equal(remaining(after, 'rate'), 980, 'no refused request kept a rate point');
  });

  it('parallel requests of one consumer: exactly the rate admitted', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => call('tightco', '/shop/v1/items')));
    assert.deepEqual(
      { admitted: results.filter((r) => r.status === 200).length, refused: results.filter((r) => r.json?.code === 'RATE_LIMITED').length },
      { admitted: 10, refused: 20 },
    );
  });

  it('a reload that keeps a plan keeps its counters', async () => {
    clock.now = PARIS_EVENING;
    assert.equal(limits(await call('keeper', '/shop/v1/items')).quota, '2/7230');
    const file = join(gw.dir, 'policies', 'gateway.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { plans: Array<Record<string, unknown>> };
    config.plans.push({ id: 'added-later', rate: { limit: 1, per: 'second' } });
    writeFileSync(file, stringify(config));
    assert.equal(await gw.running.reload('manual'), true);
    assert.equal(limits(await call('keeper', '/partner/v1/items')).quota, '1/7230', 'the quota did not start over');
  });
});
