/**
 * The one interface of API key stores (file, PostgreSQL): issue, list and revoke keys for the CLI
 * and the admin API, and an in-memory snapshot the gateway verifies against without I/O.
 */

/** What may be shown of a key: never its secret nor its hash. Dates are ISO 8601 strings. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly consumer: string;
  readonly createdAt: string;
  /** Null when the key does not expire. */
  readonly expiresAt: string | null;
  /** Null while the key is not revoked. */
  readonly revokedAt: string | null;
}

/** A record as stored: with its salt and salted hash (base64url). */
export interface StoredApiKey extends ApiKeyRecord {
  readonly salt: string;
  readonly hash: string;
}

/** A key just issued: the record and the full key, which is returned this once and never again. */
export interface IssuedApiKey {
  readonly record: ApiKeyRecord;
  readonly key: string;
}

/** The keys as one instance last read them, prepared for verification. */
export interface KeySnapshot {
  /** Changes whenever the set of keys (or a key) changed: caches keyed on it stay exact. */
  readonly generation: number;
  /** Active and inactive keys by id; hashes decoded once. */
  readonly byId: ReadonlyMap<string, SnapshotKey>;
}

/** A key as the verifier needs it. */
export interface SnapshotKey {
  readonly id: string;
  readonly consumer: string;
  readonly salt: string;
  readonly hash: Buffer;
  /** Epoch milliseconds, or Infinity for a key that does not expire. */
  readonly expiresAtMs: number;
  readonly revoked: boolean;
}

/** Options of `create`. */
export interface CreateKeyInput {
  consumer: string;
  /** Undefined: the key does not expire. */
  expiresAt?: Date;
}

/** A store of API keys. */
export interface ApiKeyStore {
  /** Where the keys live, for log lines and messages (a file path, or `postgresql <schema>.api_keys`). */
  readonly description: string;
  /** Issues a key for a consumer; the full key is in the result only. */
  create(input: CreateKeyInput): Promise<IssuedApiKey>;
  /** The keys, oldest first, optionally of one consumer. */
  list(filter?: { consumer?: string }): Promise<ApiKeyRecord[]>;
  /** Revokes a key; the record (already revoked ones unchanged), or undefined when no key has this id. */
  revoke(id: string): Promise<ApiKeyRecord | undefined>;
  /**
   * Loads the keys and keeps following changes (every instance sees a revocation within a
   * second). Resolves once the first snapshot is in place; rejects when the store cannot be read.
   */
  follow(): Promise<void>;
  /** The latest snapshot (empty before `follow` resolved). */
  snapshot(): KeySnapshot;
  /** Epoch milliseconds of the last successful read of the store (0 before the first). */
  lastReadAt(): number;
  /** Stops following and releases files, timers and connections. */
  close(): Promise<void>;
}

/** Thrown for unusable input to a store (unknown consumer format, expiry in the past). */
export class KeyStoreInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyStoreInputError';
  }
}

/** Builds a snapshot from stored records. */
export function snapshotOf(records: readonly StoredApiKey[], generation: number): KeySnapshot {
  const byId = new Map<string, SnapshotKey>();
  for (const r of records) {
    byId.set(r.id, {
      id: r.id,
      consumer: r.consumer,
      salt: r.salt,
      hash: Buffer.from(r.hash, 'base64url'),
      expiresAtMs: r.expiresAt === null ? Infinity : Date.parse(r.expiresAt),
      revoked: r.revokedAt !== null,
    });
  }
  return { generation, byId };
}

/** The record without the secret parts. */
export function publicRecord(r: StoredApiKey): ApiKeyRecord {
  return { id: r.id, consumer: r.consumer, createdAt: r.createdAt, expiresAt: r.expiresAt, revokedAt: r.revokedAt };
}

/** An empty snapshot, before the first read. */
export const EMPTY_SNAPSHOT: KeySnapshot = Object.freeze({ generation: 0, byId: new Map<string, SnapshotKey>() });
