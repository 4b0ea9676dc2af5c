/**
 * Counters in the primary process of `accord serve --workers N`, shared by its workers over the
 * cluster IPC channel (rate-limiter-flexible's RateLimiterCluster): exact across the workers of
 * one machine.
 */
import { RateLimiterCluster, RateLimiterClusterMaster } from 'rate-limiter-flexible';
import { specKey, type LimiterStore } from './limiter-store.js';

/**
 * A worker's store. The primary keeps one limiter per key prefix and never changes its points,
 * so points and window are part of the prefix: a reload that changes a limit gets fresh counters
 * (as the memory store does), one that keeps it keeps them.
 */
export function clusterLimiterStore(timeoutMs = 5000): LimiterStore {
  const limiters = new Map<string, RateLimiterCluster>();
  return {
    kind: 'cluster',
    create(spec) {
      const key = specKey(spec);
      let limiter = limiters.get(key);
      if (!limiter) {
        limiter = new RateLimiterCluster({
          keyPrefix: `${spec.keyPrefix}:${spec.points}:${spec.durationSeconds}`,
          points: spec.points,
          duration: spec.durationSeconds,
          timeoutMs,
        });
        limiters.set(key, limiter);
      }
      return limiter;
    },
  };
}

/** Starts the primary's side: it answers every worker's limiter (call once, in the primary). */
export function startClusterLimiterPrimary(): void {
  new RateLimiterClusterMaster();
}
