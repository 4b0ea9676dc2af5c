/**
 * The registry's operations in one place, for the admin API and the CLI's `--local` mode alike:
 * register, list, show, diff, deprecate, retire, audit, and automatic retirement at sunset.
 */
import type { Ruleset } from '@stoplight/spectral-core';
import { isObject, loadOpenApi, type OpenApiDocument } from '../contracts/openapi-document.js';
import { LocatedError } from '../errors/located-error.js';
import type { Finding } from '../governance/findings.js';
import { diffContracts } from '../governance/diff/index.js';
import { applyRulesetToDiff } from '../governance/lint/index.js';
import { deprecateVersion, retireSunsetVersions, retireVersion, type Deprecation, type LifecycleResult, type SunsetRetirement } from './lifecycle.js';
import type { Actor, AuditPage, AuditQuery, VersionCaller, VersionRecord } from './model.js';
import type { BreakingChangeJudge } from './breaking-change-gate.js';
import { registeredName, registerVersion, type Registration, type RegistrationResult } from './register-version.js';
import type { ChangeOutcome, RegistryStore } from './store/registry-store.js';

/** An API and its versions, newest last. */
export interface ApiSummary {
  readonly api: string;
  readonly versions: readonly VersionRecord[];
}

/** A registered base and a revision (registered or proposed), parsed and compared. */
export type ComparisonResult =
  | { readonly kind: 'diff'; readonly findings: readonly Finding[]; readonly base: OpenApiDocument; readonly revision: OpenApiDocument; readonly revisionVersion: string }
  | { readonly kind: 'not-found'; readonly version: string }
  | { readonly kind: 'invalid'; readonly detail: string; readonly pointer?: string; readonly line?: number };

/** The changes between two registered versions, or which one is missing. */
export type DiffResult = { readonly kind: 'diff'; readonly findings: readonly Finding[]; readonly breaking: boolean } | { readonly kind: 'not-found'; readonly version: string };

/** A lifecycle change that happened, for notifications. */
export type LifecycleEvent =
  | { readonly kind: 'deprecated'; readonly record: VersionRecord; readonly consumers: readonly VersionCaller[] }
  | { readonly kind: 'retired'; readonly record: VersionRecord; readonly consumers: readonly VersionCaller[]; readonly trigger: 'manual' | 'sunset' };

/** What lifecycle changes consult and tell, when the gateway records usage or sends notifications. */
export interface LifecycleHooks {
  /** Days a consumer's last call keeps a version "in use" (retirement refused unless forced). */
  readonly inUseWindowDays: number;
  /** Consumers that called a version in the window; undefined when usage is not recorded. */
  readonly callers?: (api: string, version: string) => Promise<readonly VersionCaller[]>;
  /** Told after each change (off the caller's path: it must not throw). */
  readonly changed?: (event: LifecycleEvent) => void;
}

/** How a retirement request ends: changed, refused (not found, wrong state, in use), or invalid. */
export type RetireOutcome = ChangeOutcome | { readonly kind: 'invalid'; readonly detail: string } | { readonly kind: 'in-use'; readonly consumers: readonly VersionCaller[]; readonly windowDays: number };

/** A forced retirement: allowed while consumers still call the version, with the reason audited. */
export interface RetireOptions {
  readonly force?: boolean;
  readonly reason?: string;
}

/** Longest reason kept in the audit log. */
const MAX_REASON_LENGTH = 1000;

/** A registry change requested through the service, and how it ended (the result's `kind`), for metrics. */
export type RegistryEventListener = (action: 'register' | 'deprecate' | 'retire', outcome: string) => void;

export class RegistryService {
  private hooks: LifecycleHooks | undefined;

  constructor(
    readonly store: RegistryStore,
    private readonly ruleset: Ruleset,
    private readonly clock: () => Date = () => new Date(),
    /** The usage gate of `block-if-used` policies; without one, a breaking change within a major is always refused. */
    readonly judge?: BreakingChangeJudge,
    private readonly onEvent: RegistryEventListener = () => {},
  ) {}

  async register(request: Registration): Promise<RegistrationResult> {
    const result = await registerVersion(this.store, this.ruleset, request, this.clock(), this.judge);
    this.onEvent('register', result.kind);
    return result;
  }

  /** Every API with its versions (optionally one API). */
  async list(api?: string): Promise<ApiSummary[]> {
    const byApi = new Map<string, VersionRecord[]>();
    for (const v of await this.store.list()) {
      if (api !== undefined && v.api !== api) continue;
      const list = byApi.get(v.api) ?? [];
      list.push(v);
      byApi.set(v.api, list);
    }
    return [...byApi].map(([name, versions]) => ({ api: name, versions }));
  }

  async show(api: string, version: string): Promise<{ record: VersionRecord; document: string } | undefined> {
    const record = await this.store.get(api, version);
    if (!record) return undefined;
    const document = await this.store.document(api, version);
    return document === undefined ? undefined : { record, document };
  }

  /** The diff between two registered versions, with the registry's ruleset applied (severities, ignores). */
  async diff(api: string, base: string, revision: string): Promise<DiffResult> {
    const [from, to] = await Promise.all([this.show(api, base), this.show(api, revision)]);
    if (!from) return { kind: 'not-found', version: base };
    if (!to) return { kind: 'not-found', version: revision };
    const load = (v: { record: VersionRecord; document: string }) => loadOpenApi(registeredName(api, v.record.version, v.record.format), { text: v.document, reader: () => { throw new Error('a registered document is self-contained'); } });
    const findings = applyRulesetToDiff(this.ruleset, diffContracts(load(from), load(to), { now: this.clock() }));
    return { kind: 'diff', findings, breaking: findings.some((f) => f.severity === 'error') };
  }

