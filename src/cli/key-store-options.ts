/** The options every `accord keys` subcommand shares, and opening the key store they select. */
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { ConfigError, formatIssue } from '../config/config-error.js';
import { displayPath } from './display-path.js';
import { apiKeysSchema, type ApiKeysConfig } from '../gateway/policies/auth/api-keys-schema.js';
import { openKeyStore, KeyStoreConfigError } from '../gateway/policies/auth/stores/open-store.js';
import { KeyStoreInputError, type ApiKeyStore } from '../gateway/policies/auth/stores/key-store.js';
import { resolveDataDir } from './data-dir.js';
import { UsageError } from './exit-codes.js';

/** The shared flags. */
export interface KeyStoreFlags {
  store?: string;
  dataDir?: string;
  config?: string;
}

/** Adds `--store`, `--data-dir` and `--config` to a subcommand. */
export function withKeyStoreOptions(command: Command): Command {
  return command
    .option('--store <kind>', 'file (under the data directory) or postgres (DATABASE_URL); default: the configuration\'s apiKeys.store, else file')
    .option('--data-dir <dir>', 'data directory of the file store (ACCORD_DATA_DIR; default .accord/)')
    .option('--config <dir>', 'gateway configuration whose apiKeys settings (and consumers) to use');
}

/** The store the flags select, and the loaded configuration when `--config` was given. */
export function openStoreFromFlags(flags: KeyStoreFlags): { store: ApiKeyStore; loaded: LoadedConfig | undefined } {
  let loaded: LoadedConfig | undefined;
  if (flags.config !== undefined) {
    try {
      loaded = loadConfig(flags.config);
    } catch (error) {
      if (error instanceof ConfigError) {
        const more = error.issues.length - 1;
        throw new UsageError(`${formatIssue({ ...error.issues[0]!, file: displayPath(error.issues[0]!.file) })}${more > 0 ? ` (and ${more} more: accord config validate lists them)` : ''}`);
      }
      throw error;
    }
  }
  const defaults: ApiKeysConfig = {
    store: apiKeysSchema.properties.store.default,
    file: apiKeysSchema.properties.file.default,
    postgres: { urlEnv: apiKeysSchema.properties.postgres.properties.urlEnv.default, schema: apiKeysSchema.properties.postgres.properties.schema.default },
    maxStalenessMs: apiKeysSchema.properties.maxStalenessMs.default,
  };
  const settings: ApiKeysConfig = { ...(loaded?.config.apiKeys ?? defaults) };
  if (flags.store !== undefined) {
    if (flags.store !== 'file' && flags.store !== 'postgres') throw new UsageError(`--store must be file or postgres (got "${flags.store}")`);
    settings.store = flags.store;
  }
  try {
    return { store: openKeyStore(settings, resolveDataDir(flags.dataDir)), loaded };
  } catch (error) {
    if (error instanceof KeyStoreConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Runs a store operation, turning unusable input and an unreachable store into a one-line usage error, and closes the store. */
export async function withStore<T>(store: ApiKeyStore, run: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  try {
    return await run(store);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof KeyStoreInputError) throw new UsageError(error.message);
    throw new UsageError(`key store ${store.description}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await store.close();
  }
}
