/**
 * The JSON format, for scripts. `diff` prints the shape fixed by the command-line contract,
 * `{"breaking", "changes": [{"id","severity","message","operation","path","location"}]}`, plus
 * `affects` (each operation and place a change of a shared schema reaches; `operation` is the first);
 * `check` prints a superset of it (every finding, each with its `source`) so one parser reads both,
 * and `lint` prints `{"passed", "findings"}` with the same entry shape.
 */
import { isAtLeast, type Finding } from '../../governance/findings.js';
import { apiPathOf, compareFindings, displayPath, isBreakingChange, orderedFiles, type RenderOptions, type Report } from './report.js';

/** One entry of `changes` / `findings`; absent values are `null` so every key is always present. */
export interface JsonFindingEntry {
  id: string;
  severity: Finding['severity'];
  message: string;
  source?: Finding['source'];
  operation: string | null;
  path: string | null;
  location: { file: string; line: number | null; pointer: string };
  /** diff and check: every operation and place the change reaches (one entry for a change of one operation; empty for the document). */
  affects?: Array<{ operation: string; where: string | null; path: string | null }>;
}

function entry(finding: Finding, cwd: string, withSource: boolean, withAffects: boolean): JsonFindingEntry {
  const base: JsonFindingEntry = {
    id: finding.id,
    severity: finding.severity,
    message: finding.message,
    operation: finding.operation ?? null,
    path: apiPathOf(finding) ?? null,
    location: {
      file: displayPath(finding.location.file, cwd),
      line: finding.location.line ?? null,
      pointer: finding.location.pointer,
    },
  };
  if (withAffects) {
    base.affects = finding.affects
      ? finding.affects.map((a) => ({ operation: a.operation, where: a.where ?? null, path: a.path ? a.path : null }))
      : finding.operation
        ? [{ operation: finding.operation, where: null, path: null }]
        : [];
  }
  if (!withSource) return base;
  const { id, severity, message, ...rest } = base;
  return { id, severity, message, source: finding.source, ...rest };
}

/** Findings in file order, then line order, so the output is stable across runs. */
function ordered(report: Report): Finding[] {
  const files = orderedFiles(report);
  return [...report.findings].sort((a, b) => {
    const fa = files.indexOf(a.location.file);
    const fb = files.indexOf(b.location.file);
    return fa !== fb ? fa - fb : compareFindings(a, b);
  });
}

/** Renders the JSON format (pretty-printed, two spaces, trailing newline). */
export function renderJson(report: Report, options: RenderOptions): string {
  const findings = ordered(report);
  const breaking = findings.some((f) => isBreakingChange(f, report.rules));
  const passed = !findings.some((f) => isAtLeast(f.severity, report.failThreshold));
  let body: unknown;
  if (report.tool === 'diff') {
    body = { breaking, changes: findings.map((f) => entry(f, options.cwd, false, true)) };
  } else if (report.tool === 'check') {
    body = { breaking, passed, changes: findings.map((f) => entry(f, options.cwd, true, true)) };
  } else {
    body = { passed, findings: findings.map((f) => entry(f, options.cwd, true, false)) };
  }
  return JSON.stringify(body, null, 2) + '\n';
}
