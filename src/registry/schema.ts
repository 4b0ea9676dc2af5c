/** Config schema of the contract registry (`registry:`): whether the gateway serves from it, and where it lives. */

/** The `registry` section after defaults are applied. */
export interface RegistryConfig {
  enabled: boolean;
  store: 'file' | 'postgres';
  postgres: { schema: string };
  importOnStart: boolean;
  ruleset: string | undefined;
  autoRetire: { enabled: boolean; intervalSeconds: number };
  lifecycle: { inUseWindowDays: number };
  webhooks: WebhooksConfig;
}

/** `registry.webhooks` after defaults are applied. */
export interface WebhooksConfig {
  enabled: boolean;
  secretEnv: string;
  secretFile: string | undefined;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  sunsetReminderDays: number[];
  intervalSeconds: number;
}

export const registrySchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'The contract registry. When enabled, the gateway serves the registered versions of each API in `apis` (the highest version of each major that is not retired), follows every change within a second, and answers for deprecated and retired versions; `apis[].versions` is then optional.',
  properties: {
    enabled: { type: 'boolean', default: false, description: 'Serve the APIs from the registry rather than from `apis[].versions` and contract files alone.' },
    store: {
      enum: ['file', 'postgres'],
      default: 'file',
      description: 'file: `<data dir>/registry` (one process or one machine); postgres: the database of DATABASE_URL, shared by every instance (changes followed with LISTEN/NOTIFY).',
    },
    postgres: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The PostgreSQL store (the connection string comes from DATABASE_URL).',
      properties: {
        schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'accord', description: 'Schema holding the registry tables (created and migrated on start).' },
      },
    },
    importOnStart: {
      type: 'boolean',
      default: true,
      description:
        'On start, register every `<contractsDir>/<api>/<version>.yaml` of the APIs in `apis` through governance (what is already registered with the same content is left as it is), so files in git and registrations over the admin API end up in one registry with one history.',
    },
    ruleset: { type: 'string', description: 'Spectral ruleset governance runs at registration (relative to this file); the bundled one when not set.' },
    autoRetire: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Retire deprecated versions once their sunset has passed.',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Answer 410 VERSION_RETIRED from the sunset on, and record the retirement in the registry.' },
        intervalSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 60, description: 'How often the registry is checked for versions past their sunset.' },
      },
    },
    lifecycle: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'How deprecation and retirement use the usage records (when `usage.enabled`).',
      properties: {
        inUseWindowDays: {
          type: 'integer',
          minimum: 1,
          maximum: 366,
          default: 30,
          description:
            'A version called by any consumer within this many UTC days (today included) is in use: retiring it is refused with 409 VERSION_IN_USE unless forced with a reason. Deprecations and retirements record these consumers in the audit log. Keep it within usage.retentionDays.',
        },
      },
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'Signed lifecycle webhooks to the consumers a version change affects: POSTed to each consumer whose `contact` is an http(s) URL, when a version it called (in the in-use window) is deprecated, when its sunset is some days away, and when it is retired. Needs the registry and usage records.',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Send lifecycle webhooks.' },
        secretEnv: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]{0,127}$', default: 'ACCORD_WEBHOOK_SECRET', description: 'Environment variable holding the HMAC-SHA256 signing secret (used when secretFile is not set).' },
        secretFile: { type: 'string', description: 'File holding the signing secret (relative to this file; trailing newline ignored). Never put the secret itself in this file.' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000, description: 'Deadline of one delivery attempt (connect, send, answer).' },
        attempts: { type: 'integer', minimum: 1, maximum: 20, default: 6, description: 'Most attempts per delivery (the first included); a network error, timeout or non-2xx answer is retried.' },
        backoffMs: { type: 'integer', minimum: 1, maximum: 3600000, default: 1000, description: 'Base of the exponential backoff between attempts (full jitter: a random wait up to base x 2^(attempt-1)).' },
        maxBackoffMs: { type: 'integer', minimum: 1, maximum: 86400000, default: 300000, description: 'Longest wait between two attempts.' },
        sunsetReminderDays: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 366 },
          uniqueItems: true,
          maxItems: 10,
          default: [30, 7, 1],
          description: 'Send `version.sunset-approaching` when a deprecated version\'s sunset is this many days away or fewer (each once per version, across restarts and instances).',
        },
        intervalSeconds: { type: 'integer', minimum: 1, maximum: 86400, default: 3600, description: 'How often sunsets are checked for reminders due.' },
      },
    },
  },
} as const;
