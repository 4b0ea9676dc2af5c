/** The registry of every diff check ID: the structural checks and the schema comparator's catalogue. */
import { DIFF_CHECKS } from '../diff/checks/index.js';
import { SCHEMA_CHECKS } from '../diff/schema/catalogue.js';
import type { CheckDefinition } from './check.js';

export type { CheckDefinition } from './check.js';

/** Every check Accord's diff can report, each once, frozen. */
export const CHECKS: readonly CheckDefinition[] = Object.freeze([...DIFF_CHECKS.flatMap((check) => check.definitions), ...SCHEMA_CHECKS]);

const BY_ID = new Map(CHECKS.map((check) => [check.id, check]));

/** The registered check with this ID, or undefined. */
export function checkById(id: string): CheckDefinition | undefined {
  return BY_ID.get(id);
}
