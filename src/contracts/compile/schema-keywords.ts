/** Which JSON Schema keywords hold subschemas, so walks visit schemas and never data (enum, const, default). */

/** Keywords whose value is one subschema. */
export const SINGLE_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
]);

/** Keywords whose value maps names to subschemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  'dependentSchemas',
  '$defs',
  'definitions',
]);

/** Keywords whose value is a list of subschemas. */
export const SCHEMA_LIST_KEYWORDS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

/** A subschema and the path segments leading to it from its parent schema. */
export interface ChildSchema {
  segments: string[];
  schema: unknown;
}

/** The direct subschemas of a schema object (objects or booleans), in keyword order. */
export function childSchemas(schema: Record<string, unknown>): ChildSchema[] {
  const children: ChildSchema[] = [];
  for (const key of Object.keys(schema)) {
    const value = schema[key];
    if (SINGLE_SCHEMA_KEYWORDS.has(key)) {
      if (isSchemaValue(value)) children.push({ segments: [key], schema: value });
    } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const name of Object.keys(value)) {
          const child = (value as Record<string, unknown>)[name];
          if (isSchemaValue(child)) children.push({ segments: [key, name], schema: child });
        }
      }
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      value.forEach((child, index) => {
        if (isSchemaValue(child)) children.push({ segments: [key, String(index)], schema: child });
      });
    }
  }
  return children;
}

function isSchemaValue(value: unknown): boolean {
  return typeof value === 'boolean' || (value !== null && typeof value === 'object' && !Array.isArray(value));
}
