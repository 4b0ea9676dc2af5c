/**
 * The impact join: each finding of a diff, mapped onto the operations it reaches, against the usage
 * records of the window: which consumers called the operation, how often, when, and whether they
 * were seen sending (or not sending) what the change concerns. Pure: the records, the clock and
 * the contracts' index are inputs.
 */
import type { Finding, FindingLocation, Severity } from '../governance/findings.js';
import type { FingerprintView, StatusClass, UsageReport } from '../usage/usage-record.js';
import type { ContractIndex } from './contract-index.js';
import { findingTargets, NOTES, type Target } from './finding-targets.js';
import { windowEnding, type ImpactWindow } from './impact-window.js';

/** How a consumer is known to be affected: it sends what changes, it calls the operation, or neither. */
export type Evidence = 'field' | 'operation' | 'none';

/** A consumer of one change. */
export interface AffectedConsumer {
  id: string;
  contact?: string;
  /** Calls of the operation in the window (every version of the base's major, every status class). */
  calls: number;
  firstSeen: string;
  lastSeen: string;
  evidence: Evidence;
  note?: string;
}

/** One finding at one operation it reaches. */
export interface ImpactChange {
  id: string;
  severity: Severity;
  message: string;
  /** As the diff names it: `GET /orders` (empty for a change not tied to one operation). */
  operation: string;
  /** The usage records' name of the operation (operationId, else `METHOD template`). */
  usageOperation?: string;
  where?: string;
  path?: string;
  location: FindingLocation;
  /** The fingerprint location the change concerns (`query:status`, `body:/note`), when there is one. */
  field?: string;
  /** For a removed enum value: the value(s) whose senders are affected. */
  values?: unknown[];
  /** For a response-side change: the status class of the response it concerns (only calls answered with it count). */
  statusClass?: StatusClass;
  note?: string;
  /** Consumers that called the operation in the window; `evidence: none` ones are not affected. */
  consumers: AffectedConsumer[];
}

/** What the records cover. */
export interface ImpactCoverage {
  /** Days from the first recorded call of the API (this major) in the window to its end. */
  days: number;
  /** Calls of the API (this major) in the window. */
  requests: number;
  /** Some fingerprint of the API ran out of room: `field` evidence degrades to `operation` for it. */
  overflowed: boolean;
}

/** The report. */
export interface ImpactReport {
  api: string;
  base: string;
  revision: string;
  /** A breaking change (severity error) affects at least one consumer (evidence field or operation). */
  breaking: boolean;
  window: ImpactWindow;
  coverage: ImpactCoverage;
  changes: ImpactChange[];
}

/** A declared consumer (consumers[] of the gateway config). */
export interface ConsumerContact {
  readonly id: string;
  readonly contact?: string;
}

/** Inputs of the join. */
export interface ImpactInput {
  api: string;
  base: string;
  revision: string;
  /** Diff findings, base -> revision; `info` ones (compatible) are left out of the report. */
  findings: readonly Finding[];
  /** Usage of the API (records and fingerprints). */
  usage: UsageReport;
  /** Days of the window, ending on the day of `now`. */
  window: number;
  /** Epoch ms: the clock (tests inject theirs). */
  now: number;
  consumers: readonly ConsumerContact[];
  operationIndex: ContractIndex;
}

const DAY_MS = 86_400_000;
const EVIDENCE_ORDER: Record<Evidence, number> = { field: 0, operation: 1, none: 2 };

/** A consumer's use of one operation in the window. */
interface Use {
  calls: number;
  /** Calls per status class. */
  byClass: Partial<Record<StatusClass, number>>;
  refused: number;
  first: string;
  last: string;
}

function major(version: string): number {
  return Number.parseInt(version, 10);
}

