/**
 * The usage-aware breaking-change gate (`registry.governance.breakingChanges: block-if-used`): a
 * breaking change within a major is accepted only when the usage records prove, with enough
 * coverage, that no consumer (beyond the threshold, the excluded ones left out) used what it breaks.
 * The verdict is pure over an impact report; the judge gathers the report from the usage records.
 */
import type { OpenApiDocument } from '../contracts/openapi-document.js';
import type { Finding, FindingLocation } from '../governance/findings.js';
import { BREAKING_IN_USE } from '../governance/check/versioning-policy.js';
import { buildContractIndex } from '../impact/contract-index.js';
import { impactReport, type ConsumerContact, type ImpactCoverage, type ImpactReport } from '../impact/impact-report.js';
import { parseWindowDays, windowEnding, type ImpactWindow } from '../impact/impact-window.js';
import type { UsageFilter, UsageReport } from '../usage/usage-record.js';
import type { BreakingChangePolicy } from './schema.js';

/** One breaking change a blocking consumer is affected by. */
export interface BlockedChange {
  readonly id: string;
  readonly operation: string;
  readonly field?: string;
  /** Calls of this consumer to the operation in the window. */
  readonly calls: number;
  /** Those calls as a share of the operation's calls in the window (excluded consumers left out), 0..1. */
  readonly share: number;
  readonly evidence: 'field' | 'operation';
  readonly note?: string;
}

/** A consumer whose use blocks the change, with its evidence per change. */
export interface BlockingConsumer {
  readonly id: string;
  readonly contact?: string;
  readonly changes: readonly BlockedChange[];
}

/** What the gate decided, and on what. */
export interface BreakingChangeDecision {
  readonly accepted: boolean;
  /** `in-use`: consumers block it; `unproven`: the records cannot show it is unused (see `reasons`). */
  readonly outcome: 'accepted' | 'in-use' | 'unproven';
  readonly policy: BreakingChangePolicy;
  /** Breaking changes judged (one per operation a finding reaches). */
  readonly breakingChanges: number;
  readonly consumers: readonly BlockingConsumer[];
  /** Why the evidence is not enough (coverage, traffic, a change not tied to an operation). */
  readonly reasons: readonly string[];
  readonly window: ImpactWindow;
  readonly coverage: ImpactCoverage;
}

/** The report as the audit log keeps it: the breaking changes only, bounded. */
export interface AuditedImpact {
  readonly policy: BreakingChangePolicy;
  readonly outcome: BreakingChangeDecision['outcome'];
  readonly base: string;
  readonly window: ImpactWindow;
  readonly coverage: ImpactCoverage;
  readonly consumers: readonly BlockingConsumer[];
  readonly reasons: readonly string[];
  readonly changes: ReadonlyArray<{ id: string; operation: string; field?: string; consumers: ReadonlyArray<{ id: string; calls: number; evidence: string }> }>;
  /** Breaking changes left out of `changes` (the audit keeps at most {@link AUDIT_MAX_CHANGES}). */
  readonly omittedChanges: number;
}

/** Bounds of an audited report: an audit entry stays small whatever the diff. */
export const AUDIT_MAX_CHANGES = 100;
const AUDIT_MAX_CONSUMERS = 50;

function percent(share: number): string {
  return `${(Math.round(share * 10_000) / 100).toString()} %`;
}

