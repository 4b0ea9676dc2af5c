/** Opens the key store the configuration selects. */
import { isAbsolute, join } from 'node:path';
import type { ApiKeysConfig } from '../api-keys-schema.js';
import { fileKeyStore } from './file-store.js';
import type { ApiKeyStore } from './key-store.js';
import { postgresKeyStore } from './postgres-store.js';

/** Thrown when the configured store cannot be opened (a missing environment variable). */
export class KeyStoreConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyStoreConfigError';
  }
}

/** The store `config` names; the file store's path is taken relative to `dataDir`. */
export function openKeyStore(config: ApiKeysConfig, dataDir: string, options: { env?: NodeJS.ProcessEnv; onError?: (error: Error) => void } = {}): ApiKeyStore {
  if (config.store === 'postgres') {
    const env = options.env ?? process.env;
    const url = env[config.postgres.urlEnv];
    if (!url) throw new KeyStoreConfigError(`apiKeys.store is postgres but the environment variable ${config.postgres.urlEnv} is not set`);
    return postgresKeyStore({ connectionString: url, schema: config.postgres.schema, onError: options.onError });
  }
  const path = isAbsolute(config.file) ? config.file : join(dataDir, config.file);
  return fileKeyStore({ path, onError: options.onError });
}
