/** Counters in this process's memory: exact for one process, the embedded default. */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { specKey, type LimiterStore } from './limiter-store.js';

/**
 * The longest duration RateLimiterMemory can expire a counter after: it arms a setTimeout, and
 * Node fires a timer beyond 2^31-1 ms at once, which would delete the counter as soon as it is
 * made. A month quota's counters live 32 days; they are kept without a timer instead (their key
 * names their calendar period, so a stale one is never read again: one record per caller per
 * period is what they cost until the process restarts).
 */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

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
        limiter = new RateLimiterMemory({ keyPrefix: spec.keyPrefix, points: spec.points, duration: spec.durationSeconds > MAX_TIMER_SECONDS ? 0 : spec.durationSeconds });
        limiters.set(key, limiter);
      }
      return limiter;
    },
  };
}
