/** Per-consumer rate limit of one API with rate-limiter-flexible, and the RateLimit-* headers. */
import type { ServerResponse } from 'node:http';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError } from '../../../errors/problem.js';
import type { RateLimitConfig } from './schema.js';

export { rateLimitSchema, type RateLimitConfig } from './schema.js';

/**
 * A compiled rate limit. `consume(key, res)` counts one request of `key`: it resolves once the
 * RateLimit-* headers are set on `res`, or rejects with RATE_LIMITED (carrying them and Retry-After).
 */
export interface RateLimit {
  consume(key: string, res: ServerResponse): Promise<void>;
}

/** Builds the limiter of one API. `store` decides where counters live (memory now; Redis later). */
export function createRateLimit(apiId: string, config: RateLimitConfig, limiter?: RateLimiterAbstract): RateLimit {
  const main: RateLimiterAbstract =
    limiter ?? new RateLimiterMemory({ keyPrefix: `rl:${apiId}`, points: config.points, duration: config.windowSeconds });
  const burst =
    config.burst > 0
      ? new BurstyRateLimiter(main, new RateLimiterMemory({ keyPrefix: `rlb:${apiId}`, points: config.burst, duration: config.burstWindowSeconds }))
      : undefined;
  const limit = config.points + config.burst;
  const policy = config.burst > 0 ? `${config.points};w=${config.windowSeconds}, ${config.burst};w=${config.burstWindowSeconds};burst` : `${config.points};w=${config.windowSeconds}`;
  const limitHeader = String(config.points);

  const remaining = (res: RateLimiterRes): string => String(Math.max(0, res.remainingPoints));
  const reset = (res: RateLimiterRes): string => String(Math.max(0, Math.ceil(res.msBeforeNext / 1000)));
  const limited = (rejection: unknown): never => {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new GatewayError('RATE_LIMITED', `rate limit of ${limit} requests exceeded for this consumer; retry in ${retryAfter} s`, {
      headers: { 'ratelimit-limit': limitHeader, 'ratelimit-remaining': '0', 'ratelimit-reset': reset(rejection), 'ratelimit-policy': policy, 'retry-after': String(retryAfter) },
    });
  };
  const counter = burst ?? main;

  return {
    consume(key, response) {
      return counter.consume(key).then((res: RateLimiterRes) => {
        response.setHeader('ratelimit-limit', limitHeader);
        response.setHeader('ratelimit-remaining', remaining(res));
        response.setHeader('ratelimit-reset', reset(res));
        response.setHeader('ratelimit-policy', policy);
      }, limited);
    },
  };
}
