/** Config schema of the contract registry (`registry:`): whether the gateway serves from it, and where it lives. */

/** The `registry` section after defaults are applied. */
export interface RegistryConfig {
  enabled: boolean;
  store: 'file' | 'postgres';
  postgres: { schema: string };
  importOnStart: boolean;
  ruleset: string | undefined;
  autoRetire: { enabled: boolean; intervalSeconds: number };
  governance: RegistryGovernanceConfig;
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
