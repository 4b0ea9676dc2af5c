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

/** A counter store. Created once by the composition root; limiters it makes share its connection. */
export interface LimiterStore {
  /** For logs, metrics and /readyz. */
  readonly kind: 'memory' | 'cluster' | 'redis';
  create(spec: LimiterSpec): RateLimiterAbstract;
  /** Releases connections; limiters made by this store stop working. */
  close?(): Promise<void> | void;
}
