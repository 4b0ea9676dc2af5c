/** The report every output format renders, and the ordering and naming rules the formats share. */
import { isAbsolute, relative, sep } from 'node:path';
import { fromPointer } from '../../contracts/json-pointer.js';
import { severityRank, type Finding, type Severity } from '../../governance/findings.js';

/** Metadata of one rule or check, for formats that describe their rules (SARIF, JUnit). */
export interface RuleMeta {
  id: string;
  severity: Severity;
  description: string;
  /** Where a user reads more about the rule; formats fall back to the docs catalogue. */
  helpUri?: string;
}

/** What a command hands to a formatter. */
export interface Report {
  tool: 'lint' | 'diff' | 'check' | 'impact';
  findings: Finding[];
  /** Every file that was examined, including those without findings. */
  files: string[];
  /** Findings at or above this severity make the command fail (exit 1). */
  failThreshold: Severity;
  rules?: RuleMeta[];
}

/** Options every formatter accepts. */
export interface RenderOptions {
  /** Colour for terminals (text format only). */
  color: boolean;
  /** Directory that file paths are shown relative to (the repository root in CI). */
  cwd: string;
}

/**
 * A file path as a user (or code scanning) should see it: relative to `cwd` with forward
 * slashes when it lies under it, otherwise unchanged (e.g. `git:REF:PATH` or a file elsewhere).
 */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file.split(sep).join('/');
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

/**
 * The API path a finding concerns: from its operation (`GET /orders/{id}` -> `/orders/{id}`),
 * else from a location pointer under `/paths/…`; undefined for document-level findings.
 */
export function apiPathOf(finding: Finding): string | undefined {
  if (finding.operation) {
    const space = finding.operation.indexOf(' ');
    return space >= 0 ? finding.operation.slice(space + 1) : finding.operation;
  }
  for (const location of [finding.location, finding.baseLocation]) {
    if (!location) continue;
    let segments: string[];
    try {
      segments = fromPointer(location.pointer);
    } catch {
      continue;
    }
    if (segments[0] === 'paths' && segments[1] !== undefined) return segments[1];
  }
  return undefined;
}

/** Files in report order: the examined files first (as listed), then any other file a finding names. */
export function orderedFiles(report: Report): string[] {
  const files = [...new Set(report.files)];
  for (const finding of report.findings) {
    if (!files.includes(finding.location.file)) files.push(finding.location.file);
  }
  return files;
}

/** Stable order: by line (unknown last), then severity (most severe first), then ID, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  const la = a.location.line ?? Number.MAX_SAFE_INTEGER;
  const lb = b.location.line ?? Number.MAX_SAFE_INTEGER;
  if (la !== lb) return la - lb;
  const ca = a.location.column ?? 0;
  const cb = b.location.column ?? 0;
  if (ca !== cb) return ca - cb;
  const sa = severityRank(a.severity);
  const sb = severityRank(b.severity);
  if (sa !== sb) return sa - sb;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Findings grouped by file in report order, each group sorted with `compareFindings`. */
export function findingsByFile(report: Report): Array<{ file: string; findings: Finding[] }> {
  return orderedFiles(report).map((file) => ({
    file,
    findings: report.findings.filter((f) => f.location.file === file).sort(compareFindings),
  }));
}

/** The heading under which changes of shared schemas (reaching several operations) are listed. */
export const SHARED_SCHEMAS = '(shared schemas)';

/** The distinct operations a finding affects (its `affects`, else its own operation). */
export function affectedOperations(finding: Finding): string[] {
  if (finding.affects && finding.affects.length > 0) return [...new Set(finding.affects.map((a) => a.operation))];
  return finding.operation ? [finding.operation] : [];
}

/** True when one finding stands for a change that reaches more than one operation or place. */
export function isShared(finding: Finding): boolean {
  return (finding.affects?.length ?? 0) > 1;
}

/** One affected place in words: `GET /x: response 200 (application/json), property 'a/b'`. */
export function describePlace(place: NonNullable<Finding['affects']>[number]): string {
  const where = place.where ? `: ${place.where}` : '';
  const path = place.path ? `, property '${place.path}'` : '';
  return `${place.operation}${where}${path}`;
}

/** Up to `limit` affected places in words, then how many more there are. */
export function describeAffects(finding: Finding, limit = 10): string[] {
  const places = finding.affects ?? [];
  const shown = places.slice(0, limit).map(describePlace);
  if (places.length > limit) shown.push(`… and ${places.length - limit} more (--expand lists each)`);
  return shown;
}

/**
 * Groups findings by operation, in order of each operation's first finding; findings without an
 * operation come under `undefined`, first, because they concern the whole document. A change of a
 * shared schema that reaches several operations is listed once, under `SHARED_SCHEMAS`.
 */
export function groupByOperation(findings: Finding[]): Array<{ operation: string | undefined; findings: Finding[] }> {
  const groups = new Map<string | undefined, Finding[]>();
  if (findings.some((f) => f.operation === undefined)) groups.set(undefined, []);
  for (const finding of findings) {
    const key = isShared(finding) ? SHARED_SCHEMAS : finding.operation;
    const list = groups.get(key);
    if (list) list.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups].map(([operation, list]) => ({ operation, findings: list }));
}

/** Counts of findings per severity. */
export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0, hint: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/**
 * Whether a finding is a breaking change: a diff finding at `error`, or one whose check is
 * breaking by default (`rules`) though the gate accepted it at a lower severity, e.g. within a
 * new major version. Formats use it to say "breaking" independently of pass or fail.
 */
export function isBreakingChange(finding: Finding, rules: readonly RuleMeta[] = []): boolean {
  if (finding.source !== 'diff') return false;
  if (finding.severity === 'error') return true;
  return rules.some((rule) => rule.id === finding.id && rule.severity === 'error');
}
