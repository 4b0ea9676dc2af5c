/**
 * Config schema of an API's upstream (apis[].upstream) and of a version's own targets: where
 * requests go, how targets are balanced, health, pools, timeouts, retries and circuit breakers.
 * Every resilience feature is off unless configured, so that an API with one target and no
 * retries takes the same path (and costs the same) as before they existed.
 */

/** One upstream target: a base URL and its share of the requests. */
export interface TargetConfig {
  url: string;
  weight: number;
}

/** Failures of an attempt that may be retried on another (or the same) target. */
export type RetryCondition = 'connect-failure' | 'reset' | 'timeout' | 'gateway-error' | '5xx';

/** Retries of idempotent requests, within a budget. */
export interface RetryConfig {
  attempts: number;
  on: RetryCondition[];
  backoffBaseMs: number;
  backoffMaxMs: number;
  budget: { ratio: number; minRetriesPerSecond: number; windowSeconds: number };
}

/** Passive health: targets that keep failing are taken out of the balancer for a while. */
export interface OutlierDetectionConfig {
  consecutiveFailures: number;
  ejectionMs: number;
  maxEjectionPercent: number;
  on5xx: boolean;
}

/** Active health checks: a path polled on every target. */
export interface HealthCheckConfig {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
  healthyThreshold: number;
}

/** A circuit breaker per target. */
export interface CircuitBreakerConfig {
  consecutiveFailures: number;
  halfOpenAfterMs: number;
  on5xx: boolean;
}

/** The connection pool of each target. */
export interface PoolConfig {
  maxSockets?: number;
  maxFreeSockets: number;
  idleTimeoutMs?: number;
}

/** Upstream connection settings of an API. */
export interface UpstreamConfig {
  url?: string;
  targets?: TargetConfig[];
  balancing: 'round-robin' | 'least-outstanding';
  timeoutMs: number;
  connectTimeoutMs?: number;
  firstByteTimeoutMs?: number;
  forwardAuthorization: boolean;
  maxResponseBytes: number;
  pool: PoolConfig;
  retries?: RetryConfig;
  outlierDetection?: OutlierDetectionConfig;
  healthCheck?: HealthCheckConfig;
  circuitBreaker?: CircuitBreakerConfig;
}

const URL_RULE = 'http or https, a host, an optional port from 1 to 65535 and path prefix (put in front of the operation path); no credentials, query or fragment';

/** Schema of a list of targets (apis[].upstream.targets and apis[].versions[].targets). */
export const targetsSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 64,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', description: `Base URL of the target: ${URL_RULE}.` },
      weight: { type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'Share of the requests relative to the other targets (both balancing methods honour it).' },
    },
  },
} as const;

const fraction = (description: string, fallback: number): Record<string, unknown> => ({ type: 'number', minimum: 0, maximum: 1, default: fallback, description });

