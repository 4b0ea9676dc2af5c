/**
 * The usage recorder and memory store with an injected clock: daily UTC buckets, retention, the
 * fingerprint's locations, caps and overflow, per-request bounds, sampling, capacity and store failures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pino } from 'pino';
import { UsageRecorder, type DropReason } from '../../src/usage/usage-recorder.js';
import { MemoryUsageStore } from '../../src/usage/stores/memory-store.js';
import type { UsageStore } from '../../src/usage/stores/usage-store.js';
import type { OperationUsage } from '../../src/usage/operation-usage.js';
import type { UsageConfig } from '../../src/usage/schema.js';
import type { RequestSample } from '../../src/usage/request-fingerprint.js';
import type { UsageBatch } from '../../src/usage/usage-record.js';
import { recordCall } from '../../src/usage/record-call.js';

const logger = pino({ level: 'silent' });

const PLAN: OperationUsage = {
  api: 'orders',
  version: '1.2.0',
  major: 1,
  operation: 'createOrder',
  queryKeys: new Map([
    ['limit', 'query:limit'],
    ['filter', 'query:filter'],
    ['lat', 'query:point'],
    ['lon', 'query:point'],
  ]),
  deepQuery: new Map([['filter', 'query:filter']]),
  headers: [['x-tenant', 'header:x-tenant']],
  cookies: new Map([['session-hint', 'cookie:session-hint']]),
  hasBody: true,
  enums: undefined,
};

function config(overrides: Partial<UsageConfig> = {}, fingerprint: Partial<UsageConfig['fingerprint']> = {}): UsageConfig {
  return {
    enabled: true,
    store: 'memory',
    redis: { keyPrefix: 'accord:usage:' },
    flushIntervalSeconds: 10,
    retentionDays: 90,
    maxPendingRecords: 1000,
    maxRetainedBatches: 30,
    ...overrides,
    fingerprint: { enabled: true, maxLocations: 256, maxDepth: 16, maxNodes: 512, arrayElements: 8, stableAfter: 64, sampleEvery: 10, ...fingerprint },
  };
}

/** A clock the test moves. */
function clock(start: string): { now: () => number; set(iso: string): void } {
  let t = Date.parse(start);
  return { now: () => t, set: (iso) => void (t = Date.parse(iso)) };
}

function setup(cfg: UsageConfig, start = '2026-12-01T12:00:00Z', store?: UsageStore): { recorder: UsageRecorder; time: ReturnType<typeof clock>; dropped: Array<[DropReason, number]>; failures: string[] } {
  const time = clock(start);
  const dropped: Array<[DropReason, number]> = [];
  const failures: string[] = [];
  const recorder = new UsageRecorder(cfg, {
    store: store ?? new MemoryUsageStore({ retentionDays: cfg.retentionDays, maxLocations: cfg.fingerprint.maxLocations }, time.now),
    logger,
    now: time.now,
    onDropped: (reason, calls) => dropped.push([reason, calls]),
    onFlushFailure: (kind) => failures.push(kind),
  });
  return { recorder, time, dropped, failures };
}

const sample = (parts: Partial<RequestSample> = {}): RequestSample => ({ rawQuery: '', headers: {}, body: undefined, hasBody: false, ...parts });
const withBody = (body: unknown): RequestSample => sample({ body, hasBody: true });

