/**
 * The one interface every registry store keeps (file, PostgreSQL), so the registration logic and
 * the shared test suite never know which one they talk to.
 */
import type { AuditPage, AuditQuery, NewAuditEntry, VersionRecord } from '../model.js';

/** Outcome of storing a new version. */
export type PutOutcome =
  | { readonly kind: 'created'; readonly record: VersionRecord }
  | { readonly kind: 'identical'; readonly record: VersionRecord }
  | { readonly kind: 'conflict'; readonly record: VersionRecord };

/** A lifecycle change, applied only if the version is still in one of `from`. */
export interface LifecycleChange {
  readonly api: string;
  readonly version: string;
  readonly from: readonly VersionRecord['status'][];
  readonly patch: Partial<Pick<VersionRecord, 'status' | 'deprecatedAt' | 'sunset' | 'successor' | 'retiredAt'>>;
}

/** Outcome of a lifecycle change. */
export type ChangeOutcome =
  | { readonly kind: 'changed'; readonly record: VersionRecord }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'wrong-state'; readonly record: VersionRecord };

export interface RegistryStore {
  /** Every version of every API, ordered by API then semver. */
  list(): Promise<VersionRecord[]>;
  get(api: string, version: string): Promise<VersionRecord | undefined>;
  /** The document's bytes as registered. */
  document(api: string, version: string): Promise<string | undefined>;
  /**
   * Stores a version and its audit entry atomically: both or neither. Same version with the same
   * digest: `identical`, nothing written; with another digest: `conflict`, nothing written.
   */
  put(record: VersionRecord, document: string, audit: NewAuditEntry): Promise<PutOutcome>;
  /** Applies a lifecycle change and its audit entry atomically, if the version is in an expected state. */
  change(change: LifecycleChange, audit: NewAuditEntry): Promise<ChangeOutcome>;
  /**
   * Records that the lifecycle notification `event` of a version was sent; true for the one caller
   * that recorded it first (in any process), false when it was recorded already. Sunset reminders
   * use it so that each is sent once per version, across restarts and instances.
   */
  claimNotification(api: string, version: string, event: string, at: string): Promise<boolean>;
  /** A page of the audit log, oldest first, after the cursor. */
  audit(query: AuditQuery): Promise<AuditPage>;
  /**
   * Calls `listener` after any change made by this or another process, and whenever a change may
   * have been missed (once listening starts, after a reconnection). Returns the unsubscribe function.
   */
  watch(listener: () => void): () => void;
  close(): Promise<void>;
}
