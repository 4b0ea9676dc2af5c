/** Breaking-change detection between two OpenAPI documents: the public entry point of `accord diff`. */
import type { OpenApiDocument } from '../../contracts/openapi-document.js';
import type { Finding } from '../findings.js';
import { CHECKS } from '../rules/index.js';
import { DiffBudget } from './budget.js';
import { runDiff } from './engine.js';
import { createSchemaComparator } from './schema/compare.js';

export { DiffBudget, DiffBudgetExceeded, DEFAULT_LIMITS, type DiffLimits } from './budget.js';

/** Options of a diff. */
export interface DiffOptions {
  /** The day sunset dates are judged against (default: now). */
  now?: Date;
  /**
   * The budget the diff spends (nodes visited, wall time); read `visited` from it afterwards.
   * Default: unbounded. Past a limit the diff throws DiffBudgetExceeded.
   */
  budget?: DiffBudget;
  /**
   * Report a change of a shared schema once per operation and place (parameter, body, response)
   * that reaches it, as oasdiff does, instead of once with the list of what it affects (`affects`).
   */
  expand?: boolean;
  /**
   * Compare what schemas accept rather than how they are spelled (default true): allOf merged
   * where that is safe, one-member compositions unwrapped, an enum split into a oneOf of enums
   * read as one enum. False compares the schemas as written.
   */
  flatten?: boolean;
}

/**
 * Compares a base and a revision of a contract and returns one finding per change, each with its
 * oasdiff-compatible ID and default severity (`error` breaking, `warn` possibly breaking, `info`
 * compatible). Both documents are compared once; every check reads from that one comparison, and
 * a schema pair is compared once however many paths reach it, so the cost grows with the size of
 * the documents, not with the number of paths through them.
 */
export function diffContracts(base: OpenApiDocument, revision: OpenApiDocument, options: DiffOptions = {}): Finding[] {
  const now = options.now ?? new Date();
  const budget = options.budget ?? new DiffBudget();
  const schemas = createSchemaComparator(budget, { flatten: options.flatten ?? true });
  return runDiff(base, revision, (input) => schemas.compare({ ...input, now }), CHECKS, now, options.expand ?? false);
}
