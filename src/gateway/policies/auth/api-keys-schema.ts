/** Config schema of `apiKeys`: where issued API keys are stored and how fresh a gateway's view of them must be. */
import { PG_SCHEMA_PATTERN } from './stores/postgres-store.js';

/** `apiKeys` after defaults. */
export interface ApiKeysConfig {
  store: 'file' | 'postgres';
  file: string;
  postgres: { urlEnv: string; schema: string };
  maxStalenessMs: number;
}

export const apiKeysSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'Where the API keys issued to consumers (`accord keys create`, the admin API) are stored. Operations whose `security` names an apiKey or http basic scheme verify keys against this store.',
  properties: {
    store: {
      enum: ['file', 'postgres'],
      default: 'file',
      description: 'file: a JSON file under the data directory (one machine); postgres: a table shared by every instance.',
    },
    file: {
      type: 'string',
      minLength: 1,
      default: 'api-keys.json',
      description: 'The key file of the file store, relative to the data directory (--data-dir, ACCORD_DATA_DIR).',
    },
    postgres: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'The PostgreSQL store: the table <schema>.api_keys is created if missing.',
      properties: {
        urlEnv: {
          type: 'string',
          pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
          default: 'DATABASE_URL',
          description: 'Environment variable holding the connection string (postgres://…); never the URL itself, which carries a password.',
        },
        schema: { type: 'string', pattern: PG_SCHEMA_PATTERN, default: 'accord', description: 'Schema of the api_keys table.' },
      },
    },
    maxStalenessMs: {
      type: 'integer',
      minimum: 1000,
      default: 5000,
      description:
        'When the store could not be read for this long, key checks answer 503 instead of trusting a view that may miss revocations.',
    },
  },
} as const;
