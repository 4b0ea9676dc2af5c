/**
 * Where limit counters live, behind one interface: the policy asks for a limiter by spec and
 * never knows whether it counts in this process, across cluster workers or in Redis.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** One pool of a limit: `points` per `durationSeconds`, its counters under `keyPrefix`. */
export interface LimiterSpec {
  readonly keyPrefix: string;
  readonly points: number;
  readonly durationSeconds: number;
}

/** What a store says about itself in /readyz. */
export interface LimiterStoreHealth {
  readonly store: LimiterStore['kind'];
  /** True while counters are kept per process by an insurance limiter instead of the shared store. */
  readonly degraded: boolean;
  /** Why it is degraded (the last connection error), for people. */
  readonly reason?: string;
}

/** A counter store. Created once by the composition root; limiters it makes share its connection. */
export interface LimiterStore {
  /** For logs, metrics and /readyz. */
  readonly kind: 'memory' | 'cluster' | 'redis';
  create(spec: LimiterSpec): RateLimiterAbstract;
  /** Resolves once the store can count (connected, or given up waiting and degraded). */
  ready?(): Promise<void>;
  /** The store's state for /readyz; a store that cannot degrade has none. */
  health?(): LimiterStoreHealth;
  /** Releases connections; limiters made by this store stop working. */
  close?(): Promise<void> | void;
}

/** Told when a store enters or leaves degraded mode, and on each operation the insurance limiter answers. */
export interface LimiterStoreEvents {
  onDegraded(reason: string): void;
  onRecovered(): void;
  onFallback(): void;
}

/** Key of a spec in a store's own cache: the same spec gets the same limiter (and counters) after a reload. */
export function specKey(spec: LimiterSpec): string {
  return `${spec.keyPrefix}\n${spec.points}\n${spec.durationSeconds}`;
}
