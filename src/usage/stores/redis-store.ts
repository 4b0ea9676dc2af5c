/**
 * Usage records in Redis, shared by every instance: each flush is one pipeline of small Lua scripts
 * that add counts (HINCRBY), keep the earliest first seen and the latest last seen, and hold the
 * per-fingerprint location cap across instances. Keys expire when not written for the retention period.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';
import { fingerprintLocations, oldestKeptDay, sortReport, utcDay, type StatusClass, type UsageBatch, type UsageFilter, type UsageReport } from '../usage-record.js';
import { majorOf } from './memory-store.js';
import type { StoreBounds, UsageStore } from './usage-store.js';

/** Adds one record delta: ARGV first, last, day field, count, ttl ms, oldest day field kept. */
const RECORD_SCRIPT = `
local k = KEYS[1]
local f = tonumber(redis.call('HGET', k, 'first'))
if (not f) or tonumber(ARGV[1]) < f then redis.call('HSET', k, 'first', ARGV[1]) end
local l = tonumber(redis.call('HGET', k, 'last'))
if (not l) or tonumber(ARGV[2]) > l then redis.call('HSET', k, 'last', ARGV[2]) end
redis.call('HINCRBY', k, ARGV[3], ARGV[4])
for _, field in ipairs(redis.call('HKEYS', k)) do
  if string.sub(field, 1, 2) == 'd:' and field < ARGV[6] then redis.call('HDEL', k, field) end
end
redis.call('PEXPIRE', k, ARGV[5])
return 1`;

/**
 * Adds one fingerprint delta: ARGV first, last, requests, examined, undeclaredQuery, overflow,
 * maxLocations, ttl ms, then (location, count, last seen) triples. A location beyond the cap adds
 * its count to `overflow`.
 */
const FINGERPRINT_SCRIPT = `
local k = KEYS[1]
local f = tonumber(redis.call('HGET', k, 'first'))
if (not f) or tonumber(ARGV[1]) < f then redis.call('HSET', k, 'first', ARGV[1]) end
local l = tonumber(redis.call('HGET', k, 'last'))
if (not l) or tonumber(ARGV[2]) > l then redis.call('HSET', k, 'last', ARGV[2]) end
redis.call('HINCRBY', k, 'requests', ARGV[3])
redis.call('HINCRBY', k, 'examined', ARGV[4])
redis.call('HINCRBY', k, 'undeclaredQuery', ARGV[5])
local overflow = tonumber(ARGV[6])
local max = tonumber(ARGV[7])
local n = tonumber(redis.call('HGET', k, 'n') or '0')
for i = 9, #ARGV, 3 do
  local c = 'c:' .. ARGV[i]
  local ls = 'l:' .. ARGV[i]
  if redis.call('HEXISTS', k, c) == 1 then
    redis.call('HINCRBY', k, c, ARGV[i + 1])
    if tonumber(ARGV[i + 2]) > tonumber(redis.call('HGET', k, ls) or '0') then redis.call('HSET', k, ls, ARGV[i + 2]) end
  elseif n < max then
    n = n + 1
    redis.call('HSET', k, c, ARGV[i + 1], ls, ARGV[i + 2])
  else
    overflow = overflow + tonumber(ARGV[i + 1])
  end
end
redis.call('HSET', k, 'n', n)
redis.call('HINCRBY', k, 'overflow', overflow)
redis.call('PEXPIRE', k, ARGV[8])
return 1`;

const DAY_MS = 86_400_000;

/** Options of the Redis store. */
export interface RedisStoreOptions extends StoreBounds {
  url: string;
  keyPrefix: string;
  logger: Logger;
  now?: () => number;
}

/** The Redis usage store. */
export class RedisUsageStore implements UsageStore {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly options: RedisStoreOptions;
  private readonly now: () => number;

