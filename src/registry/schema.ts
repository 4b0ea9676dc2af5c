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
  governance: RegistryGovernanceConfig;
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

/** How a breaking change within a major is judged: always refused, or refused only when used. */
export interface BreakingChangePolicy {
  mode: 'block' | 'block-if-used';
  /** `<n>d`: the usage read, and the least span the records must cover. */
  window: string;
  minRequests: number;
  excludeConsumers: string[];
  threshold: number;
}

/** `registry.governance` after defaults are applied. */
export interface RegistryGovernanceConfig {
  breakingChanges: BreakingChangePolicy;
  /** Per-API overrides; an absent field keeps the default of `breakingChanges`. */
  apis: Array<{ api: string; breakingChanges: Partial<BreakingChangePolicy> }>;
}

const BREAKING_CHANGES_DEFAULTS: BreakingChangePolicy = { mode: 'block', window: '30d', minRequests: 100, excludeConsumers: [], threshold: 0 };

/** The fields of a breaking-change policy; the per-API form has no defaults, so what it leaves out is inherited. */
function breakingChangeFields(withDefaults: boolean): Record<string, Record<string, unknown>> {
  const d = (name: keyof BreakingChangePolicy): Record<string, unknown> => (withDefaults ? { default: BREAKING_CHANGES_DEFAULTS[name] } : {});
  const inherit = withDefaults ? '' : ' Unset: the value of `registry.governance.breakingChanges`.';
  return {
    mode: {
      enum: ['block', 'block-if-used'],
      ...d('mode'),
      description: `block: a breaking change needs a new major version. block-if-used: a breaking change within the major is published when the usage records show no consumer used what it breaks in the window (else 422 BREAKING_CHANGE_IN_USE naming the consumers); needs usage.enabled.${inherit}`,
    },
    window: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,2}d$',
      ...d('window'),
      description: `Days of usage read (<n>d, 1d to 366d, ending today, UTC), and the least span the records must cover: records younger than the window are not enough evidence, so the change is refused.${inherit}`,
    },
    minRequests: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000_000,
      ...d('minRequests'),
      description: `Calls of the API's major that the window must hold (consumers left out included); with fewer, absence of use proves nothing and the change is refused.${inherit}`,
    },
    excludeConsumers: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 200 },
      maxItems: 1000,
      ...d('excludeConsumers'),
      description: `Consumer ids whose use never blocks (e.g. the API team's own test clients); their calls count neither for nor against a change.${inherit}`,
    },
    threshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      ...d('threshold'),
      description: `Share of an operation's calls in the window (consumers left out excluded) from which use blocks: 0 = any use blocks, 0.01 = use by consumers making at least 1 % of the operation's calls blocks.${inherit}`,
    },
  };
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
    governance: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'How registration judges a version beyond lint: the breaking-change policy, for every API and per API (README: Consumer impact).',
      properties: {
        breakingChanges: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'The breaking-change policy of every API without its own entry in `apis`.',
          properties: breakingChangeFields(true),
        },
        apis: {
          type: 'array',
          default: [],
          maxItems: 1000,
          description: 'Per-API policies (one entry per API id).',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['api'],
            properties: {
              api: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'The API id (as in `apis[].id`).' },
              breakingChanges: { type: 'object', additionalProperties: false, default: {}, description: 'Overrides of `registry.governance.breakingChanges` for this API.', properties: breakingChangeFields(false) },
            },
          },
        },
      },
    },
  },
} as const;

/** The policy of one API: its entry's fields over the defaults. */
export function breakingChangePolicyOf(governance: RegistryGovernanceConfig, api: string): BreakingChangePolicy {
  const own = governance.apis.find((a) => a.api === api)?.breakingChanges ?? {};
  const defined = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined)) as Partial<BreakingChangePolicy>;
  return { ...governance.breakingChanges, ...defined };
}
