/** Builds, once per contract, everything the mock can answer for each operation: statuses, media types, examples, generated values. */
import { sample } from 'openapi-sampler';
import { ContractError, isObject, type JsonObject } from '../contracts/openapi-document.js';
import { escapeToken, fromPointer, getAt } from '../contracts/json-pointer.js';

/** A named example of a media type, in declaration order. */
export interface MockExample {
  name: string;
  value: unknown;
}

/** One media type of a response. */
export interface MockMediaType {
  contentType: string;
  examples: MockExample[];
  /** True when the media type declares a schema to generate from. */
  hasSchema: boolean;
  /** The value generated from the schema at load, or undefined when there is no schema or generation failed. */
  generated: unknown;
}

/** One response of an operation: a status (`200`), a range (`2XX`) or `default`. */
export interface MockResponse {
  key: string;
  headers: Array<{ name: string; value: string }>;
  content: MockMediaType[];
}

/** An operation the mock serves. */
export interface MockOperation {
  method: string;
  path: string;
  operationId: string | undefined;
  responses: MockResponse[];
}

/** What loading found worth telling the person running the mock; never fatal. */
export interface PlanWarning {
  pointer: string;
  message: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const SAMPLER_OPTIONS = { skipReadOnly: false, skipWriteOnly: true, skipNonRequired: false, enablePatterns: true, quiet: true } as const;

/**
 * Follows `#/…` references inside the bundled document (bundleDocument leaves no other kind).
 * Throws CONTRACT_REF_UNRESOLVED for a reference to nothing or a cycle of references.
 */
function follow(bundle: JsonObject, value: unknown, file: string, pointer: string): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref;
    const target = hops < 32 && ref.startsWith('#') ? getAt(bundle, fromPointer(ref.slice(1))) : undefined;
    if (target === undefined) throw new ContractError('CONTRACT_REF_UNRESOLVED', file, pointer, `$ref "${ref}" cannot be followed`);
    current = target;
  }
  return current;
}

function generate(bundle: JsonObject, schema: unknown, pointer: string, warnings: PlanWarning[]): unknown {
  try {
    return sample(schema as Parameters<typeof sample>[0], SAMPLER_OPTIONS, bundle);
  } catch (error) {
    warnings.push({ pointer, message: `cannot generate a value from the schema (${(error as Error).message}); add an example` });
    return undefined;
  }
}

function mediaTypeOf(bundle: JsonObject, file: string, contentType: string, raw: unknown, pointer: string, warnings: PlanWarning[]): MockMediaType {
  const media = isObject(raw) ? raw : {};
  const examples: MockExample[] = [];
  if (isObject(media.examples)) {
    for (const [name, entry] of Object.entries(media.examples)) {
      const example = follow(bundle, entry, file, `${pointer}/examples/${escapeToken(name)}`);
      if (isObject(example) && 'value' in example) examples.push({ name, value: example.value });
      else warnings.push({ pointer: `${pointer}/examples/${escapeToken(name)}`, message: 'example has no inline value (externalValue is not served); skipped' });
    }
  } else if ('example' in media) {
    examples.push({ name: 'example', value: media.example });
  }
  const hasSchema = media.schema !== undefined;
  // Generated at load so that the request path only picks a prepared value.
  const generated = hasSchema ? generate(bundle, media.schema, `${pointer}/schema`, warnings) : undefined;
  return { contentType, examples, hasSchema, generated };
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(',');
  return undefined;
}

function headersOf(bundle: JsonObject, file: string, raw: unknown, pointer: string, warnings: PlanWarning[]): MockResponse['headers'] {
  const headers: MockResponse['headers'] = [];
  if (!isObject(raw)) return headers;
  for (const [name, entry] of Object.entries(raw)) {
    // Content-Type is decided by the media type; OpenAPI says to ignore its header declaration.
    if (name.toLowerCase() === 'content-type') continue;
    const where = `${pointer}/${escapeToken(name)}`;
    const header = follow(bundle, entry, file, where);
    if (!isObject(header)) continue;
    let value: unknown;
    if ('example' in header) value = header.example;
    else if (isObject(header.examples)) {
      const first = Object.values(header.examples)[0];
      const example = follow(bundle, first, file, `${where}/examples`);
      value = isObject(example) ? example.value : undefined;
    } else if (header.required === true && header.schema !== undefined) value = generate(bundle, header.schema, `${where}/schema`, warnings);
    const text = headerValue(value);
    if (text !== undefined) headers.push({ name, value: text });
  }
  return headers;
}

/**
 * Reads every operation of a bundled document. `file` names the contract in errors and warnings.
 * Throws ContractError when an operation's responses cannot be read at all.
 */
export function buildResponsePlan(bundle: JsonObject, file: string): { operations: MockOperation[]; warnings: PlanWarning[] } {
  const operations: MockOperation[] = [];
  const warnings: PlanWarning[] = [];
  const paths = isObject(bundle.paths) ? bundle.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const itemPointer = `/paths/${escapeToken(path)}`;
    const item = follow(bundle, rawItem, file, itemPointer);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const opPointer = `${itemPointer}/${method}`;
      if (operation.responses === undefined) {
        // OpenAPI 3.1 lets an operation declare no responses; the gateway serves it, so the mock
        // answers it too, with the one answer that claims nothing: 204 without a body.
        warnings.push({ pointer: opPointer, message: `${method.toUpperCase()} ${path} declares no responses; the mock answers 204 without a body` });
        operations.push({ method: method.toUpperCase(), path, operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined, responses: [{ key: '204', headers: [], content: [] }] });
        continue;
      }
      if (!isObject(operation.responses)) {
        throw new ContractError('CONTRACT_INVALID', file, opPointer, `${method.toUpperCase()} ${path}: "responses" must be a mapping`);
      }
      const responses: MockResponse[] = [];
      for (const [key, rawResponse] of Object.entries(operation.responses)) {
        if (key.startsWith('x-')) continue;
        const resPointer = `${opPointer}/responses/${escapeToken(key)}`;
        const response = follow(bundle, rawResponse, file, resPointer);
        if (!isObject(response)) continue;
        const content = isObject(response.content)
          ? Object.entries(response.content).map(([type, media]) => mediaTypeOf(bundle, file, type, media, `${resPointer}/content/${escapeToken(type)}`, warnings))
          : [];
        responses.push({ key: key.toLowerCase() === 'default' ? 'default' : key.toUpperCase(), headers: headersOf(bundle, file, response.headers, `${resPointer}/headers`, warnings), content });
      }
      operations.push({ method: method.toUpperCase(), path, operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined, responses });
    }
  }
  return { operations, warnings };
}
