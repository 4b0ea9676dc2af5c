/** Turns Ajv's refusal of a contract's schemas into a ContractError naming the contract file and pointer (load time only). */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { ContractError, isObject, type Location, type OpenApiDocument } from '../openapi-document.js';
import { fromPointer } from '../json-pointer.js';
import { createAjv } from './ajv-instance.js';
import type { SchemaBundle } from './schema-bundle.js';
import { childSchemas } from './schema-keywords.js';
import { appendAjvErrors } from './violations.js';
import type { Violation } from './types.js';

/**
 * Checks the whole bundle against the 2020-12 meta-schema, so a schema that is not a schema
 * (`type: strng`, a boolean `exclusiveMinimum` in 3.1, `items: [...]`) is reported at its own
 * pointer. Throws ContractError CONTRACT_INVALID with the first problem.
 */
function assertBundleIsValid(ajv: Ajv2020, bundle: SchemaBundle, doc: OpenApiDocument): void {
  if (ajv.validateSchema(bundle.root())) return;
  const problems: Violation[] = [];
  appendAjvErrors(ajv.errors, '', problems);
  const first = problems[0];
  if (!first) return;
  const location = bundle.locate(fromPointer(first.pointer));
  const keyword = fromPointer(first.pointer).pop() ?? '';
  // One bad keyword often yields several meta-schema errors at the same place: count places.
  const others = new Set(problems.map((p) => p.pointer).filter((p) => p !== first.pointer)).size;
  const more = others > 0 ? ` (and problems at ${others} more place${others > 1 ? 's' : ''})` : '';
  throw located(doc, location, `invalid schema: "${keyword}" ${first.message}${more}`);
}

/**
 * Explains an exception Ajv threw while compiling, with a scratch Ajv that checks schemas: first
 * the meta-schema's first complaint about the bundle, else the def, and inside it the deepest
 * subschema and keyword, that fails to compile on its own (references removed). When nothing fails
 * alone, the failure is reported at `fallback`. Runs only when a contract is refused.
 */
export function compileFailure(error: unknown, bundle: SchemaBundle, doc: OpenApiDocument, fallback: Location): ContractError {
  const message = error instanceof Error ? error.message : String(error);
  const scratch = createAjv(() => undefined, { validateSchema: true });
  try {
    assertBundleIsValid(scratch, bundle, doc);
  } catch (invalid) {
    if (invalid instanceof ContractError) return invalid;
    throw invalid;
  }
  for (const [key, schema] of bundle.entries()) {
    const found = deepestFailure(scratch, schema, ['$defs', key]);
    if (found) {
      const location = bundle.locate(found.segments);
      return located(doc, location, `schema cannot be compiled: ${found.message}`);
    }
  }
  return located(doc, fallback, `schema cannot be compiled: ${message}`);
}

function located(doc: OpenApiDocument, location: Location, message: string): ContractError {
  return new ContractError('CONTRACT_INVALID', location.file, location.pointer, message, doc.lineOf(location.file, location.pointer));
}

/** Depth-first: if a schema compiles on its own, so does everything under it; otherwise look deeper. */
function deepestFailure(scratch: Ajv2020, schema: unknown, segments: string[]): { segments: string[]; message: string } | undefined {
  if (!isObject(schema)) return undefined;
  const message = compileAlone(scratch, schema);
  if (message === undefined) return undefined;
  for (const child of childSchemas(schema)) {
    const deeper = deepestFailure(scratch, child.schema, [...segments, ...child.segments]);
    if (deeper) return deeper;
  }
  return { segments: [...segments, ...culprit(scratch, schema)], message };
}

/**
 * The keyword of a failing schema without which it compiles (and, for a map such as
 * `patternProperties`, the entry), so the pointer lands on the bad `pattern`, not its schema.
 */
function culprit(scratch: Ajv2020, schema: Record<string, unknown>): string[] {
  for (const keyword of Object.keys(schema)) {
    const { [keyword]: value, ...rest } = schema;
    if (compileAlone(scratch, rest) !== undefined) continue;
    if (isObject(value)) {
      for (const name of Object.keys(value)) {
        const { [name]: _entry, ...others } = value;
        if (compileAlone(scratch, { ...rest, [keyword]: others }) === undefined) return [keyword, name];
      }
    }
    return [keyword];
  }
  return [];
}

function compileAlone(scratch: Ajv2020, schema: Record<string, unknown>): string | undefined {
  try {
    scratch.compile(withoutRefs(schema));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A copy of a schema with every `$ref` removed, so it compiles without the rest of the bundle. */
function withoutRefs(schema: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...schema };
  delete copy.$ref;
  for (const child of childSchemas(schema)) {
    if (!isObject(child.schema)) continue;
    const [keyword, name] = child.segments as [string, string | undefined];
    const stripped = withoutRefs(child.schema);
    if (name === undefined) {
      copy[keyword] = stripped;
    } else if (Array.isArray(copy[keyword])) {
      if (copy[keyword] === schema[keyword]) copy[keyword] = [...(schema[keyword] as unknown[])];
      (copy[keyword] as unknown[])[Number(name)] = stripped;
    } else {
      if (copy[keyword] === schema[keyword]) copy[keyword] = { ...(schema[keyword] as Record<string, unknown>) };
      (copy[keyword] as Record<string, unknown>)[name] = stripped;
    }
  }
  return copy;
}
