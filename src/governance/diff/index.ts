/** Breaking-change detection between two OpenAPI documents: the public entry point of `accord diff`. */
import type { OpenApiDocument } from '../../contracts/openapi-document.js';
import type { Finding } from '../findings.js';
import { CHECKS } from '../rules/index.js';
import { runDiff } from './engine.js';
import { createSchemaComparator } from './schema/compare.js';

/** Options of a diff. */
export interface DiffOptions {
  /** The day sunset dates are judged against (default: now). */
  now?: Date;
}

/**
 * Compares a base and a revision of a contract and returns one finding per change, each with its
 * oasdiff-compatible ID and default severity (`error` breaking, `warn` possibly breaking, `info`
 * compatible). Both documents are compared once; every check reads from that one comparison.
 */
export function diffContracts(base: OpenApiDocument, revision: OpenApiDocument, options: DiffOptions = {}): Finding[] {
  const now = options.now ?? new Date();
  const schemas = createSchemaComparator();
  return runDiff(base, revision, (input) => schemas.compare({ ...input, now }), CHECKS, now);
}
