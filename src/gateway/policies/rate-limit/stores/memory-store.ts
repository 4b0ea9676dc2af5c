/** Counters in this process's memory: exact for one process, the embedded default. */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { specKey, type LimiterStore } from './limiter-store.js';

/**
 * A memory store. It hands out the same limiter for the same spec, so a reload that keeps a
 * limit keeps its counters (a config edit must not give every consumer a fresh budget).
 */
export function memoryLimiterStore(): LimiterStore {
  const limiters = new Map<string, RateLimiterMemory>();
  return {
    kind: 'memory',
    create(spec) {
      const key = specKey(spec);
      let limiter = limiters.get(key);
      if (!limiter) {
        limiter = new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.durationSeconds });
        limiters.set(key, limiter);
      }
      return limiter;
    },
  };
}
