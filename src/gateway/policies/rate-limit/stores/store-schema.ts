/** Config schema of where limit counters live (`limits`): this process, cluster workers, or Redis. */

/** Connection to the Redis that holds the counters. The URL comes from the environment, never from the YAML. */
export interface RedisLimitsConfig {
  urlEnv: string;
  keyPrefix: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** Where rate-limit counters live, process-wide (a change takes effect at the next restart). */
export interface LimitsConfig {
  store: 'memory' | 'redis';
  instances: number;
  redis: RedisLimitsConfig;
}

export const limitsSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'Where rate-limit counters live. memory: in this process (with `accord serve --workers N`, in the primary process, shared by the workers). redis: in Redis, shared by every instance, with a per-instance in-memory insurance limiter while Redis is unreachable. Read at start; a change takes effect at the next restart.',
  properties: {
    store: {
      enum: ['memory', 'redis'],
      default: 'memory',
      description: 'memory: exact for one process (or for the workers of one `accord serve --workers N`); redis: exact across every instance sharing the Redis.',
    },
    instances: {
      type: 'integer',
      minimum: 1,
      default: 1,
      description:
        'How many Accord instances share the Redis (count each `accord serve`, not its workers). While Redis is unreachable each process admits at most points / (instances x workers) per window, so the whole deployment stays within the limit when this is right.',
    },
    redis: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The Redis of `store: redis`.',
      properties: {
        urlEnv: {
          type: 'string',
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          default: 'REDIS_URL',
          description: 'Name of the environment variable holding the Redis URL (redis://[user:password@]host:port[/db] or rediss://).',
        },
        keyPrefix: {
          type: 'string',
          pattern: '^[A-Za-z0-9._:-]{1,64}$',
          default: 'accord',
          description: 'Prefix of every counter key: one per deployment, so that two deployments sharing a Redis never share counters.',
        },
        connectTimeoutMs: {
          type: 'integer',
          minimum: 1,
          default: 1000,
          description: 'Time a connection attempt may take before Redis counts as unreachable.',
        },
        commandTimeoutMs: {
          type: 'integer',
          minimum: 1,
          default: 500,
          description: 'Time a counter update may take before the insurance limiter answers instead (a request never waits longer on Redis).',
        },
      },
    },
  },
} as const;
