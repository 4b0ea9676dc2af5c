/**
 * Rate-limit fields: the IETF RateLimit-Policy and RateLimit fields announce every pool, and what
 * a client reads predicts exactly when it is refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

/** One Service Limit item of a RateLimit field. */
interface ServiceLimit {
  r: number;
  t: number | undefined;
}

/** Parses the RateLimit field as Accord writes it (a List of String items with integer `r` and `t`). */
function serviceLimits(field: string | string[] | undefined): Record<string, ServiceLimit> {
  assert.equal(typeof field, 'string', 'one RateLimit field');
  const limits: Record<string, ServiceLimit> = {};
  for (const item of (field as string).split(',')) {
    const m = /^\s*"([a-z]+)";r=(\d+)(?:;t=(\d+))?\s*$/.exec(item);
    assert.ok(m, `well-formed service limit item: ${item}`);
    limits[m[1]!] = { r: Number(m[2]), t: m[3] === undefined ? undefined : Number(m[3]) };
  }
  return limits;
}

/** Requests left before a 429, as a client computes it: the sum of every pool's remaining count. */
function predictedLeft(res: RawResponse): number {
  return Object.values(serviceLimits(res.headers.ratelimit)).reduce((sum, l) => sum + l.r, 0);
}

function api(id: string, rateLimit: Record<string, unknown>): Record<string, unknown> {
  return { id, basePath: `/${id}`, versions: [{ version: '1.0.0' }], auth: { providers: ['test'] }, responseValidation: 'off', rateLimit };
}

describe('rate-limit fields', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let gw: TestGateway;
  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream(json(200, { items: [] }));
    gw = await startTestGateway({
      contracts: { 'bursty/1.0.0': SHOP_V1, 'plain/1.0.0': SHOP_V1, 'legacy/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [
          // Windows of a minute and more: nothing refills while a test runs.
          { ...api('bursty', { points: 3, windowSeconds: 60, burst: 2, burstWindowSeconds: 120 }), upstream: { url: up.url } },
          { ...api('plain', { points: 2, windowSeconds: 60 }), upstream: { url: up.url } },
          { ...api('legacy', { points: 2, windowSeconds: 60, burst: 1, burstWindowSeconds: 90, legacyHeaders: true }), upstream: { url: up.url } },
        ],
      },
    });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  it('with a burst pool: both pools announced, remaining counts exact, the 429 exactly when they reach 0, Retry-After the earliest t', async () => {
    const token = await issuer.token({ client_id: 'acme' });
    const seen: Array<{ status: number; rate?: ServiceLimit; burst?: ServiceLimit }> = [];
    let left: number | undefined;
    let refused: RawResponse | undefined;
    for (let i = 0; i < 10 && refused === undefined; i++) {
      const res = await rawRequest(gw.url, 'GET', '/bursty/v1/items', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.headers['ratelimit-policy'], '"rate";q=3;w=60, "burst";q=2;w=120');
      assert.equal(res.headers['ratelimit-limit'], undefined, 'no draft-06 fields unless asked for');
      const limits = serviceLimits(res.headers.ratelimit);
      seen.push({ status: res.status, rate: limits.rate, burst: limits.burst });
      if (left === 0) {
        refused = res;
        break;
      }
      assert.equal(res.status, 200, `request ${i + 1} was predicted to pass`);
      const now = predictedLeft(res);
      if (left !== undefined) assert.equal(now, left - 1, 'each request spends exactly one');
      left = now;
    }
    assert.deepEqual(seen.map((s) => s.status), [200, 200, 200, 200, 200, 429]);
    assert.deepEqual(seen.map((s) => s.rate?.r), [2, 1, 0, 0, 0, 0]);
    assert.deepEqual(seen.map((s) => s.burst?.r), [2, 2, 2, 1, 0, 0]);
    assert.deepEqual(seen.map((s) => s.burst?.t === undefined), [true, true, true, false, false, false], 'the burst window runs from its first use');
    assert.ok(refused);
    assert.equal(refused.json?.code, 'RATE_LIMITED');
    const limits = serviceLimits(refused.headers.ratelimit);
    const earliest = Math.min(limits.rate!.t!, limits.burst!.t!);
    assert.equal(refused.headers['retry-after'], String(earliest));
    assert.ok(limits.rate!.t! >= 1 && limits.rate!.t! <= 60);
    assert.ok(limits.burst!.t! >= 1 && limits.burst!.t! <= 120);

    const other = await rawRequest(gw.url, 'GET', '/bursty/v1/items', { headers: { authorization: `Bearer ${await issuer.token({ client_id: 'globex' })}` } });
    assert.equal(other.status, 200, 'another consumer has its own budget');
    assert.deepEqual(serviceLimits(other.headers.ratelimit).rate?.r, 2);
  });

  it('without a burst pool: one policy, and the 429 right after r reaches 0', async () => {
    const token = await issuer.token({ client_id: 'acme' });
    const statuses: number[] = [];
    const remaining: number[] = [];
    let refused: RawResponse | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await rawRequest(gw.url, 'GET', '/plain/v1/items', { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.headers['ratelimit-policy'], '"rate";q=2;w=60');
      statuses.push(res.status);
      remaining.push(serviceLimits(res.headers.ratelimit).rate!.r);
      if (res.status === 429) refused ??= res;
    }
    assert.deepEqual(statuses, [200, 200, 429, 429]);
    assert.deepEqual(remaining, [1, 0, 0, 0]);
    assert.deepEqual(Object.keys(serviceLimits(refused!.headers.ratelimit)), ["rate"]);
    assert.equal(refused!.headers['retry-after'], String(serviceLimits(refused!.headers.ratelimit).rate!.t));
  });

  it('legacyHeaders adds the draft-06 trio, with totals over both pools that are exact too', async () => {
    const token = await issuer.token({ client_id: 'acme' });
    const rows: Array<[number, string | undefined, string | undefined]> = [];
    let refused: RawResponse | undefined;
    for (let i = 0; i < 4; i++) {
      const res = await rawRequest(gw.url, 'GET', '/legacy/v1/items', { headers: { authorization: `Bearer ${token}` } });
      rows.push([res.status, res.headers['ratelimit-limit'] as string | undefined, res.headers['ratelimit-remaining'] as string | undefined]);
      assert.equal(res.headers['ratelimit-policy'], '"rate";q=2;w=60, "burst";q=1;w=90', 'the IETF fields are sent as well');
      assert.equal(String(predictedLeft(res)), res.headers['ratelimit-remaining']);
      if (res.status === 429) refused ??= res;
    }
    assert.deepEqual(rows, [
      [200, '3', '2'],
      [200, '3', '1'],
      [200, '3', '0'],
      [429, '3', '0'],
    ]);
    assert.equal(refused!.headers['ratelimit-reset'], refused!.headers['retry-after']);
  });
});
