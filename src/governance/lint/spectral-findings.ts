/** Turns Spectral results into the shared Finding type. */
import type { ISpectralDiagnostic } from '@stoplight/spectral-core';
import { toPointer } from '../../contracts/json-pointer.js';
import type { Finding, Severity } from '../findings.js';

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
