/**
 * Per-consumer rate limit of one API with rate-limiter-flexible, announced in the IETF
 * `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers-11).
 */
import type { ServerResponse } from 'node:http';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimiterStore } from './stores/limiter-store.js';
import { memoryLimiterStore } from './stores/memory-store.js';
import { GatewayError } from '../../../errors/problem.js';
import type { RateLimitConfig } from './schema.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';

export { rateLimitSchema, type RateLimitConfig } from './schema.js';
export type { LimiterStore, LimiterSpec } from './stores/limiter-store.js';
export { memoryLimiterStore } from './stores/memory-store.js';

/**
 * A compiled rate limit. `consume(key, res)` counts one request of `key`: it resolves once the
 * RateLimit fields are set on `res`, or rejects with RATE_LIMITED (carrying them and Retry-After).
 */
export interface RateLimit {
  consume(key: string, res: ServerResponse): Promise<void>;
}

/**
 * The counter key of a request: `c:<consumer id>` for an authenticated consumer, `a:<address>`
 * for an anonymous caller. The two namespaces cannot meet whatever a token's claims say.
 */
export function rateLimitKey(consumerId: string | undefined, clientIp: string): string {
  return consumerId !== undefined ? `c:${consumerId}` : `a:${clientIp}`;
}

/** The RateLimit field value, the requests left across pools, and the seconds until one refills. */
interface Announcement {
  field: string;
  left: number;
  reset: number;
}

/** Whole seconds until a window resets, rounded up (never 0: the reset is still ahead). */
function seconds(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : 1;
}

/**
 * Builds the limiter of one API. A request draws from the "default" pool (`points` per
 * `windowSeconds`); once that is spent, from the "burst" pool (`burst` per `burstWindowSeconds`);
 * it is refused when both are spent. Both pools are announced, so the sum of their `r` is
 * exactly the number of requests that pass before a 429, and the smaller `t` is when one does
 * again. `store` keeps the counters (this process's memory unless given).
 */
export function createRateLimit(apiId: string, config: RateLimitConfig, store: LimiterStore = memoryLimiterStore()): RateLimit {
  const main: RateLimiterAbstract = store.create({ keyPrefix: `rl:${apiId}`, points: config.points, durationSeconds: config.windowSeconds });
  const burst = config.burst > 0 ? store.create({ keyPrefix: `rlb:${apiId}`, points: config.burst, durationSeconds: config.burstWindowSeconds }) : undefined;
  // The policy never changes: built once.
  const policy =
    `"default";q=${config.points};w=${config.windowSeconds}` + (burst ? `, "burst";q=${config.burst};w=${config.burstWindowSeconds}` : '');
  const legacy = config.legacyHeaders;
  const legacyLimit = String(config.points + config.burst);
  const policies = burst ? `"default" (${config.points} per ${config.windowSeconds} s) and "burst" (${config.burst} per ${config.burstWindowSeconds} s)` : `"default" (${config.points} per ${config.windowSeconds} s)`;

  /**
   * What the pools say after one request. `burstRes` is null while the burst pool is untouched
   * (full, no window running: its item has no `t`).
   */
  const announce = (mainRes: RateLimiterRes, burstRes: RateLimiterRes | null | undefined): Announcement => {
    const mainLeft = Math.max(0, mainRes.remainingPoints);
    const mainReset = seconds(mainRes.msBeforeNext);
    if (!burst) return { field: `"default";r=${mainLeft};t=${mainReset}`, left: mainLeft, reset: mainReset };
    if (!burstRes) return { field: `"default";r=${mainLeft};t=${mainReset}, "burst";r=${config.burst}`, left: mainLeft + config.burst, reset: mainReset };
    const burstLeft = Math.max(0, burstRes.remainingPoints);
    const burstReset = seconds(burstRes.msBeforeNext);
    return {
      field: `"default";r=${mainLeft};t=${mainReset}, "burst";r=${burstLeft};t=${burstReset}`,
      left: mainLeft + burstLeft,
      reset: Math.min(mainReset, burstReset),
    };
  };

  const announceOn = (response: ServerResponse, mainRes: RateLimiterRes, burstRes: RateLimiterRes | null | undefined): void => {
    const a = announce(mainRes, burstRes);
    response.setHeader('ratelimit-policy', policy);
    response.setHeader('ratelimit', a.field);
    if (legacy) {
      response.setHeader('ratelimit-limit', legacyLimit);
      response.setHeader('ratelimit-remaining', String(a.left));
      response.setHeader('ratelimit-reset', String(a.reset));
    }
  };

  const refuse = (mainRes: RateLimiterRes, burstRes: RateLimiterRes | undefined): never => {
    const a = announce(mainRes, burstRes);
    // Retry-After is the earliest `t`: the moment one pool has quota again.
    const headers: Record<string, string> = { 'ratelimit-policy': policy, ratelimit: a.field, 'retry-after': String(a.reset) };
    if (legacy) {
      headers['ratelimit-limit'] = legacyLimit;
      headers['ratelimit-remaining'] = '0';
      headers['ratelimit-reset'] = String(a.reset);
    }
    throw new GatewayError('RATE_LIMITED', `rate limit ${policies} spent for this consumer; retry in ${a.reset} s`, { headers });
  };

  return {
    consume(key, response) {
      return main.consume(key).then(
        (mainRes: RateLimiterRes) => {
          if (!burst) return announceOn(response, mainRes, undefined);
          // The burst pool is only read here, to announce what it still holds.
          return burst.get(key).then((burstRes) => announceOn(response, mainRes, burstRes));
        },
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          if (!burst) return refuse(rejection, undefined);
          return burst.consume(key).then(
            (burstRes: RateLimiterRes) => announceOn(response, rejection, burstRes),
            (burstRejection: unknown) => {
              if (!(burstRejection instanceof RateLimiterRes)) throw burstRejection;
              return refuse(rejection, burstRejection);
            },
          );
        },
      );
    },
  };
}

/** The rate-limit policy: one limiter per API, counted per consumer (or client address when anonymous). */
export const rateLimit: Policy = {
  name: 'rate-limit',
  create(scope, deps) {
    const config = scope.api.rateLimit;
    if (!config) return undefined;
    const limit = scope.perApi('rate-limit', () => createRateLimit(scope.api.id, config, deps.limiterStore));
    const request: RequestStep = (ctx) => limit.consume(rateLimitKey(ctx.consumerId, ctx.clientIp), ctx.res);
    return { operation: () => ({ request }) };
  },
};
