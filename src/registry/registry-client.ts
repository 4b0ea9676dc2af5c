/**
 * What the CLI asks of a registry, whether it talks to the admin API or opens the store itself
 * (`--local`): the same calls and results either way, so each command is written once.
 */
import type { Finding } from '../governance/findings.js';
import type { Deprecation } from './lifecycle.js';
import type { AuditPage, AuditQuery, VersionRecord } from './model.js';
import type { ApiSummary, DiffResult } from './registry-service.js';

/** Outcome of a registration as the CLI reports it. */
export type RegisterOutcome =
  | { readonly kind: 'created'; readonly record: VersionRecord; readonly findings: readonly Finding[]; readonly overridden: boolean }
  | { readonly kind: 'identical'; readonly record: VersionRecord }
  | { readonly kind: 'conflict'; readonly detail: string }
  | { readonly kind: 'rejected'; readonly findings: readonly Finding[] }
  | { readonly kind: 'invalid'; readonly detail: string };

/** Outcome of a lifecycle change as the CLI reports it. */
export type ChangeResult = { readonly kind: 'changed'; readonly record: VersionRecord } | { readonly kind: 'refused'; readonly detail: string };

export interface RegistryClient {
  register(api: string, document: string, overrideReason?: string): Promise<RegisterOutcome>;
  list(api?: string): Promise<ApiSummary[]>;
  show(api: string, version: string): Promise<{ record: VersionRecord; document: string } | undefined>;
  diff(api: string, base: string, revision: string): Promise<DiffResult>;
  deprecate(api: string, version: string, deprecation: Deprecation): Promise<ChangeResult>;
  /** Retires a version; `force` with a `reason` overrides the refusal of a version consumers still call. */
  retire(api: string, version: string, options?: { force?: boolean; reason?: string }): Promise<ChangeResult>;
  audit(query: AuditQuery): Promise<AuditPage>;
  close(): Promise<void>;
}