/** The evidence of one consumer for one target. */
function judge(target: Target, fp: FingerprintView | undefined, windowStart: string): { evidence: Evidence; note?: string } {
  if (target.kind === 'operation') return { evidence: 'operation', ...(target.note ? { note: target.note } : {}) };
  if (target.kind === 'missing' && target.undeclared) return { evidence: 'operation', note: NOTES.undeclared };
  if (!fp || fp.examined === 0) return { evidence: 'operation', note: 'no request of this consumer was examined, so what it sends is unknown' };
  const colon = target.location.indexOf(':');
  const part = target.location.slice(0, colon);
  const name = target.location.slice(colon + 1);
  const seen = fp.locations.find((l) => l.in === part && l.name === name && l.count > 0);
  const overflowNote = `its fingerprint overflowed (${fp.overflow} examined request(s) sent locations beyond the cap), so not sending ${target.location} cannot be proven`;
  if (target.kind === 'sent' && target.values !== undefined) {
    const wanted = new Set(target.values.map((v) => JSON.stringify(v)));
    const sent = (fp.enumValues ?? []).filter((v) => v.location === target.location && v.count > 0 && wanted.has(JSON.stringify(v.value)));
    const shown = target.values.map((v) => JSON.stringify(v)).join(', ');
    const recent = sent.filter((v) => v.lastSeen >= windowStart);
    if (recent.length > 0) return { evidence: 'field', note: recent.map((v) => `sent ${target.location} = ${JSON.stringify(v.value)} in ${v.count} of ${fp.examined} examined request(s)`).join('; ') };
    if (fp.overflow > 0) return { evidence: 'operation', note: `its fingerprint overflowed (${fp.overflow} examined request(s) sent locations beyond the cap), so not sending ${target.location} = ${shown} cannot be proven` };
    if (sent.length > 0) return { evidence: 'none', note: `last sent ${target.location} = ${shown} before the window` };
    return { evidence: 'none', note: seen ? `sent ${target.location} in ${seen.count} of ${fp.examined} examined request(s), never ${shown}` : `never sent ${target.location} in ${fp.examined} examined request(s)` };
  }
  if (target.kind === 'sent') {
    if (seen && seen.lastSeen >= windowStart) {
      if (target.capNote) return { evidence: 'operation', note: target.capNote };
      return { evidence: 'field', note: `sent ${target.location} in ${seen.count} of ${fp.examined} examined request(s)` };
    }
    if (fp.overflow > 0) return { evidence: 'operation', note: overflowNote };
    if (seen) return { evidence: 'none', note: `last sent ${target.location} on ${seen.lastSeen}, before the window` };
    return { evidence: 'none', note: `never sent ${target.location} in ${fp.examined} examined request(s)` };
  }
  // missing: hurt unless every examined request sent it.
  if (seen && seen.count >= fp.examined) return { evidence: 'none', note: `sent ${target.location} in every examined request (${fp.examined})` };
  if (!seen && fp.overflow > 0) return { evidence: 'operation', note: overflowNote };
  const sent = seen?.count ?? 0;
  return { evidence: 'field', note: `${fp.examined - sent} of ${fp.examined} examined request(s) did not send ${target.location}` };
}

const isResponseSide = (id: string): boolean => /(^|-)response(-|$)/.test(id);

/** The status class a response-side change's place names (`response 404 (...)`, `response 4XX`); undefined for `default` or none. */
function responseClass(where: string | undefined): StatusClass | undefined {
  const m = where !== undefined ? /^response ([1-5])(?:\d\d|XX)\b/i.exec(where) : null;
  return m ? (`${m[1]}xx` as StatusClass) : undefined;
}

