/** The registry's records: contract versions with their lifecycle, and the audit trail of every change. */
import type { Severity } from '../governance/findings.js';
import type { AuditedImpact } from './breaking-change-gate.js';

/** Where a version is in its life: served, served with deprecation headers, or refused with 410. */
export type VersionStatus = 'published' | 'deprecated' | 'retired';

/** One registered contract version. Its document is immutable; only the lifecycle fields change. */
export interface VersionRecord {
  readonly api: string;
  /** Semver text, `info.version` of the document. */
  readonly version: string;
  readonly status: VersionStatus;
  /** `sha256:<hex>` of the document as registered (the bytes, not a re-serialisation). */
  readonly digest: string;
  /** `yaml` or `json`: how the document was sent, so it is served back the same way. */
  readonly format: 'yaml' | 'json';
  /** ISO 8601 instants. */
  readonly publishedAt: string;
  readonly deprecatedAt?: string;
  /** When a deprecated version stops being served (RFC 8594 `Sunset`). */
  readonly sunset?: string;
  /** The version callers should move to (`Link: rel="successor-version"`, and the 410's `successor`). */
  readonly successor?: string;
  readonly retiredAt?: string;
}

/** Who made a change: the token's provider and subject (client_id, else sub). */
export interface Actor {
  readonly provider: string;
  readonly subject: string;
}

/** Counts of the governance findings of a registration. */
export interface GovernanceSummary {
  readonly errors: number;
  readonly warnings: number;
  /** IDs of the findings at or above error, at most a few dozen (the full list went back to the caller). */
  readonly blocking: readonly string[];
  /** The impact report a usage-aware gate (block-if-used) judged breaking changes within the major on. */
  readonly impact?: AuditedImpact;
}

/** What an audit entry records. */
export type AuditAction = 'register' | 'deprecate' | 'retire';

/** One entry of the append-only audit log. */
export interface AuditEntry {
  /** Position in the log, from 1, gap-free: the cursor of pagination. */
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly api: string;
  readonly version: string;
  readonly digest?: string;
  readonly governance?: GovernanceSummary;
  /** Set when an owner published over a governance rejection, or retired a version still in use (`force`): why. */
  readonly overrideReason?: string;
  /**
   * For a deprecation or retirement: the consumers that called the version in the usage window
   * (when the gateway keeps usage records), so the log shows who was still calling.
   */
  readonly consumers?: readonly VersionCaller[];
  /** Lifecycle details of a deprecation or retirement. */
  readonly sunset?: string;
  readonly successor?: string;
  /** `auto` when the sunset retired the version, not a person. */
  readonly trigger?: 'manual' | 'sunset';
}

/** A consumer that called a version recently, as a lifecycle change records it. */
export interface VersionCaller {
  readonly consumer: string;
  /** Calls of the version in the window. */
  readonly calls: number;
  /** ISO 8601 instant of the last call. */
  readonly lastSeen: string;
  /** The operations it called (operationId, else `METHOD template`). */
  readonly operations: readonly string[];
}

/** An audit entry before the store numbers it. */
export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

/** A filter on the audit log. Times are ISO 8601 instants, inclusive. */
export interface AuditQuery {
  readonly after?: number;
  readonly limit: number;
  readonly api?: string;
  readonly actor?: string;
  readonly since?: string;
  readonly until?: string;
}

/** One page of the audit log and the cursor of the next, when there is one. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly next?: number;
}

/** The severity threshold at which a governance finding blocks a registration. */
export const BLOCKING_SEVERITY: Severity = 'error';
