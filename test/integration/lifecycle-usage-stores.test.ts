/**
 * Retirement refusal over usage kept in memory and in Redis, with an injected clock: a version is in
 * use while a consumer's last call is inside registry.lifecycle.inUseWindowDays (today included),
 * and not the day after; deprecation records the callers; auto-retire at sunset retires anyway and
 * reports who still called. Redis needs REDIS_URL (skipped with the reason when unreachable, except under CI).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { loadRuleset } from '../../src/governance/lint/load-ruleset.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import { UsageRecorder } from '../../src/usage/usage-recorder.js';
import { MemoryUsageStore } from '../../src/usage/stores/memory-store.js';
import { RedisUsageStore } from '../../src/usage/stores/redis-store.js';
import type { UsageStore } from '../../src/usage/stores/usage-store.js';
import type { OperationUsage } from '../../src/usage/operation-usage.js';
import type { UsageConfig } from '../../src/usage/schema.js';
import { VersionUsage } from '../../src/impact/version-callers.js';
import { ORDERS_BASE_TEXT } from '../support/impact-proposals.js';
import { REDIS_URL, redisSkip, uniqueName } from '../support/services.js';

const logger = pino({ level: 'silent' });
const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T10:00:00Z');
const ACTOR = { provider: 'test', subject: 'orders-team' };
const PLAN: OperationUsage = { api: 'orders', version: '1.0.0', major: 1, operation: 'listOrders', queryKeys: new Map(), deepQuery: new Map(), headers: [], cookies: new Map(), hasBody: false, enums: undefined };
const CONFIG: UsageConfig = {
  enabled: true, store: 'memory', redis: { keyPrefix: 'x' }, flushIntervalSeconds: 3600, retentionDays: 90, maxPendingRecords: 1000, maxRetainedBatches: 30,
  fingerprint: { enabled: true, maxLocations: 256, maxDepth: 16, maxNodes: 512, arrayElements: 8, stableAfter: 64, sampleEvery: 10 },
};

const stores: Array<{ name: string; skip: () => Promise<string | undefined>; open: (now: () => number) => UsageStore; cleanup?: () => Promise<void> }> = [
  { name: 'memory', skip: async () => undefined, open: (now) => new MemoryUsageStore({ retentionDays: 90, maxLocations: 256 }, now) },
  (() => {
    const keyPrefix = `accord:test:${uniqueName('lifecycle')}:`;
    return {
      name: 'redis',
      skip: redisSkip,
      open: (now: () => number) => new RedisUsageStore({ url: REDIS_URL, keyPrefix, retentionDays: 90, maxLocations: 256, logger, now }),
      cleanup: async () => {
        const client = new Redis(REDIS_URL);
        const keys = await client.keys(`${keyPrefix}*`);
        if (keys.length > 0) await client.del(...keys);
        await client.quit();
      },
    };
  })(),
];

for (const s of stores) {
  describe(`retirement over usage in ${s.name}`, { skip: await s.skip() }, () => {
    let now = T0;
    let dir: string;
    let registry: FileRegistryStore;
    let service: RegistryService;
    let recorder: UsageRecorder;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), `accord-lifecycle-${s.name}-`));
      registry = new FileRegistryStore(dir);
      service = new RegistryService(registry, await loadRuleset(), () => new Date(now));
      recorder = new UsageRecorder(CONFIG, { store: s.open(() => now), logger, now: () => now });
      const usage = new VersionUsage(recorder, () => now);
      service.useLifecycleHooks({ inUseWindowDays: 30, callers: (api, version) => usage.callers(api, version, 30) });
      for (const v of ['1.0.0', '1.1.0']) {
        const result = await service.register({ api: 'orders', document: ORDERS_BASE_TEXT.replace('  version: 1.0.0\n', `  version: ${v}\n`), actor: ACTOR });
        assert.equal(result.kind, 'created', JSON.stringify(result));
      }
      // acme calls 1.0.0 twice on T0 (day 1 of the window that ends 29 days later).
      recorder.record(PLAN, 'acme', 200, { rawQuery: '', headers: {}, body: undefined, hasBody: false });
      recorder.record(PLAN, 'acme', 404, { rawQuery: '', headers: {}, body: undefined, hasBody: false });
    });
    after(async () => {
      await recorder.close();
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
      await s.cleanup?.();
    });

    it('29 days later the version is in use: refused, naming acme with its calls', async () => {
      now = T0 + 29 * DAY;
      const outcome = await service.retire('orders', '1.0.0', ACTOR);
      assert.equal(outcome.kind, 'in-use');
      assert.deepEqual(outcome.kind === 'in-use' ? [outcome.windowDays, outcome.consumers.map((c) => [c.consumer, c.calls, c.operations])] : [], [30, [['acme', 2, ['listOrders']]]]);
    });

    it('a version nobody called is retired at once, with an empty consumer list in the audit', async () => {
      const outcome = await service.retire('orders', '1.1.0', ACTOR);
      assert.equal(outcome.kind, 'changed');
      const entries = (await service.audit({ limit: 100 })).entries;
      assert.deepEqual(entries.at(-1)!.consumers, []);
    });

    it('deprecating records the callers in the audit entry', async () => {
      const outcome = await service.deprecate('orders', '1.0.0', { sunset: new Date(T0 + 31 * DAY).toISOString() }, ACTOR);
      assert.equal(outcome.kind, 'changed');
      const entry = (await service.audit({ limit: 100 })).entries.at(-1)!;
      assert.deepEqual([entry.action, entry.consumers?.map((c) => [c.consumer, c.calls])], ['deprecate', [['acme', 2]]]);
    });

    it('force needs a reason', async () => {
      assert.deepEqual(await service.retire('orders', '1.0.0', ACTOR, { force: true, reason: '  ' }), { kind: 'invalid', detail: 'a forced retirement needs a reason (it is written to the audit log)' });
      assert.deepEqual(await service.retire('orders', '1.0.0', ACTOR, { reason: 'no force' }), { kind: 'invalid', detail: 'a reason goes with force: true' });
    });

    it('at the sunset, one day after the window closed on acme: retired at the sunset with no consumer still calling', async () => {
      now = T0 + 31 * DAY;
      const retired = await service.retireAtSunset();
      assert.deepEqual(retired.map((r) => [r.record.version, r.record.status, r.consumers.length]), [['1.0.0', 'retired', 0]]);
    });
  });
}

describe('auto-retire at sunset while a consumer still calls (memory)', () => {
  it('retires anyway and reports the consumers', async () => {
    let now = T0;
    const dir = mkdtempSync(join(tmpdir(), 'accord-sunset-in-use-'));
    const registry = new FileRegistryStore(dir);
    try {
      const service = new RegistryService(registry, await loadRuleset(), () => new Date(now));
      const recorder = new UsageRecorder(CONFIG, { store: new MemoryUsageStore({ retentionDays: 90, maxLocations: 256 }, () => now), logger, now: () => now });
      const usage = new VersionUsage(recorder, () => now);
      const events: string[] = [];
      service.useLifecycleHooks({ inUseWindowDays: 30, callers: (api, version) => usage.callers(api, version, 30), changed: (e) => events.push(`${e.kind} ${e.record.version} ${e.kind === 'retired' ? e.trigger : ''} ${e.consumers.map((c) => c.consumer).join(',')}`) });
      assert.equal((await service.register({ api: 'orders', document: ORDERS_BASE_TEXT, actor: ACTOR })).kind, 'created');
      assert.equal((await service.deprecate('orders', '1.0.0', { sunset: new Date(T0 + 2 * DAY).toISOString() }, ACTOR)).kind, 'changed');
      now = T0 + 2 * DAY + 1000;
      recorder.record(PLAN, 'acme', 200, { rawQuery: '', headers: {}, body: undefined, hasBody: false });
      const retired = await service.retireAtSunset();
      assert.deepEqual(retired.map((r) => [r.record.status, r.consumers.map((c) => c.consumer)]), [['retired', ['acme']]]);
      const entry = (await service.audit({ limit: 100 })).entries.at(-1)!;
      assert.deepEqual([entry.action, entry.trigger, entry.consumers?.map((c) => c.consumer)], ['retire', 'sunset', ['acme']]);
      assert.deepEqual(events, ['deprecated 1.0.0  ', 'retired 1.0.0 sunset acme']);
      await recorder.close();
    } finally {
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
