/** A bounded cache of verified tokens with per-entry expiry and second-chance (CLOCK) eviction. */

interface Slot<V> {
  value: V;
  validUntilMs: number;
  isReferenced: boolean;
}

/**
 * Maps a token string to what verifying it produced. `get` is synchronous and cheap: one Map
 * lookup, one comparison and a flag write, with no reordering (an LRU's delete+insert on every
 * hit would cost more than the lookup). When full, `set` sweeps from the oldest entry: expired
 * entries go, referenced ones get a second chance at the back, the first unreferenced is evicted.
 */
export class TokenCache<V> {
  readonly #slots = new Map<string, Slot<V>>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError(`token cache size must be a positive integer, got ${maxEntries}`);
    this.#maxEntries = maxEntries;
  }

  /** Number of entries held (expired ones included until they are met). */
  get size(): number {
    return this.#slots.size;
  }

  /** The value of a token still valid at `nowMs`; an expired entry is dropped on the way. */
  get(token: string, nowMs: number): V | undefined {
    const slot = this.#slots.get(token);
    if (slot === undefined) return undefined;
    if (nowMs >= slot.validUntilMs) {
      this.#slots.delete(token);
      return undefined;
    }
    slot.isReferenced = true;
    return slot.value;
  }

  /** Stores a value until `validUntilMs` (exclusive), evicting one entry first when full. */
  set(token: string, value: V, validUntilMs: number, nowMs: number): void {
    if (validUntilMs <= nowMs) return;
    if (!this.#slots.delete(token) && this.#slots.size >= this.#maxEntries) this.#evictOne(nowMs);
    this.#slots.set(token, { value, validUntilMs, isReferenced: false });
  }

  /** Forgets everything. */
  clear(): void {
    this.#slots.clear();
  }

  #evictOne(nowMs: number): void {
    // Bounded: each entry is seen at most twice (once to clear its flag, once to evict).
    for (let budget = this.#slots.size * 2; budget > 0; budget--) {
      const oldest = this.#slots.entries().next();
      if (oldest.done === true) return;
      const [token, slot] = oldest.value;
      this.#slots.delete(token);
      if (nowMs >= slot.validUntilMs || !slot.isReferenced) return;
      slot.isReferenced = false;
      this.#slots.set(token, slot);
    }
  }
}
