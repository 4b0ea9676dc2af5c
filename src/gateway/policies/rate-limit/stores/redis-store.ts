/**
 * Counters in Redis, shared by every instance: exact across instances, because each count is one
 * atomic Lua call (rate-limiter-flexible's RateLimiterRedis). While Redis is unreachable a
 * per-process insurance limiter counts instead, so the gateway keeps serving.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type IRateLimiterOptions, type RateLimiterRes } from 'rate-limiter-flexible';
import { specKey, type LimiterStore, type LimiterStoreEvents, type LimiterStoreHealth } from './limiter-store.js';

/** Options of a Redis store. */
export interface RedisStoreOptions {
  url: string;
  /** Prefix of every key of this deployment. */
  keyPrefix: string;
  /** Processes that count against the same Redis (instances x workers): the insurance limiter's divisor. */
  processes: number;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  events: LimiterStoreEvents;
  /** How often a degraded store checks whether Redis answers again (default 500 ms). */
  probeIntervalMs?: number;
}

/** Points of one process's insurance limiter: its share of the limit, never 0 (a limit below the process count overshoots; the README says so). */
export function insurancePoints(points: number, processes: number): number {
  return Math.max(1, Math.floor(points / processes));
}

/** A memory limiter that reports each operation it answers: those are the ones Redis did not. */
class InsuranceLimiter extends RateLimiterMemory {
  readonly #onUse: () => void;

  constructor(options: IRateLimiterOptions, onUse: () => void) {
    super(options);
    this.#onUse = onUse;
  }

  override consume(key: string | number, pointsToConsume?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.#onUse();
    return super.consume(key, pointsToConsume, options);
  }

  override get(key: string | number, options?: { [key: string]: unknown }): Promise<RateLimiterRes | null> {
    this.#onUse();
    return super.get(key, options);
  }
}

/**
 * A Redis store: one ioredis connection for all its limiters. A request never waits on a dead
 * Redis: no offline queue (a command while disconnected fails at once), a bounded connect and
 * command time, and the limiter itself skips Redis while the connection is not ready. ioredis
 * keeps reconnecting in the background; once Redis answers, counting returns to it.
 */
export function redisLimiterStore(options: RedisStoreOptions): LimiterStore {
  const { events } = options;
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    // Reconnect at once, then at most every second: recovery is noticed within about a second.
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
    enableAutoPipelining: false,
  });
  let degraded = false;
  let reason = 'not connected yet';
  let probe: NodeJS.Timeout | undefined;
  let closed = false;

  const leave = (): void => {
    if (!degraded || closed) return;
    degraded = false;
    clearInterval(probe);
    probe = undefined;
    events.onRecovered();
  };
  const enter = (why: string): void => {
    reason = why;
    if (degraded || closed) return;
    degraded = true;
    events.onDegraded(why);
    // A command timeout leaves the connection "ready", so no `ready` event will say Redis is back:
    // ask it.
    probe = setInterval(() => {
      if (client.status === 'ready') client.ping().then(leave, () => undefined);
    }, options.probeIntervalMs ?? 500);
    probe.unref();
  };

  client.on('error', (error: Error) => {
    reason = error.message;
  });
  client.on('close', () => enter(reason));
  client.on('ready', leave);

  const onFallback = (): void => {
    events.onFallback();
    enter(client.status === 'ready' ? `a command took longer than ${options.commandTimeoutMs} ms` : reason);
  };

  // What the limiters see: the client, except that while degraded it reports itself not ready, so
  // the limiters go straight to the insurance limiter instead of each waiting `commandTimeoutMs` on
  // a Redis that stopped answering without closing the connection (a partition, a stalled host).
  // The probe, on the client itself, notices when Redis answers again.
  const limiterClient = new Proxy(client, {
    get(target, property) {
      if (property === 'status') return degraded ? 'degraded' : target.status;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

  const limiters = new Map<string, RateLimiterRedis>();
  return {
    kind: 'redis',
    create(spec) {
      const key = specKey(spec);
      let limiter = limiters.get(key);
      if (!limiter) {
        const insuranceLimiter = new InsuranceLimiter(
          { keyPrefix: spec.keyPrefix, points: insurancePoints(spec.points, options.processes), duration: spec.durationSeconds },
          onFallback,
        );
        limiter = new RateLimiterRedis({
          storeClient: limiterClient,
          // The deployment's prefix first, so `SCAN accord:*` finds one deployment's counters.
          keyPrefix: `${options.keyPrefix}:${spec.keyPrefix}`,
          points: spec.points,
          duration: spec.durationSeconds,
          rejectIfRedisNotReady: true,
          insuranceLimiter,
        });
        limiters.set(key, limiter);
      }
      return limiter;
    },
    ready() {
      if (client.status === 'ready' || degraded) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          client.off('ready', done);
          client.off('close', done);
          resolve();
        };
        // Past the connect timeout Redis counts as unreachable, whatever ioredis is still trying.
        const timer = setTimeout(() => {
          enter(reason);
          done();
        }, options.connectTimeoutMs * 2);
        client.on('ready', done);
        client.on('close', done);
      });
    },
    health(): LimiterStoreHealth {
      return { store: 'redis', degraded };
    },
    close() {
      closed = true;
      clearInterval(probe);
      client.disconnect();
    },
  };
}
