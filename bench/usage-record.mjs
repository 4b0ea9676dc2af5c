// Per-call CPU cost of the usage recorder on the request's close (no I/O: the flush is timed separately).
// Run after `npm run build`: node bench/usage-record.mjs
import { pino } from 'pino';
import { UsageRecorder } from '../dist/usage/usage-recorder.js';
import { MemoryUsageStore } from '../dist/usage/stores/memory-store.js';
import { enumLocation } from '../dist/usage/usage-record.js';

const base = {
  api: 'orders', version: '1.0.0', major: 1, operation: 'createOrder',
  queryKeys: new Map([['limit', 'query:limit'], ['status', 'query:status']]), deepQuery: new Map(),
  headers: [['x-tenant', 'header:x-tenant']], cookies: new Map(), hasBody: true,
};
/** The enum capture as planOperationUsage builds it: each enum value -> its recorded location. */
function capture(location, values) {
  return { byText: new Map(values.map((v) => [String(v), enumLocation(location, v)])), byValue: new Map(values.map((v) => [v, enumLocation(location, v)])) };
}
const withoutEnums = { ...base, enums: undefined };
// Enums at the query status, the body channel and each line item's priority (three of the nine body members).
const withEnums = {
  ...base,
  enums: new Map([
    ['query:status', capture('query:status', ['open', 'shipped', 'delivered', 'cancelled'])],
    ['body:/channel', capture('body:/channel', ['web', 'app', 'partner'])],
    ['body:/items/*/priority', capture('body:/items/*/priority', ['low', 'normal', 'high'])],
  ]),
};
let plan = withoutEnums;
const body = { customer: { id: 'c-1', email: 'a@b.c' }, items: [{ sku: 'a-1', qty: 1, priority: 'high' }, { sku: 'b-2', qty: 2, options: { colour: 'red' } }], channel: 'web' };
const headers = { host: 'x', 'user-agent': 'bench', 'x-tenant': 't1', 'content-type': 'application/json' };
const config = (fingerprint) => ({
  enabled: true, store: 'memory', redis: { keyPrefix: 'b:' }, flushIntervalSeconds: 10, retentionDays: 90, maxPendingRecords: 50000, maxRetainedBatches: 30,
  fingerprint: { enabled: true, maxLocations: 256, maxDepth: 16, maxNodes: 512, arrayElements: 8, stableAfter: 64, sampleEvery: 10, ...fingerprint },
});

function measure(name, cfg, sample, consumers = 50) {
  const recorder = new UsageRecorder(cfg, { store: new MemoryUsageStore({ retentionDays: 90, maxLocations: 256 }), logger: pino({ level: 'silent' }) });
  const ids = Array.from({ length: consumers }, (_, i) => `consumer-${i}`);
  const N = 1_000_000;
  for (let i = 0; i < 100_000; i++) recorder.record(plan, ids[i % consumers], 200, sample);
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) recorder.record(plan, ids[i % consumers], 200, sample);
  const used = process.cpuUsage(start);
  console.log(`${name.padEnd(58)} ${(((used.user + used.system) / N) * 1000).toFixed(0).padStart(5)} ns/call`);
}

const get = { rawQuery: 'limit=5&status=open', headers, body: undefined, hasBody: false };
const post = { rawQuery: '', headers, body, hasBody: true };
console.log(`load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
measure('counts only (fingerprint.enabled: false)', config({ enabled: false }), get);
measure('GET, stable fingerprint (default sampling 1 in 10)', config({}), get);
measure('GET, every request examined (sampleEvery: 1)', config({ sampleEvery: 1 }), get);
measure('POST 10-member body, stable fingerprint (default)', config({}), post);
measure('POST 10-member body, every request examined', config({ sampleEvery: 1 }), post);
plan = withEnums;
measure('enums: GET, stable fingerprint (default)', config({}), get);
measure('enums: GET, every request examined', config({ sampleEvery: 1 }), get);
measure('enums: POST 10-member body, stable fingerprint (default)', config({}), post);
measure('enums: POST 10-member body, every request examined', config({ sampleEvery: 1 }), post);
