/** Turns Spectral results into the shared Finding type. */
import type { ISpectralDiagnostic } from '@stoplight/spectral-core';
import { toPointer } from '../../contracts/json-pointer.js';
import type { Finding, Severity } from '../findings.js';
import type { RuleFailure } from './guarded-rule-functions.js';

/** Spectral's numeric severities (DiagnosticSeverity) in order: 0 error, 1 warn, 2 info, 3 hint. */
const BY_NUMBER: readonly Severity[] = ['error', 'warn', 'info', 'hint'];

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Spectral's numeric severity as a Severity; anything out of range counts as an error. */
export function severityOf(level: number): Severity {
  return BY_NUMBER[level] ?? 'error';
}

/** `GET /orders/{id}` when a result path lies inside an operation of `paths`. */
export function operationAt(path: ReadonlyArray<string | number>): string | undefined {
  if (path[0] !== 'paths' || path.length < 3) return undefined;
  const method = String(path[2]);
  return METHODS.has(method) ? `${method.toUpperCase()} ${String(path[1])}` : undefined;
}

/**
 * One Finding per Spectral result. Lines and columns become 1-based; the file is the result's
 * source (a referenced file when the problem lies there), falling back to the linted file.
 */
export function findingOf(result: ISpectralDiagnostic, file: string): Finding {
  const path = result.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const finding: Finding = {
    id: String(result.code),
    severity: severityOf(result.severity),
    message: result.message,
    source: 'lint',
    location: {
      file: result.source ?? file,
      line: result.range.start.line + 1,
      column: result.range.start.character + 1,
      pointer: toPointer(path),
    },
  };
  const operation = operationAt(path);
  if (operation !== undefined) finding.operation = operation;
  return finding;
}

/** The rule ID of a finding that says a rule stopped with an error (guarded-rule-functions.ts). */
export const RULE_FAILED = 'lint-rule-failed';

/** What reports that describe their rules (SARIF, JUnit) say of RULE_FAILED. */
export const RULE_FAILED_META: Readonly<{ id: string; severity: Severity; description: string }> = Object.freeze({
  id: RULE_FAILED,
  severity: 'error',
  description: 'A lint rule stopped with an error on a value and did not check it; the other rules, and this rule on other values, ran.',
});

/**
 * One error Finding per rule that stopped with an error, per place (repeats of the same rule at
 * the same place are one finding). The line is that of the place, or of the nearest enclosing
 * value the file spells out (the place may lie behind a `$ref`).
 */
export function findingsOfFailures(failures: readonly RuleFailure[], file: string, lineOf: (pointer: string) => number | undefined): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const failure of failures) {
    const path = failure.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    const pointer = toPointer(path);
    const key = `${failure.rule}\0${pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let line: number | undefined;
    for (let length = path.length; line === undefined && length >= 0; length--) line = lineOf(toPointer(path.slice(0, length)));
    const finding: Finding = {
      id: RULE_FAILED,
      severity: 'error',
      message: `rule '${failure.rule}' stopped with an error here and did not check this value: ${failure.reason}`,
      source: 'lint',
      location: line === undefined ? { file, pointer } : { file, line, pointer },
    };
    const operation = operationAt(path);
    if (operation !== undefined) finding.operation = operation;
    findings.push(finding);
  }
  return findings;
}
