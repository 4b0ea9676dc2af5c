/** Usage records: the recorder and its store, created once per process from the `usage` config. */
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { UsageConfig } from './schema.js';
import { MemoryUsageStore } from './stores/memory-store.js';
import type { UsageStore } from './stores/usage-store.js';
import { UsageRecorder } from './usage-recorder.js';

export { usageSchema, type UsageConfig } from './schema.js';
export { UsageRecorder } from './usage-recorder.js';
export type { UsageStore } from './stores/usage-store.js';
export type { UsageFilter, UsageReport } from './usage-record.js';

/** The default Redis URL when REDIS_URL is not set. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * Creates the store the config names and a recorder over it, and starts its flush timer. The Redis
 * client is loaded only when the Redis store is configured.
 */
export async function createUsageRecorder(config: UsageConfig, deps: { logger: Logger; metrics?: GatewayMetrics; now?: () => number; redisUrl?: string }): Promise<UsageRecorder> {
  const bounds = { retentionDays: config.retentionDays, maxLocations: config.fingerprint.maxLocations };
  let store: UsageStore;
  if (config.store === 'redis') {
    const { RedisUsageStore } = await import('./stores/redis-store.js');
    store = new RedisUsageStore({ ...bounds, url: deps.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL, keyPrefix: config.redis.keyPrefix, logger: deps.logger, now: deps.now });
  } else store = new MemoryUsageStore(bounds, deps.now);
  const { metrics } = deps;
  const recorder = new UsageRecorder(config, {
    store,
    logger: deps.logger,
    now: deps.now,
    onFlushFailure: metrics ? (kind) => metrics.usageFlushFailures.inc({ store: kind }) : undefined,
    onDropped: metrics ? (reason, calls) => metrics.usageDroppedRecords.inc({ reason }, calls) : undefined,
  });
  recorder.start();
  return recorder;
}
