/**
 * Enum values in usage records: the compiled contract names the enum-restricted parameters and body
 * pointers at load; the recorder captures which of the enum's values each request sends there
 * (nothing else: other fields and values outside the enum are never recorded), bounded by the enum.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { compileContract } from '../../src/contracts/compile/index.js';
import { planOperationUsage } from '../../src/usage/operation-usage.js';
import { UsageRecorder } from '../../src/usage/usage-recorder.js';
import { MemoryUsageStore } from '../../src/usage/stores/memory-store.js';
import type { RequestSample } from '../../src/usage/request-fingerprint.js';
import type { UsageConfig } from '../../src/usage/schema.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'usage', 'enums-31.yaml');
const op = compileContract(loadOpenApi(FIXTURE), { enumSites: true }).operations.find((o) => o.operationId === 'createOrder')!;
const PLAN = planOperationUsage(op, 'orders', '1.0.0', 1);
const NOW = Date.parse('2026-12-01T12:00:00Z');

function config(maxLocations = 256): UsageConfig {
  return {
    enabled: true, store: 'memory', redis: { keyPrefix: 'accord:usage:' }, flushIntervalSeconds: 10, retentionDays: 90, maxPendingRecords: 1000, maxRetainedBatches: 30,
    fingerprint: { enabled: true, maxLocations, maxDepth: 16, maxNodes: 512, arrayElements: 8, stableAfter: 64, sampleEvery: 10 },
  };
}

const sample = (parts: Partial<RequestSample>): RequestSample => ({ rawQuery: '', headers: {}, body: undefined, hasBody: false, ...parts });

/** Records the samples as one consumer and answers its enum values as `location=value xcount`. */
async function enumValues(samples: RequestSample[], maxLocations?: number): Promise<string[]> {
  const cfg = config(maxLocations);
  const recorder = new UsageRecorder(cfg, { store: new MemoryUsageStore({ retentionDays: 90, maxLocations: cfg.fingerprint.maxLocations }, () => NOW), logger: pino({ level: 'silent' }), now: () => NOW });
  for (const s of samples) recorder.record(PLAN, 'acme', 201, s);
  const [fp] = (await recorder.query({})).fingerprints;
  return fp!.enumValues.map((v) => `${v.location}=${JSON.stringify(v.value)} x${v.count}`);
}

describe('enum sites, found at load', () => {
  it('lists the enum-restricted parameters and body pointers, through $ref, allOf and array items, and nothing else', () => {
    assert.deepEqual(op.enumSites.map((s) => `${s.location}: ${JSON.stringify(s.values)}`), [
      'query:status: ["open","shipped"]',
      'query:states: ["open","shipped"]',
      'header:x-mode: ["fast","safe"]',
      'cookie:region: ["eu","us"]',
      'body:/channel: ["web","app"]',
      'body:/level: [1,2,true,null]',
      'body:/kind: ["standard"]',
      'body:/tags/*: ["gift","fragile"]',
      'body:/items/*/priority: ["low","high"]',
    ]);
  });
});

describe('enum values sent, per consumer and operation', () => {
  const cases: Array<{ name: string; samples: RequestSample[]; expected: string[] }> = [
    { name: 'a query value, counted per request', samples: [sample({ rawQuery: 'status=open' }), sample({ rawQuery: 'status=open&note=x' }), sample({ rawQuery: 'status=shipped' })], expected: ['query:status="open" x2', 'query:status="shipped" x1'] },
    { name: 'a query value outside the enum, and a free-text parameter: nothing', samples: [sample({ rawQuery: 'status=closed&note=open' })], expected: [] },
    { name: 'an array parameter sent as a comma list (percent-encoded)', samples: [sample({ rawQuery: 'states=open%2Cshipped' }), sample({ rawQuery: 'states=open,closed' })], expected: ['query:states="open" x2', 'query:states="shipped" x1'] },
    { name: 'a header value and a cookie value', samples: [sample({ headers: { 'x-mode': 'safe', cookie: 'other=1; region=eu' } })], expected: ['cookie:region="eu" x1', 'header:x-mode="safe" x1'] },
    { name: 'body values by JSON type: 2 matches 2, "2" does not; null and true are values', samples: [sample({ hasBody: true, body: { channel: 'web', level: 2 } }), sample({ hasBody: true, body: { level: '2' } }), sample({ hasBody: true, body: { level: null, kind: 'standard' } }), sample({ hasBody: true, body: { level: true } })], expected: ['body:/channel="web" x1', 'body:/kind="standard" x1', 'body:/level=2 x1', 'body:/level=null x1', 'body:/level=true x1'] },
    { name: 'array items collapse to *: enum items and enum members of object items', samples: [sample({ hasBody: true, body: { tags: ['gift', 'gift', 'other'], items: [{ priority: 'high', sku: 'a' }, { priority: 'low' }, { priority: 'urgent' }] } })], expected: ['body:/items/*/priority="high" x1', 'body:/items/*/priority="low" x1', 'body:/tags/*="gift" x1'] },
    { name: 'a free-text body field equal to an enum value elsewhere: nothing', samples: [sample({ hasBody: true, body: { free: 'web', items: [{ sku: 'high' }] } })], expected: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(await enumValues(c.samples), c.expected);
    });
  }

  it('values share the fingerprint cap with locations: beyond it they count as overflow', async () => {
    const cfg = config(3);
    const recorder = new UsageRecorder(cfg, { store: new MemoryUsageStore({ retentionDays: 90, maxLocations: 3 }, () => NOW), logger: pino({ level: 'silent' }), now: () => NOW });
    recorder.record(PLAN, 'acme', 201, sample({ hasBody: true, body: { channel: 'web' } }));
    recorder.record(PLAN, 'acme', 201, sample({ hasBody: true, body: { channel: 'app' } }));
    const [fp] = (await recorder.query({})).fingerprints;
    assert.deepEqual([fp!.locations.map((l) => `${l.in}:${l.name}`), fp!.enumValues.map((v) => v.value), fp!.overflow], [['body:', 'body:/channel'], ['web'], 1]);
  });

  it('without usage recording the compiler does not look for enum sites', () => {
    assert.deepEqual(compileContract(loadOpenApi(FIXTURE)).operations.find((o) => o.operationId === 'createOrder')!.enumSites, []);
  });

  it('an operation without enums has no enum plan (no value is looked at)', () => {
    const plain = compileContract(loadOpenApi(join(import.meta.dirname, '..', 'integration', 'fixtures', 'usage', 'orders-1.0.0.yaml')), { enumSites: true }).operations.find((o) => o.operationId === 'getOrder')!;
    assert.equal(planOperationUsage(plain, 'orders', '1.0.0', 1).enums, undefined);
  });
});
