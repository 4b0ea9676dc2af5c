/**
 * Idempotency records in this process's memory: exact for one process, the embedded default.
 * A restart or a crash forgets every key (the README says so); stored bodies are bounded.
 */
import { recordBytes, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';

interface Entry {
  record: IdempotencyRecord;
  expiresAt: number;
  bytes: number;
}

/** Options of a memory store. */
export interface MemoryStoreOptions {
  /** Bytes of records kept at most; a completed response beyond it is kept as `unreplayable`. */
  maxBytes: number;
  /** The clock of expiry (ms); Date.now when not given. */
  now?: () => number;
  /** How often expired records are swept (default 30 s). */
  sweepIntervalMs?: number;
}

/**
 * A memory store. An expired record is treated as absent when read and removed by a periodic
 * sweep (a timer that does not keep the process alive), so no request pays for a scan.
 */
export function memoryIdempotencyStore(options: MemoryStoreOptions): IdempotencyStore & { size(): number; bytes(): number } {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let total = 0;
  const remove = (key: string, entry: Entry): void => {
    entries.delete(key);
    total -= entry.bytes;
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      remove(key, entry);
      return undefined;
    }
    return entry;
  };
  const put = (key: string, record: IdempotencyRecord, ttlMs: number): void => {
    const old = entries.get(key);
    if (old) remove(key, old);
    const bytes = recordBytes(key, record);
    entries.set(key, { record, expiresAt: now() + ttlMs, bytes });
    total += bytes;
  };
  const sweep = setInterval(() => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) remove(key, entry);
  }, options.sweepIntervalMs ?? 30_000);
  sweep.unref();
  return {
    kind: 'memory',
    claim(key, claim, ttlMs) {
      const entry = live(key);
      if (entry) return Promise.resolve(entry.record);
      put(key, claim, ttlMs);
      return Promise.resolve(undefined);
    },
    complete(key, claim, record, ttlMs) {
      const entry = live(key);
      if (!entry || entry.record.state !== 'in-flight' || entry.record.token !== claim.token) return Promise.resolve();
      let kept = record;
      if (record.state === 'completed' && total - entry.bytes + recordBytes(key, record) > options.maxBytes) {
        kept = { state: 'unreplayable', fingerprint: record.fingerprint, status: record.response.status };
      }
      put(key, kept, ttlMs);
      return Promise.resolve();
    },
    release(key, claim) {
      const entry = live(key);
      if (entry && entry.record.state === 'in-flight' && entry.record.token === claim.token) remove(key, entry);
      return Promise.resolve();
    },
    close() {
      clearInterval(sweep);
      entries.clear();
      total = 0;
    },
    size: () => entries.size,
    bytes: () => total,
  };
}