  constructor(options: RedisStoreOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    // No offline queue: a flush while Redis is away fails at once and is retried at the next one.
    this.redis = new Redis(options.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    let reported = false;
    this.redis.on('error', (error: Error) => {
      if (reported) return;
      reported = true;
      options.logger.warn({ store: 'redis', err: { message: error.message } }, 'usage store: Redis unreachable; batches are kept and retried');
    });
    this.redis.on('ready', () => {
      reported = false;
    });
    this.redis.connect().catch(() => undefined);
  }

  /** Resolves once connected (tests and shutdown); rejects when Redis cannot be reached within `timeoutMs`. */
  async ready(timeoutMs = 2000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`Redis at ${redactUrl(this.options.url)} not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  private key(...parts: string[]): string {
    return this.options.keyPrefix + parts.join(':');
  }

  async write(batch: UsageBatch): Promise<void> {
    if (this.redis.status !== 'ready') await this.ready();
    const ttl = String(this.options.retentionDays * DAY_MS);
    const oldestField = `d:${oldestKeptDay(this.now(), this.options.retentionDays)}`;
    const pipeline = this.redis.pipeline();
    const apis = new Set<string>();
    for (const r of batch.records) {
      apis.add(r.api);
      const id = JSON.stringify([r.consumer, r.version, r.operation, r.statusClass]);
      pipeline.sadd(this.key('r', r.api), id);
      pipeline.eval(RECORD_SCRIPT, 1, this.key('r', r.api, id), String(r.firstSeen), String(r.lastSeen), `d:${r.day}`, String(r.count), ttl, oldestField);
    }
    for (const f of batch.fingerprints) {
      apis.add(f.api);
      const id = JSON.stringify([f.consumer, f.major, f.operation]);
      const args: string[] = [String(f.firstSeen), String(f.lastSeen), String(f.requests), String(f.examined), String(f.undeclaredQuery), String(f.overflow), String(this.options.maxLocations), ttl];
      for (const [location, seen] of f.locations) args.push(location, String(seen.count), String(seen.lastSeen));
      pipeline.sadd(this.key('f', f.api), id);
      pipeline.eval(FINGERPRINT_SCRIPT, 1, this.key('f', f.api, id), ...args);
    }
    if (apis.size > 0) pipeline.sadd(this.key('apis'), ...apis);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0]!;
  }

  async query(filter: UsageFilter, now: number): Promise<UsageReport> {
    if (this.redis.status !== 'ready') await this.ready();
    const oldest = oldestKeptDay(now, this.options.retentionDays);
    const since = filter.since !== undefined && filter.since > oldest ? filter.since : oldest;
    const sinceMs = Date.parse(`${since}T00:00:00Z`);
    const report: UsageReport = { window: { since, until: utcDay(now) }, records: [], fingerprints: [] };
    const apis = filter.api !== undefined ? [filter.api] : await this.redis.smembers(this.key('apis'));
    for (const api of apis) {
      const recordIds = (await this.redis.smembers(this.key('r', api))).filter((id) => {
        const [consumer, , operation] = JSON.parse(id) as [string, string, string, StatusClass];
        return (filter.consumer === undefined || consumer === filter.consumer) && (filter.operation === undefined || operation === filter.operation);
      });
      const fingerprintIds = (await this.redis.smembers(this.key('f', api))).filter((id) => {
        const [consumer, , operation] = JSON.parse(id) as [string, number, string];
        return (filter.consumer === undefined || consumer === filter.consumer) && (filter.operation === undefined || operation === filter.operation);
      });
      const read = this.redis.pipeline();
      for (const id of recordIds) read.hgetall(this.key('r', api, id));
      for (const id of fingerprintIds) read.hgetall(this.key('f', api, id));
      const hashes = ((await read.exec()) ?? []).map(([error, value]) => {
        if (error) throw error;
        return value as Record<string, string>;
      });
      const gone: string[] = [];
      recordIds.forEach((id, i) => {
        const hash = hashes[i]!;
        if (hash.first === undefined) return void gone.push(id);
        const [consumer, version, operation, statusClass] = JSON.parse(id) as [string, string, string, StatusClass];
        const daily = Object.entries(hash)
          .filter(([field]) => field.startsWith('d:') && field.slice(2) >= since)
          .map(([field, count]) => ({ day: field.slice(2), count: Number(count) }))
          .sort((a, b) => (a.day < b.day ? -1 : 1));
        if (daily.length === 0) return;
        const calls = daily.reduce((sum, d) => sum + d.count, 0);
        report.records.push({ consumer, api, version, major: majorOf(version), operation, statusClass, calls, firstSeen: iso(hash.first), lastSeen: iso(hash.last!), daily });
      });
      if (gone.length > 0) await this.redis.srem(this.key('r', api), ...gone);
      const goneFingerprints: string[] = [];
      fingerprintIds.forEach((id, i) => {
        const hash = hashes[recordIds.length + i]!;
        if (hash.first === undefined) return void goneFingerprints.push(id);
        if (Number(hash.last) < sinceMs) return;
        const [consumer, major, operation] = JSON.parse(id) as [string, number, string];
        const { locations, enumValues } = fingerprintLocations(
          Object.entries(hash)
            .filter(([field]) => field.startsWith('c:'))
            .map(([field, count]) => [field.slice(2), Number(count), Number(hash[`l:${field.slice(2)}`] ?? hash.last)] as const),
        );
        report.fingerprints.push({
          consumer,
          api,
          major,
          operation,
          firstSeen: iso(hash.first),
          lastSeen: iso(hash.last!),
          requests: Number(hash.requests ?? 0),
          examined: Number(hash.examined ?? 0),
          undeclaredQuery: Number(hash.undeclaredQuery ?? 0),
          overflow: Number(hash.overflow ?? 0),
          locations,
          enumValues,
        });
      });
      if (goneFingerprints.length > 0) await this.redis.srem(this.key('f', api), ...goneFingerprints);
    }
    return sortReport(report);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

const iso = (ms: string): string => new Date(Number(ms)).toISOString();

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
