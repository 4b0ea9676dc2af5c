/** What a diff check is, and the reporter through which checks turn changes into findings. */
import type { OpenApiDocument } from '../../contracts/openapi-document.js';
import type { AffectedPlace, Finding, FindingLocation, Severity } from '../findings.js';
import type { CheckDefinition } from '../rules/check.js';
import type { ContractComparison, SourceRef } from './model.js';

/** One change a check reports. */
export interface ChangeReport {
  id: string;
  message: string;
  /** `GET /orders/{id}` when the change concerns one operation. */
  operation?: string;
  /** Where the changed element is in the base (required when it was removed). */
  base?: SourceRef;
  /** Where the changed element is in the revision (absent when it was removed). */
  revision?: SourceRef;
  /** The severity when it is not the check's default (schema changes carry their own). */
  severity?: Severity;
  /** Changes with the same key for the same operation and ID are reported once; the message by default. */
  dedupeKey?: string;
  /**
   * For a change that several operations or places reach (a shared schema): what identifies the
   * change itself, the place reached this time, and the message without that place. Unless the
   * diff is expanded, changes with the same ID and cause are one finding listing what they affect.
   */
  cause?: { key: string; message: string; where: string; path: string; operationAt?: SourceRef };
}

/** Receives changes from checks. */
export interface ChangeReporter {
  report(change: ChangeReport): void;
}

/** A check module: the IDs it can emit, and a reader of the comparison that reports them. */
export interface DiffCheck {
  readonly definitions: readonly CheckDefinition[];
  run(comparison: ContractComparison, reporter: ChangeReporter): void;
}

/** Shorthand for a registry entry. */
export function define(
  id: string,
  severity: Severity,
  direction: CheckDefinition['direction'],
  area: string,
  description: string,
): CheckDefinition {
  return Object.freeze({ id, severity, direction, area, description });
}

function locate(doc: OpenApiDocument, ref: SourceRef): FindingLocation {
  const line = doc.lineOf(ref.file, ref.pointer);
  return line === undefined ? { file: ref.file, pointer: ref.pointer } : { file: ref.file, line, pointer: ref.pointer };
}

/**
 * Collects findings: looks up default severities, places each finding in the revision (or in the
 * base when the thing was removed), and drops repeats of one change within one operation.
 */
export class FindingCollector implements ChangeReporter {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();
  private readonly byCause = new Map<string, Finding>();

  /** `expand`: one finding per operation and place a change reaches, instead of one per cause. */
  constructor(
    private readonly comparison: ContractComparison,
    private readonly severities: ReadonlyMap<string, Severity>,
    private readonly expand = false,
  ) {}

  report(change: ChangeReport): void {
    const severity = change.severity ?? this.severities.get(change.id);
    if (severity === undefined) throw new TypeError(`diff check reported an unregistered ID: ${change.id}`);
    const cause = change.cause;
    if (cause && !this.expand) {
      this.reportCause(change, cause, severity);
      return;
    }
    // Expanded, a shared schema's change is one finding per place that reaches it (each status, each body).
    const place = cause && this.expand ? `\u0000${cause.where}` : '';
    const key = `${change.operation ?? ''}\u0000${change.id}\u0000${change.dedupeKey ?? change.message}${place}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { base, revision } = this.comparison;
    const location = change.revision
      ? locate(revision, change.revision)
      : change.base
        ? locate(base, change.base)
        : { file: revision.file, line: 1, pointer: '' };
    const finding: Finding = { id: change.id, severity, message: change.message, source: 'diff', location };
    if (change.operation !== undefined) finding.operation = change.operation;
    if (change.base && change.revision) finding.baseLocation = locate(base, change.base);
    this.findings.push(finding);
  }

  /** One finding per ID and cause; each further operation and place that reaches it joins its `affects`. */
  private reportCause(change: ChangeReport, cause: NonNullable<ChangeReport['cause']>, severity: Severity): void {
    const key = `${change.id}\u0000${severity}\u0000${cause.key}`;
    const place: AffectedPlace = { operation: change.operation ?? '', where: cause.where, path: cause.path };
    const known = this.byCause.get(key);
    // Located only once kept: a shared schema's change reaches the same place many times over.
    if (known) {
      const affects = known.affects!;
      if (affects.some((a) => a.operation === place.operation && a.where === place.where)) return;
      if (cause.operationAt) place.location = locate(this.comparison.revision, cause.operationAt);
      affects.push(place);
      return;
    }
    if (cause.operationAt) place.location = locate(this.comparison.revision, cause.operationAt);
    const { base, revision } = this.comparison;
    const location = change.revision ? locate(revision, change.revision) : change.base ? locate(base, change.base) : { file: revision.file, line: 1, pointer: '' };
    const finding: Finding = { id: change.id, severity, message: cause.message, source: 'diff', location, affects: [place] };
    if (change.operation !== undefined) finding.operation = change.operation;
    if (change.base && change.revision) finding.baseLocation = locate(base, change.base);
    this.byCause.set(key, finding);
    this.findings.push(finding);
  }
}
