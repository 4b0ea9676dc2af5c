/** Picks the counter store of a process from `limits` and how the process runs. */
import cluster from 'node:cluster';
import type { LimitsConfig } from './store-schema.js';
import type { LimiterStore, LimiterStoreEvents } from './limiter-store.js';
import { memoryLimiterStore } from './memory-store.js';
import { clusterLimiterStore } from './cluster-store.js';

/** How the process runs. */
export interface StoreContext {
  /** The Redis URL, read from the environment variable `limits.redis.urlEnv` names (required for `store: redis`). */
  redisUrl?: string;
  /** Workers sharing this process's listener (1 when it runs alone). */
  workers: number;
  events: LimiterStoreEvents;
}

/**
 * redis: Redis whatever the workers (each worker has its own connection and insurance limiter);
 * memory with workers: the cluster store (counters in the primary); memory alone: this process.
 */
export async function createLimiterStore(limits: LimitsConfig, context: StoreContext): Promise<LimiterStore> {
  if (limits.store === 'redis') {
    if (!context.redisUrl) throw new TypeError(`limits.store is redis but no Redis URL was given (${limits.redis.urlEnv})`);
    // Loaded only when configured: the Redis client is most of the store's start-up cost.
    const { redisLimiterStore } = await import('./redis-store.js');
    return redisLimiterStore({
      url: context.redisUrl,
      keyPrefix: limits.redis.keyPrefix,
      processes: limits.instances * context.workers,
      connectTimeoutMs: limits.redis.connectTimeoutMs,
      commandTimeoutMs: limits.redis.commandTimeoutMs,
      events: context.events,
    });
  }
  if (context.workers > 1) {
    if (!cluster.isWorker) throw new TypeError('a cluster limiter store needs a cluster worker (accord serve --workers N)');
    return clusterLimiterStore();
  }
  return memoryLimiterStore();
}
