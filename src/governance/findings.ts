/** The one result type shared by lint, diff and check, and the severity scale they use. */

/** Severity of a finding. For diff: `error` = breaking, `warn` = possibly breaking, `info` = compatible. */
export type Severity = 'error' | 'warn' | 'info' | 'hint';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'info', 'hint'];

/** Rank for threshold comparisons: error 0 … hint 3 (Spectral's numeric order). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at least as severe as `threshold`. */
export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

/** Where a finding points: a file, a 1-based line where known, and a JSON pointer. */
export interface FindingLocation {
  file: string;
  line?: number;
  column?: number;
  pointer: string;
}

/** One lint result or one detected change between two contract versions. */
export interface Finding {
  /** Stable rule ID (Spectral rule name, or oasdiff-compatible check ID). */
  id: string;
  severity: Severity;
  message: string;
  /** What produced it. */
  source: 'lint' | 'diff' | 'policy';
  /** `GET /orders/{id}` when the finding concerns one operation. */
  operation?: string;
  /** Where in the document the finding lies (for diff: in the revision, or in the base when something was removed). */
  location: FindingLocation;
  /** For diff findings: the location in the base document, when it exists. */
  baseLocation?: FindingLocation;
  /**
   * For a diff finding about a schema shared by several places: each operation and place that
   * reaches the change (one change, reported once at its component, with what it affects).
   */
  affects?: AffectedPlace[];
}

/** One place a change reaches: an operation, where in it, and the property path to the change. */
export interface AffectedPlace {
  operation: string;
  /** E.g. `response 200 (application/json)`, `query parameter 'limit'`. */
  where?: string;
  /** Property path from there to the changed schema (`items/price`); empty at the top. */
  path?: string;
  /** Where the operation is declared. */
  location?: FindingLocation;
}
