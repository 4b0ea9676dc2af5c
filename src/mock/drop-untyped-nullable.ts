/** Removes OpenAPI 3.0's `nullable` where a schema has no `type`, where it has no meaning, so that the mock's validator accepts the contract. */
import { isObject, type JsonObject } from '../contracts/openapi-document.js';

/** Members whose values are data, not schemas: nothing inside them is rewritten. */
const DATA_MEMBERS: ReadonlySet<string> = new Set(['example', 'examples', 'default', 'enum', 'const']);

/**
 * Returns the document with `nullable` removed from every object that has it but no `type`.
 * OpenAPI 3.0.3 says `nullable: true` adds null "only if type is explicitly defined within the same
 * Schema Object", so the removal changes nothing a contract means; Ajv (inside
 * express-openapi-validator) instead refuses such a schema (`"nullable" cannot be used without
 * "type"`), which made every request of an operation using one (`anyOf` next to `nullable`, as in
 * Stripe's contract) answer 500. Example and default values are left as written.
 */
export function dropUntypedNullable(document: JsonObject): JsonObject {
  return rewrite(document) as JsonObject;
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  // A boolean: a member named `nullable` of a `properties` map is a schema (an object) and stays.
  const untyped = typeof value.nullable === 'boolean' && value.type === undefined;
  for (const [key, child] of Object.entries(value)) {
    if (untyped && key === 'nullable') continue;
    copy[key] = DATA_MEMBERS.has(key) || key.startsWith('x-') ? child : rewrite(child);
  }
  return copy;
}
