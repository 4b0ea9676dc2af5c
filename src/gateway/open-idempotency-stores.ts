/**
 * The process's Idempotency-Key stores, from `idempotency` and the APIs that name a store: memory
 * made on first use, Redis connected at start when an API asks for it (its client is loaded only
 * then). They live as long as the process, so a reload keeps every key.
 */
import type { LoadedConfig } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import type { Logger } from '../observability/logger.js';
import type { IdempotencyStore, IdempotencyStores } from './policies/idempotency/index.js';
import { memoryIdempotencyStore } from './policies/idempotency/index.js';

/** The stores of a process, and how to release them. */
export interface OpenIdempotencyStores extends IdempotencyStores {
  close(): Promise<void>;
}

/**
 * Opens the stores. Throws a ConfigError naming the API's `idempotency/store` when an API asks for
 * Redis and the variable `idempotency.redis.urlEnv` names is unset.
 */
export async function openIdempotencyStores(loaded: LoadedConfig, now: (() => number) | undefined, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<OpenIdempotencyStores> {
  const settings = loaded.config.idempotency;
  let memory: IdempotencyStore | undefined;
  let redis: IdempotencyStore | undefined;
  const wantsRedis = loaded.config.apis.findIndex((api) => api.idempotency?.store === 'redis');
  if (wantsRedis !== -1) {
    const url = env[settings.redis.urlEnv];
    if (!url) {
      const pointer = `/apis/${wantsRedis}/idempotency/store`;
      throw new ConfigError([{ file: loaded.file, pointer, line: loaded.lineOf(pointer), message: `environment variable ${settings.redis.urlEnv} is not set; idempotency store redis reads the Redis URL from it (idempotency.redis.urlEnv)` }]);
    }
    const { redisIdempotencyStore } = await import('./policies/idempotency/stores/redis-store.js');
    redis = redisIdempotencyStore({ url, keyPrefix: settings.redis.keyPrefix, connectTimeoutMs: settings.redis.connectTimeoutMs, commandTimeoutMs: settings.redis.commandTimeoutMs });
    // Serving starts either way: until Redis answers, each API's onStoreError decides (and is logged per request).
    const unreachable = await redis.ready?.();
    if (unreachable !== undefined) logger.warn({ store: 'redis', reason: unreachable }, 'idempotency store unreachable at start: requests with an Idempotency-Key follow each API\'s onStoreError until it answers');
  }
  return {
    get(kind) {
      if (kind === 'redis') {
        // Like `limits`, the stores are read at start: a reload cannot connect a new one.
        if (!redis) throw new Error('an API asks for idempotency store redis, which was not configured when the gateway started: restart to use it');
        return redis;
      }
      memory ??= memoryIdempotencyStore({ maxBytes: settings.memory.maxBytes, now });
      return memory;
    },
    async close() {
      await memory?.close?.();
      await redis?.close?.();
    },
  };
}
