/**
 * Opens the process's rate-limit counter store from `limits`: the Redis URL from the environment,
 * and a log line and metrics for each change between shared counting and the insurance limiter.
 */
import type { LoadedConfig } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { createLimiterStore } from './policies/rate-limit/stores/create-store.js';
import type { LimiterStore } from './policies/rate-limit/stores/limiter-store.js';

/**
 * Creates the store and waits until it counts (connected, or degraded after the connect timeout).
 * Throws a ConfigError naming `limits.redis.urlEnv` when the variable it names is unset.
 */
export async function openLimiterStore(loaded: LoadedConfig, workers: number, logger: Logger, metrics: GatewayMetrics, env: NodeJS.ProcessEnv = process.env): Promise<LimiterStore> {
  const limits = loaded.config.limits;
  const redisUrl = limits.store === 'redis' ? env[limits.redis.urlEnv] : undefined;
  if (limits.store === 'redis' && !redisUrl) {
    const pointer = loaded.lineOf('/limits/redis/urlEnv') !== undefined ? '/limits/redis/urlEnv' : '/limits/store';
    throw new ConfigError([
      { file: loaded.file, pointer, line: loaded.lineOf(pointer), message: `environment variable ${limits.redis.urlEnv} is not set; limits.store redis reads the Redis URL from it` },
    ]);
  }
  const store = limits.store === 'redis' ? 'redis' : workers > 1 ? 'cluster' : 'memory';
  metrics.limiterDegraded.set({ store }, 0);
  metrics.limiterFallbacks.inc({ store }, 0);
  const share = limits.instances * workers;
  const limiterStore = await createLimiterStore(limits, {
    redisUrl,
    workers,
    events: {
      onDegraded(reason) {
        metrics.limiterDegraded.set({ store }, 1);
        logger.warn({ store, reason, insuranceShare: `1/${share} of each limit` }, 'rate-limit store unreachable: counting in this process with the insurance limiter');
      },
      onRecovered() {
        metrics.limiterDegraded.set({ store }, 0);
        logger.info({ store }, 'rate-limit store reachable again: counting in it');
      },
      onFallback() {
        metrics.limiterFallbacks.inc({ store });
      },
    },
  });
  await limiterStore.ready?.();
  return limiterStore;
}
