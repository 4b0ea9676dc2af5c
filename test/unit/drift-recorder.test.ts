/**
 * The drift recorder with an injected clock: counts per site, minute and hour windows, first and
 * last seen, bounded examples, bounded sites, filters, and the window syntax.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DriftRecorder, parseDriftWindow, type DriftSite } from '../../src/observability/drift-recorder.js';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 30);
const MIN = 60_000;
const HOUR = 60 * MIN;
const LIST: DriftSite = { api: 'shop', version: '1.0.0', operation: 'listItems', target: 'http://127.0.0.1:9001' };
const LIST_B: DriftSite = { ...LIST, target: 'http://127.0.0.1:9002' };
const ORDERS: DriftSite = { api: 'orders', version: '2.0.0', operation: 'GET /orders/{id}', target: 'http://127.0.0.1:9003' };
const PRICE = [{ pointer: '/body/items/0/price', message: 'must be number' }];

function clocked(options: { maxSeries?: number; maxExamples?: number } = {}): { recorder: DriftRecorder; at: (ms: number) => void; dropped: Array<[string, boolean]> } {
  let now = T0;
  const dropped: Array<[string, boolean]> = [];
  const recorder = new DriftRecorder({ now: () => now, onSiteDropped: (site, first) => dropped.push([site.operation, first]), ...options });
  return { recorder, at: (ms) => void (now = T0 + ms), dropped };
}

describe('drift recorder: counts and windows', () => {
  const scenarios: Array<{ name: string; play: (r: DriftRecorder, at: (ms: number) => void) => void; queryAt: number; windowMs: number; expected: Array<[string, string, number, number]> }> = [
    {
      name: 'two targets of one operation are two sites',
      play: (r) => {
        r.record(LIST, 'report', PRICE);
        r.record(LIST, 'report', PRICE);
        r.record(LIST_B, 'enforce', PRICE);
      },
      queryAt: 0,
      windowMs: HOUR,
      expected: [['listItems', LIST.target, 2, 2], ['listItems', LIST_B.target, 1, 1]],
    },
    {
      name: 'a 5-minute window counts the minutes it covers, not older ones',
      play: (r, at) => {
        r.record(LIST, 'report', PRICE);
        at(10 * MIN);
        r.record(LIST, 'report', PRICE);
        r.record(ORDERS, 'report', PRICE);
        r.record(ORDERS, 'report', PRICE);
      },
      queryAt: 12 * MIN,
      windowMs: 5 * MIN,
      expected: [['GET /orders/{id}', ORDERS.target, 2, 2], ['listItems', LIST.target, 1, 2]],
    },
    {
      name: 'a 24h window counts whole hours, and nothing older than the window',
      play: (r, at) => {
        r.record(LIST, 'report', PRICE);
        at(30 * HOUR);
        r.record(ORDERS, 'report', PRICE);
      },
      queryAt: 31 * HOUR,
      windowMs: 24 * HOUR,
      expected: [['GET /orders/{id}', ORDERS.target, 1, 1]],
    },
    {
      name: 'a 7-day window still holds a violation of six days ago',
      play: (r, at) => {
        r.record(LIST, 'report', PRICE);
        at(6 * 24 * HOUR);
        r.record(LIST, 'report', PRICE);
      },
      queryAt: 6 * 24 * HOUR + MIN,
      windowMs: 168 * HOUR,
      expected: [['listItems', LIST.target, 2, 2]],
    },
    {
      name: 'an hour ring slot reused after the retention does not count the old hour',
      play: (r, at) => {
        r.record(LIST, 'report', PRICE);
        at(169 * HOUR);
        r.record(LIST, 'report', PRICE);
      },
      queryAt: 169 * HOUR,
      windowMs: 168 * HOUR,
      expected: [['listItems', LIST.target, 1, 2]],
    },
    {
      name: 'nothing in the window: no entry, though the site is known',
      play: (r) => r.record(LIST, 'report', PRICE),
      queryAt: 2 * HOUR,
      windowMs: 30 * MIN,
      expected: [],
    },
  ];
  for (const s of scenarios) {
    it(s.name, () => {
      const { recorder, at } = clocked();
      s.play(recorder, at);
      at(s.queryAt);
      const report = recorder.report(s.windowMs);
      assert.deepEqual(report.entries.map((e) => [e.operation, e.target, e.count, e.total]), s.expected);
      assert.equal(report.violations, s.expected.reduce((n, e) => n + e[2], 0));
    });
  }
});

describe('drift recorder: what an entry tells', () => {
  it('first and last seen, the last mode, examples by frequency, and the window in whole buckets', () => {
    const { recorder, at } = clocked({ maxExamples: 2 });
    recorder.record(LIST, 'report', [{ pointer: '/body/items/0/price', message: 'must be number' }]);
    at(90 * 1000);
    recorder.record(LIST, 'enforce', [
      { pointer: '/body/items/0/price', message: 'must be number (got string)' },
      { pointer: '/body/items/0/id', message: 'must be string' },
      { pointer: '/body/total', message: 'must be integer' },
    ]);
    const report = recorder.report(10 * MIN);
    assert.deepEqual(report, {
      window: { since: new Date(Date.UTC(2026, 11, 3, 9, 52)).toISOString(), until: new Date(T0 + 90_000).toISOString(), granularity: 'minute' },
      violations: 2,
      dropped: 0,
      entries: [
        {
          ...LIST,
          count: 2,
          total: 2,
          firstSeen: new Date(T0).toISOString(),
          lastSeen: new Date(T0 + 90_000).toISOString(),
          mode: 'enforce',
          examples: [
            { pointer: '/body/items/0/price', message: 'must be number (got string)', count: 2 },
            { pointer: '/body/items/0/id', message: 'must be string', count: 1 },
          ],
          otherViolations: 1,
        },
      ],
    });
  });

  it('filters by API and version', () => {
    const { recorder } = clocked();
    recorder.record(LIST, 'report', PRICE);
    recorder.record(ORDERS, 'report', PRICE);
    recorder.record({ ...ORDERS, version: '2.1.0' }, 'report', PRICE);
    assert.deepEqual(recorder.report(HOUR, { api: 'orders' }).entries.map((e) => e.version), ['2.0.0', '2.1.0']);
    assert.deepEqual(recorder.report(HOUR, { api: 'orders', version: '2.1.0' }).entries.map((e) => e.version), ['2.1.0']);
    assert.deepEqual(recorder.report(HOUR, { api: 'none' }).entries, []);
  });

  it('beyond maxSeries a new site is dropped and counted, the first drop announced once', () => {
    const { recorder, dropped } = clocked({ maxSeries: 1 });
    recorder.record(LIST, 'report', PRICE);
    recorder.record(ORDERS, 'report', PRICE);
    recorder.record(ORDERS, 'report', PRICE);
    recorder.record(LIST, 'report', PRICE);
    const report = recorder.report(HOUR);
    assert.deepEqual(report.entries.map((e) => [e.operation, e.count]), [['listItems', 2]]);
    assert.equal(report.dropped, 2);
    assert.deepEqual(dropped, [['GET /orders/{id}', true], ['GET /orders/{id}', false]]);
  });

  it('refuses a window beyond the retention (misuse)', () => {
    const { recorder } = clocked();
    assert.throws(() => recorder.report(169 * HOUR), TypeError);
    assert.throws(() => recorder.report(0), TypeError);
  });
});

describe('drift window syntax', () => {
  const table: Array<[string, number | undefined]> = [
    ['1m', MIN],
    ['60m', HOUR],
    ['61m', undefined],
    ['1h', HOUR],
    ['24h', 24 * HOUR],
    ['168h', 168 * HOUR],
    ['169h', undefined],
    ['7d', 168 * HOUR],
    ['8d', undefined],
    ['0h', undefined],
    ['1w', undefined],
    ['h', undefined],
    [' 1h', undefined],
    ['01h', undefined],
  ];
  for (const [text, ms] of table) {
    it(`${JSON.stringify(text)} -> ${ms ?? 'refused'}`, () => assert.equal(parseDriftWindow(text), ms));
  }
});