/** Schema of apis[].upstream. */
export const upstreamSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Where and how requests are proxied: the targets, balancing, timeouts, pools, retries, health and circuit breakers.',
  properties: {
    url: { type: 'string', description: `Upstream base URL for versions that do not name their own: ${URL_RULE}. One target; use targets for several.` },
    targets: { ...targetsSchema, description: 'Several upstream targets for versions that do not name their own (instead of url), balanced by upstream.balancing.' },
    balancing: {
      enum: ['round-robin', 'least-outstanding'],
      default: 'round-robin',
      description: 'round-robin: targets in turn, by weight (smooth weighted round-robin); least-outstanding: the target with the fewest requests in flight per unit of weight.',
    },
    timeoutMs: { type: 'integer', minimum: 1, default: 30000, description: 'Total time of the exchange, every attempt and the whole response body included (504 UPSTREAM_TIMEOUT beyond).' },
    connectTimeoutMs: { type: 'integer', minimum: 1, description: 'Time an attempt has to open its connection (504 UPSTREAM_TIMEOUT beyond; retried when retries.on has timeout). Unset: only timeoutMs applies.' },
    firstByteTimeoutMs: { type: 'integer', minimum: 1, description: "Time from an attempt's start to the upstream's response head (504 UPSTREAM_TIMEOUT beyond; retried when retries.on has timeout). Unset: only timeoutMs applies." },
    forwardAuthorization: { type: 'boolean', default: false, description: "Pass the caller's Authorization header upstream." },
    maxResponseBytes: { type: 'integer', minimum: 1, default: 10485760, description: 'Largest upstream body buffered for response validation.' },
    pool: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The kept-alive connection pool of each target.',
      properties: {
        maxSockets: { type: 'integer', minimum: 1, description: 'Most connections open to one target at once; further requests queue for a connection (within the timeouts). Unset: no limit.' },
        maxFreeSockets: { type: 'integer', minimum: 0, default: 256, description: 'Most idle connections kept open to one target.' },
        idleTimeoutMs: { type: 'integer', minimum: 1, description: 'An idle kept-alive connection is closed after this time (sooner when the upstream announces a shorter Keep-Alive timeout). Unset: timeoutMs.' },
      },
    },
    retries: {
      type: 'object',
      additionalProperties: false,
      description:
        'Retries of requests with an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE) or an Idempotency-Key header, never once a byte of the response went to the client, with exponential backoff and full jitter, within a retry budget. Unset: no retries.',
      properties: {
        attempts: { type: 'integer', minimum: 0, maximum: 10, default: 2, description: 'Retries after the first attempt (at most).' },
        on: {
          type: 'array',
          uniqueItems: true,
          items: { enum: ['connect-failure', 'reset', 'timeout', 'gateway-error', '5xx'] },
          default: ['connect-failure', 'reset', 'timeout'],
          description:
            'What is retried: connect-failure (refused, unreachable), reset (connection closed before the response head), timeout (connectTimeoutMs or firstByteTimeoutMs), gateway-error (a 502, 503 or 504 answer), 5xx (any 5xx answer).',
        },
        backoffBaseMs: { type: 'integer', minimum: 0, default: 25, description: 'Backoff before retry n is a random time from 0 to min(backoffMaxMs, backoffBaseMs * 2^(n-1)) ("full jitter").' },
        backoffMaxMs: { type: 'integer', minimum: 0, default: 1000, description: 'Cap of the backoff.' },
        budget: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'At most ratio retries per request plus minRetriesPerSecond, over the last windowSeconds, so that retries cannot multiply an outage.',
          properties: {
            ratio: fraction('Retries allowed per request in the window (0.2: one retry for five requests).', 0.2),
            minRetriesPerSecond: { type: 'integer', minimum: 0, default: 3, description: 'Retries allowed per second of the window regardless of the ratio (for low traffic).' },
            windowSeconds: { type: 'integer', minimum: 1, maximum: 300, default: 10, description: 'The window the budget counts requests and retries over.' },
          },
        },
      },
    },
    outlierDetection: {
      type: 'object',
      additionalProperties: false,
      description: 'Passive health: a target that fails consecutiveFailures attempts in a row (connect failure, reset, timeout, and 5xx when on5xx) is ejected from balancing for ejectionMs. Unset: off.',
      properties: {
        consecutiveFailures: { type: 'integer', minimum: 1, default: 5, description: 'Consecutive failed attempts that eject a target.' },
        ejectionMs: { type: 'integer', minimum: 1, default: 30000, description: 'How long an ejected target receives no requests.' },
        maxEjectionPercent: { type: 'integer', minimum: 0, maximum: 100, default: 50, description: 'Most targets ejected at once, in percent of the targets (rounded down, but at least one of two or more).' },
        on5xx: { type: 'boolean', default: true, description: 'Count 5xx answers as failures.' },
      },
    },
    healthCheck: {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      description: 'Active health checks: GET path on every target every intervalMs; a 2xx or 3xx answer within timeoutMs is a success. Unset: off.',
      properties: {
        path: { type: 'string', pattern: '^/[^?#\\s]*(\\?[^#\\s]*)?$', description: "The path polled, after the target's own path prefix." },
        intervalMs: { type: 'integer', minimum: 10, default: 10000, description: 'Time between two checks of a target.' },
        timeoutMs: { type: 'integer', minimum: 1, default: 2000, description: 'Time a check has to answer.' },
        unhealthyThreshold: { type: 'integer', minimum: 1, default: 3, description: 'Consecutive failed checks that take a target out of balancing.' },
        healthyThreshold: { type: 'integer', minimum: 1, default: 2, description: 'Consecutive successful checks that bring it back.' },
      },
    },
    circuitBreaker: {
      type: 'object',
      additionalProperties: false,
      description:
        'A circuit breaker per target: after consecutiveFailures failed attempts it opens; while open the target gets no requests (503 UPSTREAM_UNAVAILABLE with Retry-After at once when no target is left), and after halfOpenAfterMs one probe request decides whether it closes. Unset: off.',
      properties: {
        consecutiveFailures: { type: 'integer', minimum: 1, default: 5, description: 'Consecutive failed attempts that open the circuit.' },
        halfOpenAfterMs: { type: 'integer', minimum: 1, default: 30000, description: 'How long the circuit stays open before a probe.' },
        on5xx: { type: 'boolean', default: true, description: 'Count 5xx answers as failures.' },
      },
    },
  },
} as const;