  /**
   * Compares a registered base with a registered version or a proposed document (YAML or JSON,
   * self-contained), with the registry's ruleset applied; keeps both parsed documents (impact
   * analysis reads them). A proposal that cannot be parsed is `invalid`, never thrown.
   */
  async compare(api: string, base: string, revision: { readonly version: string } | { readonly document: string }): Promise<ComparisonResult> {
    const from = await this.show(api, base);
    if (!from) return { kind: 'not-found', version: base };
    const noOtherFiles = (): string => {
      throw new Error('a registered document is self-contained');
    };
    const baseDocument = loadOpenApi(registeredName(api, from.record.version, from.record.format), { text: from.document, reader: noOtherFiles });
    let revisionDocument: OpenApiDocument;
    let revisionVersion: string;
    if ('version' in revision) {
      const to = await this.show(api, revision.version);
      if (!to) return { kind: 'not-found', version: revision.version };
      revisionDocument = loadOpenApi(registeredName(api, to.record.version, to.record.format), { text: to.document, reader: noOtherFiles });
      revisionVersion = to.record.version;
    } else {
      const format = revision.document.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'json' : 'yaml';
      try {
        revisionDocument = loadOpenApi(`${api}/proposal.${format}`, {
          text: revision.document,
          reader: (file) => {
            throw new Error(`the document refers to another file (${file}): send one self-contained document`);
          },
        });
      } catch (error) {
        if (error instanceof LocatedError) return { kind: 'invalid', detail: error.message, pointer: error.pointer, line: error.line };
        return { kind: 'invalid', detail: (error as Error).message };
      }
      const info = revisionDocument.data.info;
      revisionVersion = isObject(info) && typeof info.version === 'string' ? info.version : 'proposal';
    }
    const findings = applyRulesetToDiff(this.ruleset, diffContracts(baseDocument, revisionDocument, { now: this.clock() }));
    return { kind: 'diff', findings, base: baseDocument, revision: revisionDocument, revisionVersion };
  }

  /** Connects lifecycle changes to the usage records and notifications (the composition root does, once they exist). */
  useLifecycleHooks(hooks: LifecycleHooks): void {
    this.hooks = hooks;
  }

  /** The consumers of a version in the in-use window, or undefined when usage is not recorded. */
  async callers(api: string, version: string): Promise<readonly VersionCaller[] | undefined> {
    return this.hooks?.callers ? this.hooks.callers(api, version) : undefined;
  }

  /** Deprecates a version, recording in the audit entry who still calls it. */
  async deprecate(api: string, version: string, deprecation: Deprecation, actor: Actor): Promise<LifecycleResult> {
    const consumers = await this.callers(api, version);
    const outcome = await deprecateVersion(this.store, api, version, deprecation, actor, this.clock(), consumers);
    this.onEvent('deprecate', outcome.kind);
    if (outcome.kind === 'changed') this.hooks?.changed?.({ kind: 'deprecated', record: outcome.record, consumers: consumers ?? [] });
    return outcome;
  }

  /**
   * Retires a version. Refused (`in-use`) while a consumer called it within the window, unless
   * forced with a reason; the audit entry records the consumers and the reason.
   */
  async retire(api: string, version: string, actor: Actor, options: RetireOptions = {}): Promise<RetireOutcome> {
    const result = await this.retireIfAllowed(api, version, actor, options);
    this.onEvent('retire', result.kind);
    return result;
  }

  private async retireIfAllowed(api: string, version: string, actor: Actor, options: RetireOptions): Promise<RetireOutcome> {
    const reason = options.reason?.trim();
    if (options.force && !reason) return { kind: 'invalid', detail: 'a forced retirement needs a reason (it is written to the audit log)' };
    if (!options.force && reason !== undefined) return { kind: 'invalid', detail: 'a reason goes with force: true' };
    if (reason !== undefined && reason.length > MAX_REASON_LENGTH) return { kind: 'invalid', detail: `the reason is longer than ${MAX_REASON_LENGTH} characters` };
    const consumers = await this.callers(api, version);
    if (consumers && consumers.length > 0 && !options.force) {
      // Only a version that could still be retired is "in use": a missing or retired one says so instead.
      const current = await this.store.get(api, version);
      if (current && current.status !== 'retired') return { kind: 'in-use', consumers, windowDays: this.hooks!.inUseWindowDays };
    }
    const outcome = await retireVersion(this.store, api, version, actor, this.clock(), 'manual', { ...(consumers ? { consumers } : {}), ...(options.force ? { overrideReason: reason } : {}) });
    if (outcome.kind === 'changed') this.hooks?.changed?.({ kind: 'retired', record: outcome.record, consumers: consumers ?? [], trigger: 'manual' });
    return outcome;
  }

  audit(query: AuditQuery): Promise<AuditPage> {
    return this.store.audit(query);
  }

  /** Retires deprecated versions whose sunset has passed (run on a timer when configured), in use or not. */
  async retireAtSunset(): Promise<SunsetRetirement[]> {
    const callers = this.hooks?.callers;
    const retired = await retireSunsetVersions(this.store, this.clock(), callers ? (v) => callers(v.api, v.version) : undefined);
    for (const r of retired) this.hooks?.changed?.({ kind: 'retired', record: r.record, consumers: r.consumers, trigger: 'sunset' });
    return retired;
  }
}