describe('usage recorder: daily buckets and retention', () => {
  it('counts per UTC day, split at midnight, with first and last seen', async () => {
    const { recorder, time } = setup(config());
    time.set('2026-12-01T23:59:58Z');
    recorder.record(PLAN, 'acme', 200, sample());
    time.set('2026-12-01T23:59:59Z');
    recorder.record(PLAN, 'acme', 201, sample());
    time.set('2026-12-02T00:00:01Z');
    recorder.record(PLAN, 'acme', 204, sample());
    recorder.record(PLAN, 'acme', 503, sample());
    const report = await recorder.query({});
    assert.deepEqual(report.window, { since: '2026-09-04', until: '2026-12-02' });
    assert.deepEqual(
      report.records.map((r) => [r.consumer, r.version, r.major, r.statusClass, r.calls, r.firstSeen, r.lastSeen, r.daily]),
      [
        ['acme', '1.2.0', 1, '2xx', 3, '2026-12-01T23:59:58.000Z', '2026-12-02T00:00:01.000Z', [{ day: '2026-12-01', count: 2 }, { day: '2026-12-02', count: 1 }]],
        ['acme', '1.2.0', 1, '5xx', 1, '2026-12-02T00:00:01.000Z', '2026-12-02T00:00:01.000Z', [{ day: '2026-12-02', count: 1 }]],
      ],
    );
  });

  const classes: Array<{ status: number; statusClass: string }> = [
    { status: 101, statusClass: '1xx' },
    { status: 200, statusClass: '2xx' },
    { status: 304, statusClass: '3xx' },
    { status: 429, statusClass: '4xx' },
    { status: 504, statusClass: '5xx' },
  ];
  for (const c of classes) {
    it(`puts ${c.status} in ${c.statusClass}`, async () => {
      const { recorder } = setup(config());
      recorder.record(PLAN, 'acme', c.status, sample());
      assert.deepEqual((await recorder.query({})).records.map((r) => r.statusClass), [c.statusClass]);
    });
  }

  it('keeps retentionDays days and forgets what is older', async () => {
    const { recorder, time } = setup(config({ retentionDays: 2 }));
    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03']) {
      time.set(`${day}T10:00:00Z`);
      recorder.record(PLAN, 'acme', 200, sample());
      await recorder.flush();
    }
    const report = await recorder.query({});
    assert.deepEqual(report.window, { since: '2026-12-02', until: '2026-12-03' });
    assert.deepEqual(report.records[0]!.daily, [{ day: '2026-12-02', count: 1 }, { day: '2026-12-03', count: 1 }]);
    assert.equal(report.records[0]!.calls, 2);
    time.set('2026-12-05T10:00:00Z');
    const later = await recorder.query({});
    assert.deepEqual(later.records, []);
    assert.deepEqual(later.fingerprints, []);
  });

  it('narrows the window with since', async () => {
    const { recorder, time } = setup(config());
    time.set('2026-11-20T10:00:00Z');
    recorder.record(PLAN, 'acme', 200, sample());
    time.set('2026-12-01T10:00:00Z');
    recorder.record(PLAN, 'acme', 200, sample());
    recorder.record(PLAN, 'globex', 200, sample());
    const report = await recorder.query({ since: '2026-11-25', consumer: 'acme' });
    assert.deepEqual(report.window.since, '2026-11-25');
    assert.deepEqual(report.records.map((r) => [r.consumer, r.calls]), [['acme', 1]]);
  });
});