/** Judges the breaking changes (severity error) of a report under a policy. */
export function judgeBreakingChanges(report: ImpactReport, policy: BreakingChangePolicy): BreakingChangeDecision {
  const excluded = new Set(policy.excludeConsumers);
  const reasons: string[] = [];
  const windowDays = parseWindowDays(policy.window) ?? report.window.days;
  if (report.coverage.days < windowDays) {
    reasons.push(`the usage records of ${report.api} v${Number.parseInt(report.base, 10)} cover ${report.coverage.days} of the ${windowDays} day(s) the policy requires (window ${policy.window})`);
  }
  if (report.coverage.requests < policy.minRequests) {
    reasons.push(`${report.coverage.requests} call(s) of ${report.api} v${Number.parseInt(report.base, 10)} in the window, fewer than the ${policy.minRequests} the policy requires (minRequests)`);
  }
  const blocking = new Map<string, { contact?: string; changes: BlockedChange[] }>();
  const breaking = report.changes.filter((c) => c.severity === 'error');
  for (const change of breaking) {
    if (change.operation === '' || change.usageOperation === undefined) {
      reasons.push(`${change.id} (${change.operation || 'no single operation'}) cannot be tied to an operation's usage records, so no record can show it unused`);
      continue;
    }
    const counted = change.consumers.filter((c) => !excluded.has(c.id));
    const total = counted.reduce((sum, c) => sum + c.calls, 0);
    const affected = counted.filter((c) => c.evidence !== 'none');
    if (affected.length === 0 || total === 0) continue;
    const affectedCalls = affected.reduce((sum, c) => sum + c.calls, 0);
    // Apollo's operation checks: the change is breaking when the affected share reaches the threshold (0: any use).
    if (affectedCalls / total < policy.threshold) continue;
    for (const c of affected) {
      const entry = blocking.get(c.id) ?? { ...(c.contact !== undefined ? { contact: c.contact } : {}), changes: [] };
      entry.changes.push({
        id: change.id,
        operation: change.operation,
        ...(change.field !== undefined ? { field: change.field } : {}),
        calls: c.calls,
        share: c.calls / total,
        evidence: c.evidence as 'field' | 'operation',
        ...(c.note !== undefined ? { note: c.note } : {}),
      });
      blocking.set(c.id, entry);
    }
  }
  const consumers = [...blocking].map(([id, e]): BlockingConsumer => ({ id, ...(e.contact !== undefined ? { contact: e.contact } : {}), changes: e.changes })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const outcome = consumers.length > 0 ? 'in-use' : reasons.length > 0 ? 'unproven' : 'accepted';
  return { accepted: outcome === 'accepted', outcome, policy, breakingChanges: breaking.length, consumers, reasons, window: report.window, coverage: report.coverage };
}

/** What an accepted breaking change's finding says about why it passes. */
export function acceptanceNote(decision: BreakingChangeDecision): string {
  return `accepted: no consumer used it in the last ${decision.window.days} day(s), ${decision.coverage.requests} call(s) observed; policy block-if-used`;
}

/** One line for a problem's `detail`, a log line or a CLI finding. */
export function describeDecision(decision: BreakingChangeDecision, subject: string): string {
  const changes = `${decision.breakingChanges} breaking change${decision.breakingChanges === 1 ? '' : 's'}`;
  const window = `in the last ${decision.window.days} day(s)`;
  if (decision.outcome === 'accepted') return `${subject}: ${changes} within the major accepted: no consumer used what ${decision.breakingChanges === 1 ? 'it breaks' : 'they break'} ${window} (policy block-if-used, threshold ${percent(decision.policy.threshold)})`;
  if (decision.outcome === 'unproven') return `${subject}: ${changes} within the major refused: the usage records cannot show ${decision.breakingChanges === 1 ? 'it' : 'them'} unused: ${decision.reasons.join('; ')}`;
  const who = decision.consumers.map((c) => {
    const top = [...c.changes].sort((a, b) => b.share - a.share)[0]!;
    return `${c.id} (${top.evidence}, ${top.calls} call${top.calls === 1 ? '' : 's'} of ${top.operation}${top.field ? ` [${top.field}]` : ''}, ${percent(top.share)})`;
  });
  return `${subject}: ${changes} within the major refused: used ${window} by ${who.join(', ')}; publish a new major version, or wait until they stop`;
}

/** The bounded form the audit log keeps (`report` undefined: no usage records were kept). */
export function auditedImpact(base: string, decision: BreakingChangeDecision, report: ImpactReport | undefined): AuditedImpact {
  const breaking = report?.changes.filter((c) => c.severity === 'error') ?? [];
  return {
    policy: decision.policy,
    outcome: decision.outcome,
    base,
    window: decision.window,
    coverage: decision.coverage,
    consumers: decision.consumers.slice(0, AUDIT_MAX_CONSUMERS),
    reasons: decision.reasons,
    changes: breaking.slice(0, AUDIT_MAX_CHANGES).map((c) => ({
      id: c.id,
      operation: c.operation,
      ...(c.field !== undefined ? { field: c.field } : {}),
      consumers: c.consumers.slice(0, AUDIT_MAX_CONSUMERS).map((k) => ({ id: k.id, calls: k.calls, evidence: k.evidence })),
    })),
    omittedChanges: Math.max(0, breaking.length - AUDIT_MAX_CHANGES),
  };
}

/** What the gate reads usage from; absent pieces make `block-if-used` refuse (no evidence). */
export interface BreakingChangeJudgeDeps {
  /** The policy of an API (read per registration, so it follows reloads). */
  readonly policy: (api: string) => BreakingChangePolicy;
  /** The usage records, undefined while none are kept. */
  readonly usage: () => { query(filter: UsageFilter): Promise<UsageReport> } | undefined;
  readonly consumers: () => readonly ConsumerContact[];
  /** Epoch ms: the end of the window (tests inject theirs). */
  readonly now: () => number;
  /** Told of every decision (the log line and metric of the registry). */
  readonly onDecision?: (api: string, decision: BreakingChangeDecision) => void;
}

/** The judge a registration asks about a breaking change within a major. */
export interface BreakingChangeJudge {
  policy(api: string): BreakingChangePolicy;
  /** The verdict, and the impact report it rests on (none when no usage records are kept: then the change is unproven). */
  judge(input: JudgeInput): Promise<{ report: ImpactReport | undefined; decision: BreakingChangeDecision }>;
}

/** The change a judge looks at. */
export interface JudgeInput {
  readonly api: string;
  readonly base: { readonly version: string; readonly document: OpenApiDocument };
  readonly revision: { readonly version: string; readonly document: OpenApiDocument };
  /** The diff base -> revision, the ruleset applied. */
  readonly findings: readonly Finding[];
}

/** A judge over the usage records. */
export function createBreakingChangeJudge(deps: BreakingChangeJudgeDeps): BreakingChangeJudge {
  return {
    policy: deps.policy,
    async judge(input) {
      const policy = deps.policy(input.api);
      const days = parseWindowDays(policy.window) ?? 30;
      const now = deps.now();
      const usage = deps.usage();
      if (!usage) {
        const breakingChanges = input.findings.filter((f) => f.severity === 'error').length;
        const reasons = ['usage records are not kept on this gateway (usage.enabled is false), so no record can show the change unused'];
        const decision: BreakingChangeDecision = { accepted: false, outcome: 'unproven', policy, breakingChanges, consumers: [], reasons, window: windowEnding(now, days), coverage: { days: 0, requests: 0, overflowed: false } };
        deps.onDecision?.(input.api, decision);
        return { report: undefined, decision };
      }
      const usageReport = await usage.query({ api: input.api, since: windowEnding(now, days).since });
      const report = impactReport({
        api: input.api,
        base: input.base.version,
        revision: input.revision.version,
        findings: input.findings,
        usage: usageReport,
        window: days,
        now,
        consumers: deps.consumers(),
        operationIndex: buildContractIndex(input.base.document, input.revision.document),
      });
      const decision = judgeBreakingChanges(report, policy);
      deps.onDecision?.(input.api, decision);
      return { report, decision };
    },
  };
}

/**
 * The findings of a refusal, for every report format: one per blocking consumer (its changes,
 * evidence and share), or one naming why the records are not enough.
 */
export function decisionFindings(decision: BreakingChangeDecision, subject: string, location: FindingLocation): Finding[] {
  if (decision.accepted) return [];
  const finding = (message: string): Finding => ({ id: BREAKING_IN_USE, severity: 'error', source: 'policy', message, location });
  if (decision.consumers.length === 0) return [finding(describeDecision(decision, subject))];
  return decision.consumers.map((c) => {
    const uses = c.changes.map((u) => `${u.id} at ${u.operation}${u.field ? ` [${u.field}]` : ''}: ${u.evidence}, ${u.calls} call${u.calls === 1 ? '' : 's'} (${percent(u.share)} of the operation's)${u.note ? ` - ${u.note}` : ''}`);
    return finding(`${subject}: consumer ${c.id}${c.contact ? ` <${c.contact}>` : ''} used what the breaking change breaks in the last ${decision.window.days} day(s): ${uses.join('; ')}`);
  });
}
