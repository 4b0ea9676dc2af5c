/** Config schema of usage records (`usage:`): where they are kept, how often they are flushed, and their bounds. */

/** Bounds of the request-side fingerprint kept per (consumer, API, major, operation). */
export interface FingerprintConfig {
  enabled: boolean;
  maxLocations: number;
  maxDepth: number;
  maxNodes: number;
  arrayElements: number;
  stableAfter: number;
  sampleEvery: number;
}

/** The `usage` section after defaults are applied. */
export interface UsageConfig {
  enabled: boolean;
  store: 'memory' | 'redis';
  redis: { keyPrefix: string };
  flushIntervalSeconds: number;
  retentionDays: number;
  maxPendingRecords: number;
  maxRetainedBatches: number;
  fingerprint: FingerprintConfig;
}

export const usageSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'Usage records: who called which operation (per consumer, API, version, operationId and status class, with first/last seen and daily counts) and which parameters and body fields each consumer sends. Recorded after the response, flushed in batches; read on the admin listener (`GET /usage`) and with `accord usage`.',
  properties: {
    enabled: { type: 'boolean', default: false, description: 'Record usage. Off: nothing is recorded and the request path does no usage work at all.' },
    store: {
      enum: ['memory', 'redis'],
      default: 'memory',
      description: 'memory: this process only, lost on restart; redis: shared by every instance at REDIS_URL (default redis://127.0.0.1:6379), so several instances add up.',
    },
    redis: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Redis store settings (the URL, which may hold a password, comes from REDIS_URL, never from this file).',
      properties: {
        keyPrefix: { type: 'string', pattern: '^[A-Za-z0-9:._-]{1,64}$', default: 'accord:usage:', description: 'Prefix of every usage key, so that several gateways (or tests) can share one Redis.' },
      },
    },
    flushIntervalSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 10, description: 'How often the records gathered in memory are written to the store (also on shutdown).' },
    retentionDays: { type: 'integer', minimum: 1, maximum: 3660, default: 90, description: 'Daily counts older than this many UTC days are dropped; a record not seen for this long disappears.' },
    maxPendingRecords: {
      type: 'integer',
      minimum: 1,
      default: 50000,
      description: 'Most distinct records (consumer, operation, version, status class) gathered between two flushes; calls beyond it are dropped and counted (accord_usage_dropped_records_total).',
    },
    maxRetainedBatches: {
      type: 'integer',
      minimum: 0,
      default: 30,
      description: 'Batches kept for another attempt when the store cannot be written (Redis down); older ones are dropped and counted.',
    },
    fingerprint: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The request-side fingerprint: which declared parameters and which body JSON pointers (array indices as `*`) a consumer sends to an operation.',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'Record fingerprints (only the call counts when false).' },
        maxLocations: { type: 'integer', minimum: 1, maximum: 10000, default: 256, description: 'Most distinct locations (parameters and body pointers) kept per fingerprint; further ones are counted as overflow.' },
        maxDepth: { type: 'integer', minimum: 1, maximum: 64, default: 16, description: 'Deepest body member examined.' },
        maxNodes: { type: 'integer', minimum: 1, maximum: 100000, default: 512, description: 'Most body values examined per request.' },
        arrayElements: { type: 'integer', minimum: 1, maximum: 1000, default: 8, description: 'Elements examined of each body array (all elements share one pointer, `/*`).' },
        stableAfter: {
          type: 'integer',
          minimum: 0,
          default: 64,
          description: 'Once this many examined requests of a fingerprint brought no new location, only one request in sampleEvery is examined (a new location returns to examining every request).',
        },
        sampleEvery: { type: 'integer', minimum: 1, default: 10, description: 'Sampling rate of a stable fingerprint (1 = examine every request).' },
      },
    },
  },
} as const;
