/** The shape of one registered check: the contract between the diff engine, the schema comparator and the registry. */
import type { Severity } from '../findings.js';

/** One change-detection check with an oasdiff-compatible ID. */
export interface CheckDefinition {
  /** oasdiff-compatible check ID, e.g. `request-parameter-removed`. */
  id: string;
  /** Default severity: `error` = breaking, `warn` = possibly breaking, `info` = compatible. */
  severity: Severity;
  /** Which way the data flows where the change sits (`none` for structural changes such as a removed path). */
  direction: 'request' | 'response' | 'none';
  /** Catalogue area, e.g. `paths`, `parameters`, `request-body`, `responses`, `security`, `schema`. */
  area: string;
  /** One sentence saying what the check detects. */
  description: string;
}