/** Joins a diff with the usage records. */
export function impactReport(input: ImpactInput): ImpactReport {
  const window = windowEnding(input.now, input.window);
  const baseMajor = major(input.base);
  const windowStart = `${window.since}T00:00:00.000Z`;
  const inWindow = (day: string): boolean => day >= window.since && day <= window.until;
  const contacts = new Map(input.consumers.map((c) => [c.id, c.contact]));

  // Calls per operation and consumer, from the daily counts inside the window only.
  const uses = new Map<string, Map<string, Use>>();
  const days = new Set<string>();
  let requests = 0;
  for (const r of input.usage.records) {
    if (r.api !== input.api || r.major !== baseMajor) continue;
    let calls = 0;
    for (const d of r.daily) {
      if (!inWindow(d.day) || d.count <= 0) continue;
      calls += d.count;
      days.add(d.day);
    }
    if (calls === 0) continue;
    requests += calls;
    const byConsumer = uses.get(r.operation) ?? new Map<string, Use>();
    uses.set(r.operation, byConsumer);
    const use = byConsumer.get(r.consumer) ?? { calls: 0, byClass: {}, refused: 0, first: r.firstSeen, last: r.lastSeen };
    use.calls += calls;
    use.byClass[r.statusClass] = (use.byClass[r.statusClass] ?? 0) + calls;
    if (r.statusClass === '4xx') use.refused += calls;
    if (r.firstSeen < use.first) use.first = r.firstSeen;
    if (r.lastSeen > use.last) use.last = r.lastSeen;
    byConsumer.set(r.consumer, use);
  }
  const fingerprints = new Map<string, FingerprintView>();
  let overflowed = false;
  for (const f of input.usage.fingerprints) {
    if (f.api !== input.api || f.major !== baseMajor) continue;
    fingerprints.set(`${f.operation}\n${f.consumer}`, f);
    if (f.overflow > 0) overflowed = true;
  }
  const firstDay = [...days].sort()[0];
  const coverage: ImpactCoverage = {
    days: firstDay === undefined ? 0 : Math.round((Date.parse(`${window.until}T00:00:00Z`) - Date.parse(`${firstDay}T00:00:00Z`)) / DAY_MS) + 1,
    requests,
    overflowed,
  };

  const changes: ImpactChange[] = [];
  for (const finding of input.findings) {
    if (finding.severity !== 'error' && finding.severity !== 'warn') continue;
    for (const t of findingTargets(finding, input.operationIndex)) {
      const usageOperation = input.operationIndex.usageName(t.operation);
      const statusClass = isResponseSide(finding.id) ? responseClass(t.where) : undefined;
      const consumers: AffectedConsumer[] = [];
      for (const [id, use] of usageOperation !== undefined ? (uses.get(usageOperation) ?? new Map<string, Use>()) : new Map<string, Use>()) {
        // A response-side change reaches the callers that received that response's status class.
        const calls = statusClass !== undefined ? (use.byClass[statusClass] ?? 0) : use.calls;
        if (calls === 0) continue;
        const verdict = judge(t.target, fingerprints.get(`${usageOperation}\n${id}`), windowStart);
        const contact = contacts.get(id);
        const refusedNote = statusClass === undefined && use.refused === use.calls ? 'every call in the window was refused (4xx)' : undefined;
        const note = [verdict.note, refusedNote].filter((n) => n !== undefined).join('; ');
        consumers.push({ id, ...(contact !== undefined ? { contact } : {}), calls, firstSeen: use.first, lastSeen: use.last, evidence: verdict.evidence, ...(note ? { note } : {}) });
      }
      consumers.sort((a, b) => EVIDENCE_ORDER[a.evidence] - EVIDENCE_ORDER[b.evidence] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const field = t.target.kind === 'operation' ? undefined : t.target.location;
      const note = t.target.kind === 'operation' ? t.target.note : t.target.kind === 'sent' ? t.target.capNote : undefined;
      changes.push({
        id: finding.id,
        severity: finding.severity,
        message: finding.message,
        operation: t.operation,
        ...(usageOperation !== undefined ? { usageOperation } : {}),
        ...(t.where !== undefined ? { where: t.where } : {}),
        ...(t.path !== undefined ? { path: t.path } : {}),
        location: finding.location,
        ...(field !== undefined ? { field } : {}),
        ...(t.target.kind === 'sent' && t.target.values !== undefined ? { values: [...t.target.values] } : {}),
        ...(statusClass !== undefined ? { statusClass } : {}),
        ...(note !== undefined ? { note } : {}),
        consumers,
      });
    }
  }
  const breaking = changes.some((c) => c.severity === 'error' && isAffecting(c));
  return { api: input.api, base: input.base, revision: input.revision, breaking, window, coverage, changes };
}

/** A change affects at least one consumer (evidence field or operation). */
export function isAffecting(change: ImpactChange): boolean {
  return change.consumers.some((c) => c.evidence !== 'none');
}
