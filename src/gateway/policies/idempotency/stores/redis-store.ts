/**
 * Idempotency records in Redis, shared by every instance. Each operation is one Lua script, so a
 * claim is atomic across instances (SET NX, else read what is there) and a gateway only ever
 * completes or releases its own claim (compared by its token). A claim is written before the
 * request is forwarded: a gateway that dies after forwarding leaves it in place, and a retry is
 * refused as in flight until the key expires instead of reaching the upstream a second time.
 */
import { Redis } from 'ioredis';
import { decodeRecord, encodeRecord, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';

/** Options of a Redis store. */
export interface RedisIdempotencyOptions {
  url: string;
  /** Prefix of every record key of this deployment (`<prefix>:idem:<key>`). */
  keyPrefix: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`;

const COMPLETE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

/** The scripts as ioredis defines them on the client (`defineCommand`), with their Buffer-reply forms. */
interface ScriptClient {
  accordIdemClaimBuffer(key: string, claim: Buffer, ttlMs: number): Promise<Buffer | null>;
  accordIdemComplete(key: string, claim: Buffer, record: Buffer, ttlMs: number): Promise<number>;
  accordIdemRelease(key: string, claim: Buffer): Promise<number>;
}

/**
 * A Redis store on its own connection. A request never waits on a dead Redis: no offline queue
 * (a command while disconnected fails at once) and bounded connect and command times; ioredis
 * keeps reconnecting in the background.
 */
export function redisIdempotencyStore(options: RedisIdempotencyOptions): IdempotencyStore {
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  });
  // Connection errors surface as rejected commands, which the policy logs and counts.
  let reason = 'not connected yet';
  client.on('error', (error: Error) => (reason = error.message));
  client.defineCommand('accordIdemClaim', { numberOfKeys: 1, lua: CLAIM });
  client.defineCommand('accordIdemComplete', { numberOfKeys: 1, lua: COMPLETE });
  client.defineCommand('accordIdemRelease', { numberOfKeys: 1, lua: RELEASE });
  const scripts = client as unknown as ScriptClient;
  const prefix = `${options.keyPrefix}:idem:`;
  return {
    kind: 'redis',
    async claim(key, claim, ttlMs) {
      const existing = await scripts.accordIdemClaimBuffer(prefix + key, encodeRecord(claim), ttlMs);
      if (existing === null) return undefined;
      // A value this code did not write is answered as a claim in flight: never as a new request.
      return decodeRecord(existing) ?? { state: 'in-flight', fingerprint: claim.fingerprint, token: '' };
    },
    async complete(key, claim, record: IdempotencyRecord, ttlMs) {
      // The claim is compared byte for byte: encodeRecord writes the same bytes for the same claim.
      await scripts.accordIdemComplete(prefix + key, encodeRecord(claim), encodeRecord(record), ttlMs);
    },
    async release(key, claim) {
      await scripts.accordIdemRelease(prefix + key, encodeRecord(claim));
    },
    ready() {
      if (client.status === 'ready') return Promise.resolve(undefined);
      return new Promise<string | undefined>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          client.off('ready', done);
          resolve(client.status === 'ready' ? undefined : reason);
        };
        // Past twice the connect timeout Redis counts as unreachable, whatever ioredis is still trying.
        const timer = setTimeout(done, options.connectTimeoutMs * 2);
        client.on('ready', done);
      });
    },
    close() {
      client.disconnect();
    },
  };
}
