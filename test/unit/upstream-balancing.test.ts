/** The pieces that decide among upstream targets: balancers, the retry budget and full-jitter backoff. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RoundRobin, LeastOutstanding } from '../../src/gateway/upstreams/balancer.js';
import { UpstreamTarget } from '../../src/gateway/upstreams/upstream-target.js';
import { RetryBudget } from '../../src/gateway/upstreams/retry-budget.js';
import { fullJitterDelay } from '../../src/gateway/upstreams/backoff.js';

function targets(...weights: number[]): UpstreamTarget[] {
  return weights.map((weight, i) => new UpstreamTarget({ url: `http://127.0.0.1:${4000 + i}`, weight }, { maxFreeSockets: 1 }, 1000));
}

function picks(balancer: { pick: RoundRobin['pick'] }, list: UpstreamTarget[], n: number, usable: (t: UpstreamTarget) => boolean = () => true): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(97 + list.indexOf(balancer.pick(list, usable)!));
  return out;
}

describe('round-robin', () => {
  const cases: Array<{ name: string; weights: number[]; n: number; expect: string }> = [
    { name: 'equal weights alternate', weights: [1, 1], n: 6, expect: 'ababab' },
    { name: 'three targets in turn', weights: [1, 1, 1], n: 6, expect: 'abcabc' },
    { name: 'weights 5,1,1 interleave smoothly (nginx)', weights: [5, 1, 1], n: 7, expect: 'aabacaa' },
    { name: 'weights 3,1', weights: [3, 1], n: 8, expect: 'aabaaaba' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const list = targets(...c.weights);
      assert.equal(picks(new RoundRobin(), list, c.n), c.expect);
      for (const t of list) t.agent.destroy();
    });
  }

  it('skips targets that are not usable, and returns undefined when none is', () => {
    const list = targets(1, 1, 1);
    const rr = new RoundRobin();
    assert.equal(picks(rr, list, 4, (t) => t !== list[1]), 'acac');
    assert.equal(rr.pick(list, () => false), undefined);
    for (const t of list) t.agent.destroy();
  });
});

describe('least outstanding', () => {
  it('chooses the target with the fewest attempts in flight per weight', () => {
    const list = targets(1, 1, 2);
    const lo = new LeastOutstanding();
    list[0]!.outstanding = 1;
    list[1]!.outstanding = 0;
    list[2]!.outstanding = 1;
    assert.equal(lo.pick(list, () => true), list[1]);
    list[1]!.outstanding = 1;
    // 1/2 for the double-weight target beats 1/1.
    assert.equal(lo.pick(list, () => true), list[2]);
    for (const t of list) t.agent.destroy();
  });

  it('spreads ties instead of sending them all to the first target', () => {
    const list = targets(1, 1, 1);
    assert.equal(picks(new LeastOutstanding(), list, 6), 'abcabc');
    for (const t of list) t.agent.destroy();
  });
});

describe('retry budget', () => {
  it('allows ratio retries per request plus the per-second reserve over the window', () => {
    let now = 1_000_000;
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 1, windowSeconds: 10 }, () => now);
    // The reserve alone: 10 retries (1 per second of a 10 s window).
    let allowed = 0;
    for (let i = 0; i < 50; i++) if (budget.tryRetry()) allowed++;
    assert.equal(allowed, 10);
    for (let i = 0; i < 20; i++) budget.recordRequest();
    // 20 requests add 4.
    allowed = 0;
    for (let i = 0; i < 50; i++) if (budget.tryRetry()) allowed++;
    assert.equal(allowed, 4);
    // Once the window has passed, the old retries no longer count.
    now += 11_000;
    allowed = 0;
    for (let i = 0; i < 50; i++) if (budget.tryRetry()) allowed++;
    assert.equal(allowed, 10);
  });

  it('with no reserve, allows nothing until requests earn it', () => {
    const budget = new RetryBudget({ ratio: 0.1, minRetriesPerSecond: 0, windowSeconds: 60 }, () => 5_000);
    assert.equal(budget.tryRetry(), false);
    for (let i = 0; i < 9; i++) budget.recordRequest();
    assert.equal(budget.tryRetry(), false);
    budget.recordRequest();
    assert.equal(budget.tryRetry(), true);
    assert.equal(budget.tryRetry(), false);
  });
});

describe('full-jitter backoff', () => {
  const cases: Array<{ name: string; retry: number; random: number; expect: number }> = [
    { name: 'first retry, top of the range', retry: 1, random: 0.999, expect: 99 },
    { name: 'third retry doubles twice', retry: 3, random: 0.5, expect: 200 },
    { name: 'capped at the maximum', retry: 10, random: 0.5, expect: 500 },
    { name: 'may be zero', retry: 2, random: 0, expect: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(fullJitterDelay(c.retry, 100, 1000, () => c.random), c.expect));
  }
});