describe('usage recorder: fingerprint', () => {
  const locations = async (recorder: UsageRecorder): Promise<string[]> => {
    const [fp] = (await recorder.query({})).fingerprints;
    return fp!.locations.map((l) => `${l.in}:${l.name}=${l.count}`);
  };

  const cases: Array<{ name: string; samples: RequestSample[]; locations: string[]; undeclaredQuery?: number; fingerprint?: Partial<UsageConfig['fingerprint']> }> = [
    {
      name: 'declared query keys (decoded; exploded members as their parameter; deepObject keys) and undeclared ones counted',
      samples: [sample({ rawQuery: 'li%6Dit=5&lat=1&lon=2&filter[region]=eu&utm=x&&flag' })],
      locations: ['query:filter=1', 'query:limit=1', 'query:point=1'],
      undeclaredQuery: 1,
    },
    { name: 'a case variant of a declared name is undeclared', samples: [sample({ rawQuery: 'LIMIT=5' })], locations: [], undeclaredQuery: 1 },
    { name: 'declared headers and cookies only', samples: [sample({ headers: { 'x-tenant': 't', 'x-other': 'o', cookie: 'a=1; session-hint=2' } })], locations: ['cookie:session-hint=1', 'header:x-tenant=1'] },
    {
      name: 'body members at every depth, array indices as *, counted once per request',
      samples: [withBody({ items: [{ sku: 'a' }, { sku: 'b', tags: ['x'] }], 'a/b': { '~c': 1 } }), withBody({ items: [] })],
      locations: ['body:=2', 'body:/a~1b=1', 'body:/a~1b/~0c=1', 'body:/items=2', 'body:/items/*/sku=1', 'body:/items/*/tags=1'],
    },
    { name: 'a top-level array and nested arrays', samples: [withBody([[{ id: 1 }]])], locations: ['body:=1', 'body:/*/*/id=1'] },
    { name: 'a scalar body is just a body', samples: [withBody(42)], locations: ['body:=1'] },
    { name: 'maxDepth stops the walk', samples: [withBody({ a: { b: { c: { d: 1 } } } })], locations: ['body:=1', 'body:/a=1', 'body:/a/b=1'], fingerprint: { maxDepth: 2 } },
    { name: 'arrayElements bounds the elements examined', samples: [withBody({ l: [{ x: 1 }, { y: 1 }, { z: 1 }] })], locations: ['body:=1', 'body:/l=1', 'body:/l/*/x=1', 'body:/l/*/y=1'], fingerprint: { arrayElements: 2 } },
    { name: 'maxNodes bounds the values examined per request', samples: [withBody({ a: 1, b: 2, c: 3, d: 4 })], locations: ['body:=1', 'body:/a=1', 'body:/b=1'], fingerprint: { maxNodes: 2 } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { recorder } = setup(config({}, c.fingerprint));
      for (const s of c.samples) recorder.record(PLAN, 'acme', 200, s);
      assert.deepEqual(await locations(recorder), c.locations);
      const [fp] = (await recorder.query({})).fingerprints;
      assert.equal(fp!.undeclaredQuery, c.undeclaredQuery ?? 0);
      assert.equal(fp!.requests, c.samples.length);
    });
  }

  it('caps the locations of a fingerprint and counts the overflow', async () => {
    const { recorder } = setup(config({}, { maxLocations: 3 }));
    recorder.record(PLAN, 'acme', 200, withBody({ a: 1, b: 1, c: 1, d: 1 }));
    recorder.record(PLAN, 'acme', 200, withBody({ a: 1 }));
    recorder.record(PLAN, 'acme', 200, withBody({ e: 1, f: 1 }));
    const [fp] = (await recorder.query({})).fingerprints;
    assert.deepEqual(fp!.locations.map((l) => `${l.name}=${l.count}`), ['=3', '/a=2', '/b=1']);
    assert.equal(fp!.overflow, 2, 'one per examined request that brought a location with no room');
  });

  it('the store holds the cap across flushes', async () => {
    const { recorder } = setup(config({}, { maxLocations: 2 }));
    recorder.record(PLAN, 'acme', 200, withBody({ a: 1 }));
    await recorder.flush();
    // A new entry after an idle flush forgets what it knew; the store still refuses a third location.
    await recorder.flush();
    recorder.record(PLAN, 'acme', 200, withBody({ b: 1 }));
    const [fp] = (await recorder.query({})).fingerprints;
    assert.deepEqual(fp!.locations.map((l) => l.name), ['', '/a']);
    assert.equal(fp!.overflow, 1);
  });

  it('samples a stable fingerprint: every request while learning, then one in sampleEvery', async () => {
    const { recorder } = setup(config({}, { stableAfter: 3, sampleEvery: 4 }));
    for (let i = 0; i < 10; i++) recorder.record(PLAN, 'acme', 200, sample({ rawQuery: 'limit=1' }));
    const [fp] = (await recorder.query({})).fingerprints;
    // Requests 1-4 examined (the 4th makes three without anything new), then the 8th.
    assert.equal(fp!.requests, 10);
    assert.equal(fp!.examined, 5);
    assert.equal(fp!.locations[0]!.count, 5);
  });

  it('records only counts when the fingerprint is off', async () => {
    const { recorder } = setup(config({}, { enabled: false }));
    recorder.record(PLAN, 'acme', 200, withBody({ a: 1 }));
    const report = await recorder.query({});
    assert.equal(report.records.length, 1);
    assert.deepEqual(report.fingerprints, []);
  });
});

