/** Per-consumer rate limit of one API with rate-limiter-flexible, and the RateLimit-* headers. */
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError } from '../../../errors/problem.js';
import type { RateLimitConfig } from './schema.js';

export { rateLimitSchema, type RateLimitConfig } from './schema.js';

/** Headers to add to the response of a request that passed the limit. */
export type RateLimitHeaders = Record<string, string>;

/** A compiled rate limit: `consume(key)` resolves to headers or rejects with RATE_LIMITED. */
export interface RateLimit {
  consume(key: string): Promise<RateLimitHeaders>;
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

  const headersOf = (res: RateLimiterRes): RateLimitHeaders => ({
    'ratelimit-limit': limitHeader,
    'ratelimit-remaining': String(Math.max(0, res.remainingPoints)),
    'ratelimit-reset': String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))),
    'ratelimit-policy': policy,
  });

  return {
    async consume(key: string): Promise<RateLimitHeaders> {
      try {
        const res = burst ? await burst.consume(key) : await main.consume(key);
        return headersOf(res);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
          throw new GatewayError('RATE_LIMITED', `rate limit of ${limit} requests exceeded for this consumer; retry in ${retryAfter} s`, {
            headers: { ...headersOf(rejection), 'ratelimit-remaining': '0', 'retry-after': String(retryAfter) },
          });
        }
        throw rejection;
      }
    },
  };
}
