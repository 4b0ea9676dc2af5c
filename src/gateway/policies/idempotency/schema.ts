/** Config schema of the idempotency policy: per API and per operation, and where keys are kept (process-wide). */

/** What an operation does with the Idempotency-Key header. */
export interface OperationIdempotencyConfig {
  /** Honour the header on this operation (POST and PATCH only). */
  enabled?: boolean;
  /** Refuse a request without the header (400 IDEMPOTENCY_KEY_MISSING). */
  required?: boolean;
  /** Seconds a key is remembered. */
  expirySeconds?: number;
}

/** Idempotency of one API (`apis[].idempotency`). */
export interface IdempotencyConfig {
  enabled: boolean;
  required: boolean;
  expirySeconds: number;
  store: 'memory' | 'redis';
  maxResponseBytes: number;
  maxKeyLength: number;
  onStoreError: 'refuse' | 'pass';
  operations?: Record<string, OperationIdempotencyConfig>;
}

/** The Redis of `store: redis` keys. */
export interface IdempotencyRedisConfig {
  urlEnv: string;
  keyPrefix: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** Where idempotency keys live, process-wide (`idempotency`). */
export interface IdempotencyStoresConfig {
  memory: { maxBytes: number };
  redis: IdempotencyRedisConfig;
}

const expirySeconds = {
  type: 'integer',
  minimum: 1,
  maximum: 2592000,
  description:
    'Seconds a key is remembered after its request arrived and again after its response was stored: a retry within this time is answered from the store (or refused); after it, the same key starts a new request.',
} as const;

/** One operation's settings (config `operations.<operationId>` and the contract's `x-accord-idempotency`). */
export const operationIdempotencySchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Idempotency-Key handling of one operation; what is left out comes from apis[].idempotency.',
  properties: {
    enabled: { type: 'boolean', description: 'Honour Idempotency-Key on this operation (POST and PATCH only).' },
    required: { type: 'boolean', description: 'Refuse a request without Idempotency-Key with 400 IDEMPOTENCY_KEY_MISSING.' },
    expirySeconds,
  },
} as const;

export const idempotencySchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header) on this API\'s POST and PATCH operations: the first completed response to a key is stored and replayed, byte for byte with Idempotent-Replayed: true, to retries with the same key, consumer and request; the contract\'s x-accord-idempotency on an operation enables it there too.',
  properties: {
    enabled: { type: 'boolean', default: true, description: 'Honour Idempotency-Key on every POST and PATCH operation of the API (false: only where an operation enables it).' },
    required: { type: 'boolean', default: false, description: 'Refuse a POST or PATCH without Idempotency-Key with 400 IDEMPOTENCY_KEY_MISSING.' },
    expirySeconds: { ...expirySeconds, default: 86400 },
    store: {
      enum: ['memory', 'redis'],
      default: 'memory',
      description:
        'memory: keys in this process (lost on a restart or a crash, not shared between instances or workers); redis: keys in the Redis of idempotency.redis, shared by every instance, and a claim taken before forwarding survives a crash of the gateway.',
    },
    maxResponseBytes: {
      type: 'integer',
      minimum: 0,
      default: 1048576,
      description: 'Largest response body stored for replay. A larger response is relayed, and a retry with its key is refused with 409 IDEMPOTENCY_KEY_COMPLETED.',
    },
    maxKeyLength: { type: 'integer', minimum: 1, maximum: 1024, default: 255, description: 'Longest key accepted (characters between the quotes); a longer one is 400 IDEMPOTENCY_KEY_INVALID.' },
    onStoreError: {
      enum: ['refuse', 'pass'],
      default: 'refuse',
      description: 'When the key store cannot be reached. refuse: 503 IDEMPOTENCY_STORE_UNAVAILABLE (no request goes upstream unprotected); pass: the request is forwarded without idempotency protection.',
    },
    operations: {
      type: 'object',
      additionalProperties: operationIdempotencySchema,
      description: 'Per operationId: `{enabled, required, expirySeconds}`; they win over the contract\'s x-accord-idempotency, which has the same shape.',
    },
  },
} as const;

/** Process-wide settings of the key stores (`idempotency`). */
export const idempotencyStoresSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Where Idempotency-Key records live (apis[].idempotency.store chooses memory or redis per API). Read at start; a change takes effect at the next restart.',
  properties: {
    memory: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The store in this process.',
      properties: {
        maxBytes: {
          type: 'integer',
          minimum: 0,
          default: 67108864,
          description: 'Stored response bodies this process keeps at most; beyond it a completed response is not stored and a retry with its key is refused with 409 IDEMPOTENCY_KEY_COMPLETED.',
        },
      },
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
          description: 'Prefix of every key record (followed by `:idem:`): one per deployment, so that two deployments sharing a Redis never share keys.',
        },
        connectTimeoutMs: { type: 'integer', minimum: 1, default: 1000, description: 'Time a connection attempt may take before Redis counts as unreachable.' },
        commandTimeoutMs: {
          type: 'integer',
          minimum: 1,
          default: 500,
          description: 'Time a claim, store or release may take before it counts as a store error (a request never waits longer on Redis).',
        },
      },
    },
  },
} as const;