describe('usage recorder: bounds and store failures', () => {
  it('drops calls of new records beyond maxPendingRecords, and counts them', async () => {
    const { recorder, dropped } = setup(config({ maxPendingRecords: 2 }));
    recorder.record(PLAN, 'acme', 200, sample());
    recorder.record(PLAN, 'globex', 200, sample());
    recorder.record(PLAN, 'initech', 200, sample());
    recorder.record(PLAN, 'acme', 500, sample());
    assert.deepEqual(dropped, [['capacity', 1]]);
    await recorder.flush();
    // Idle entries are forgotten at the next flush, which makes room again.
    await recorder.flush();
    recorder.record(PLAN, 'initech', 200, sample());
    assert.deepEqual((await recorder.query({})).records.map((r) => `${r.consumer} ${r.statusClass} ${r.calls}`), ['acme 2xx 1', 'acme 5xx 1', 'globex 2xx 1', 'initech 2xx 1']);
  });

  /** A store that fails while `down` is true. */
  function flakyStore(): UsageStore & { down: boolean; written: UsageBatch[] } {
    const memory = new MemoryUsageStore({ retentionDays: 90, maxLocations: 256 }, () => Date.parse('2026-12-01T12:00:00Z'));
    const store = {
      kind: 'flaky',
      down: true,
      written: [] as UsageBatch[],
      async write(batch: UsageBatch) {
        if (store.down) throw new Error('connection refused');
        store.written.push(batch);
        await memory.write(batch);
      },
      query: memory.query.bind(memory),
      close: memory.close.bind(memory),
    };
    return store;
  }

  it('keeps a batch the store refused and writes it at the next flush', async () => {
    const store = flakyStore();
    const { recorder, failures, dropped } = setup(config(), undefined, store);
    recorder.record(PLAN, 'acme', 200, sample());
    await recorder.flush();
    recorder.record(PLAN, 'acme', 200, sample());
    await recorder.flush();
    assert.deepEqual(failures, ['flaky', 'flaky']);
    store.down = false;
    const report = await recorder.query({});
    assert.equal(report.records[0]!.calls, 2);
    assert.equal(store.written.length, 2);
    assert.deepEqual(dropped, []);
  });

  it('drops the oldest batches beyond maxRetainedBatches, and counts their calls', async () => {
    const store = flakyStore();
    const { recorder, dropped } = setup(config({ maxRetainedBatches: 1 }), undefined, store);
    for (let i = 0; i < 3; i++) {
      recorder.record(PLAN, 'acme', 200, sample());
      recorder.record(PLAN, 'acme', 200, sample());
      await recorder.flush();
    }
    assert.deepEqual(dropped, [['store-unavailable', 2], ['store-unavailable', 2]]);
    store.down = false;
    assert.equal((await recorder.query({})).records[0]!.calls, 2);
  });
});

describe('recordCall: what a finished request hands the recorder', () => {
  type Ctx = Parameters<typeof recordCall>[2];
  const ctx = (parts: { parsedBody?: unknown; body?: string; contentType?: string; consumerId?: string; status?: number }): Ctx =>
    ({
      req: { headers: parts.contentType ? { 'content-type': parts.contentType } : {} },
      res: { statusCode: parts.status ?? 200 },
      consumerId: parts.consumerId,
      rawQuery: '',
      body: parts.body === undefined ? undefined : Buffer.from(parts.body),
      parsedBody: parts.parsedBody,
    }) as unknown as Ctx;

  const cases: Array<{ name: string; ctx: Ctx; consumer: string; locations: string[] }> = [
    { name: 'the body validation parsed', ctx: ctx({ parsedBody: { a: 1 }, body: '{"a":1}', contentType: 'application/json', consumerId: 'acme' }), consumer: 'acme', locations: ['=1', '/a=1'] },
    { name: 'a JSON body validation did not parse (validation off) is parsed once', ctx: ctx({ body: '{"b":{"c":2}}', contentType: 'application/problem+json', consumerId: 'acme' }), consumer: 'acme', locations: ['=1', '/b=1', '/b/c=1'] },
    { name: 'a body that is not JSON adds only its presence', ctx: ctx({ body: 'a=1', contentType: 'text/plain' }), consumer: '(anonymous)', locations: ['=1'] },
    { name: 'JSON that does not parse adds only its presence', ctx: ctx({ body: '{"a":', contentType: 'application/json' }), consumer: '(anonymous)', locations: ['=1'] },
    { name: 'no body', ctx: ctx({}), consumer: '(anonymous)', locations: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { recorder } = setup(config());
      recordCall(recorder, PLAN, c.ctx);
      const report = await recorder.query({});
      assert.equal(report.records[0]!.consumer, c.consumer);
      assert.deepEqual(report.fingerprints[0]!.locations.map((l) => `${l.name}=${l.count}`), c.locations);
    });
  }

  // Every finished request makes one sample: an object V8 had to keep in dictionary mode (an object
  // literal with its own getter is one) cost about 1 µs to build and made every scavenge slow.
  it('hands a sample with fast properties (V8 natives, in a child process)', () => {
    const script = [
      `const { recordCall } = await import(${JSON.stringify(new URL('../../src/usage/record-call.ts', import.meta.url).href)});`,
      'const samples = [];',
      'const recorder = { record: (_plan, _consumer, _status, sample) => samples.push(sample) };',
      "for (const rawQuery of ['a=1', 'b=2']) recordCall(recorder, {}, { res: { statusCode: 200 }, req: { headers: {} }, rawQuery, body: Buffer.from('{}') });",
      'console.log(JSON.stringify({ fast: %HasFastProperties(samples[0]), sameShape: %HaveSameMap(samples[0], samples[1]) }));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { fast: true, sameShape: true });
  });
});
