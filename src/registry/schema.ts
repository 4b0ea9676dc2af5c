/** Config schema of the contract registry (`registry:`): whether the gateway serves from it, and where it lives. */

/** The `registry` section after defaults are applied. */
export interface RegistryConfig {
  enabled: boolean;
  store: 'file' | 'postgres';
  postgres: { schema: string };
  importOnStart: boolean;
  ruleset: string | undefined;
  autoRetire: { enabled: boolean; intervalSeconds: number };
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
  },
} as const;
