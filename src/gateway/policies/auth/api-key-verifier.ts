/**
 * Verifies presented API keys against the store's in-memory snapshot: no I/O on the request
 * path, and a per-process cache that is dropped whenever the snapshot changes, so a revocation
 * is honoured as soon as this instance has read it (within a second).
 */
import { keyIdOf, keyMatches } from './api-key-format.js';
import type { ApiKeyStore, SnapshotKey } from './stores/key-store.js';

/** Why a key was refused. */
export type KeyRefusal = 'malformed' | 'unknown' | 'mismatch' | 'revoked' | 'expired';

/** The outcome of one verification. */
export type KeyVerdict =
  | { readonly ok: true; readonly id: string; readonly consumer: string }
  | { readonly ok: false; readonly reason: KeyRefusal; readonly id?: string }
  /** The store has not been read for longer than allowed: the key cannot be judged. */
  | { readonly ok: false; readonly reason: 'unavailable' };

/** Most verified keys remembered; past it the cache starts afresh (keys are few, callers many). */
const CACHE_MAX = 10_000;

/** A digest of the right length to compare against when the id is unknown, so both paths hash once. */
const DUMMY_HASH = Buffer.alloc(32);

/** Verifies keys; the store is opened and followed only once some operation needs keys. */
export class ApiKeyVerifier {
  private store: ApiKeyStore | undefined;
  private following: Promise<void> | undefined;
  private readonly open: () => ApiKeyStore;
  private readonly maxStalenessMs: number;
  private readonly now: () => number;
  private cache = new Map<string, SnapshotKey>();
  private cacheGeneration = -1;

  constructor(open: () => ApiKeyStore, options: { maxStalenessMs: number; now?: () => number }) {
    this.open = open;
    this.maxStalenessMs = options.maxStalenessMs;
    this.now = options.now ?? Date.now;
  }

  /** Called at load by every operation that takes keys: opens the store and starts following it. */
  require(): void {
    if (this.store) return;
    this.store = this.open();
    this.following = this.store.follow();
    // Reported by ready(); an unobserved rejection must not end the process meanwhile.
    this.following.catch(() => undefined);
  }

  /** True once some operation required keys. */
  get isRequired(): boolean {
    return this.store !== undefined;
  }

  /** Where keys are read from, for log lines. */
  get description(): string | undefined {
    return this.store?.description;
  }

  /** Resolves once the first snapshot is loaded (at once when no operation needs keys); rejects when the store cannot be read. */
  async ready(): Promise<void> {
    await this.following;
  }

  /** Judges a presented key. Synchronous: the snapshot is in memory. */
  verify(text: string): KeyVerdict {
    const store = this.store;
    if (!store) return { ok: false, reason: 'unknown' };
    const now = this.now();
    if (now - store.lastReadAt() > this.maxStalenessMs) return { ok: false, reason: 'unavailable' };
    const snapshot = store.snapshot();
    if (snapshot.generation !== this.cacheGeneration) {
      this.cache = new Map();
      this.cacheGeneration = snapshot.generation;
    }
    let entry = this.cache.get(text);
    if (entry === undefined) {
      const id = keyIdOf(text);
      if (id === undefined) return { ok: false, reason: 'malformed' };
      const found = snapshot.byId.get(id);
      if (!keyMatches(text, found?.salt ?? '', found?.hash ?? DUMMY_HASH) || found === undefined) {
        return found === undefined ? { ok: false, reason: 'unknown', id } : { ok: false, reason: 'mismatch', id };
      }
      entry = found;
      if (this.cache.size >= CACHE_MAX) this.cache = new Map();
      this.cache.set(text, entry);
    }
    if (entry.revoked) return { ok: false, reason: 'revoked', id: entry.id };
    if (entry.expiresAtMs <= now) return { ok: false, reason: 'expired', id: entry.id };
    return { ok: true, id: entry.id, consumer: entry.consumer };
  }

  /** Stops following the store. */
  async close(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    await store?.close();
  }
}
