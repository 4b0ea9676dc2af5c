/** Reads the operations of one document into the comparison model, following every `$ref` on the way. */
import { isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../../contracts/openapi-document.js';
import { escapeToken } from '../../contracts/json-pointer.js';
import type {
  HeaderEntry,
  MediaTypeEntry,
  OperationEntry,
  ParameterEntry,
  PathEntry,
  RequestBodyEntry,
  ResponseEntry,
  SchemaSlot,
  SecurityRequirementEntry,
} from './model.js';

/** HTTP methods a path item may hold, in the order operations are listed. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Names of the template variables of a path, in order: `/a/{id}/b/{x}` -> `['id', 'x']`. */
export function templateVariables(path: string): string[] {
  return [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
}

/** A path with its variable names erased, so `/a/{id}` and `/a/{orderId}` match. */
export function normalisePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

/** Pointer token of a key; most keys need no escaping, so skip the regular expressions for them. */
function token(key: string | number): string {
  return typeof key === 'number' || (key.indexOf('/') < 0 && key.indexOf('~') < 0) ? String(key) : escapeToken(key);
}

function child(parent: Resolved<JsonObject>, key: string | number): Resolved<unknown> {
  return { value: parent.value[key as string], file: parent.file, pointer: `${parent.pointer}/${token(key)}` };
}

function derefObject(doc: OpenApiDocument, at: Resolved<unknown>): Resolved<JsonObject> | undefined {
  if (!isObject(at.value)) return undefined;
  if (typeof at.value.$ref !== 'string') return at as Resolved<JsonObject>;
  const resolved = doc.deref(at.value, at.file, at.pointer);
  return isObject(resolved.value) ? (resolved as Resolved<JsonObject>) : undefined;
}

/** The schema of a media type, parameter or header, resolved to the object it finally names. */
function schemaOf(doc: OpenApiDocument, holder: Resolved<JsonObject>): SchemaSlot | undefined {
  const schema = child(holder, 'schema');
  if (schema.value === undefined) return undefined;
  if (isObject(schema.value)) return typeof schema.value.$ref === 'string' ? doc.deref(schema.value, schema.file, schema.pointer) : schema;
  return schema; // `true` / `false` schemas in 3.1
}

function readContent(doc: OpenApiDocument, holder: Resolved<JsonObject>): MediaTypeEntry[] {
  const content = child(holder, 'content');
  if (!isObject(content.value)) return [];
  const entries: MediaTypeEntry[] = [];
  for (const name of Object.keys(content.value)) {
    const media = derefObject(doc, child(content as Resolved<JsonObject>, name)) ?? { value: {}, file: content.file, pointer: `${content.pointer}/${escapeToken(name)}` };
    entries.push({ ...media, name, schema: schemaOf(doc, media) });
  }
  return entries;
}

function readParameters(doc: OpenApiDocument, holder: Resolved<JsonObject>, level: ParameterEntry['level'], variables: string[]): ParameterEntry[] {
  const list = child(holder, 'parameters');
  if (!Array.isArray(list.value)) return [];
  const entries: ParameterEntry[] = [];
  list.value.forEach((_, index) => {
    const param = derefObject(doc, child(list as Resolved<JsonObject>, index));
    if (!param || typeof param.value.name !== 'string' || typeof param.value.in !== 'string') return;
    const location = param.value.in;
    const name = param.value.name;
    let key: string;
    if (location === 'path') {
      const position = variables.indexOf(name);
      key = position >= 0 ? `path:#${position}` : `path:${name}`;
    } else {
      key = `${location}:${location === 'header' ? name.toLowerCase() : name}`;
    }
    entries.push({ ...param, key, in: location, name, level, required: param.value.required === true });
  });
  return entries;
}

function readRequestBody(doc: OpenApiDocument, op: Resolved<JsonObject>): RequestBodyEntry | undefined {
  const body = derefObject(doc, child(op, 'requestBody'));
  if (!body) return undefined;
  return { ...body, required: body.value.required === true, content: readContent(doc, body) };
}

function readHeaders(doc: OpenApiDocument, response: Resolved<JsonObject>): HeaderEntry[] {
  const headers = child(response, 'headers');
  if (!isObject(headers.value)) return [];
  const entries: HeaderEntry[] = [];
  for (const name of Object.keys(headers.value)) {
    const header = derefObject(doc, child(headers as Resolved<JsonObject>, name));
    if (!header) continue;
    let schema = schemaOf(doc, header);
    if (!schema) schema = readContent(doc, header).find((m) => m.schema)?.schema;
    entries.push({ ...header, name, required: header.value.required === true, schema });
  }
  return entries;
}

function readResponses(doc: OpenApiDocument, op: Resolved<JsonObject>): ResponseEntry[] {
  const responses = child(op, 'responses');
  if (!isObject(responses.value)) return [];
  const entries: ResponseEntry[] = [];
  for (const status of Object.keys(responses.value)) {
    if (status.startsWith('x-')) continue;
    const response = derefObject(doc, child(responses as Resolved<JsonObject>, status));
    if (!response) continue;
    entries.push({ ...response, status, content: readContent(doc, response), headers: readHeaders(doc, response) });
  }
  return entries;
}

/** Reads a `security` array (operation or document level); undefined when the field is absent. */
export function readSecurity(holder: Resolved<JsonObject>): SecurityRequirementEntry[] | undefined {
  const security = child(holder, 'security');
  if (!Array.isArray(security.value)) return undefined;
  const entries: SecurityRequirementEntry[] = [];
  security.value.forEach((requirement: unknown, index: number) => {
    if (!isObject(requirement)) return;
    const schemes: Record<string, string[]> = {};
    for (const [name, scopes] of Object.entries(requirement)) {
      schemes[name] = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
    }
    entries.push({ key: Object.keys(schemes).sort().join('+'), schemes, pointer: `${security.pointer}/${index}` });
  });
  return entries;
}

function readOperation(doc: OpenApiDocument, pathItem: Resolved<JsonObject>, path: string, kind: PathEntry['kind'], method: string, variables: string[], shared: ParameterEntry[]): OperationEntry | undefined {
  const op = derefObject(doc, child(pathItem, method));
  if (!op) return undefined;
  const own = readParameters(doc, op, 'operation', variables);
  const ownKeys = new Set(own.map((p) => p.key));
  const upper = method.toUpperCase();
  return {
    ...op,
    method: upper,
    path,
    kind,
    label: `${upper} ${path}`,
    pathItem,
    parameters: [...shared.filter((p) => !ownKeys.has(p.key)), ...own],
    requestBody: readRequestBody(doc, op),
    responses: readResponses(doc, op),
    security: readSecurity(op),
  };
}

/**
 * Every path (or webhook) of a document with its operations, keyed by path as written; those for
 * which `skip(key)` is true are left out.
 */
export function readPaths(doc: OpenApiDocument, section: 'paths' | 'webhooks', skip?: (key: string) => boolean): PathEntry[] {
  const root: Resolved<JsonObject> = { value: doc.data, file: doc.file, pointer: '' };
  const container = child(root, section);
  if (!isObject(container.value)) return [];
  const kind: PathEntry['kind'] = section === 'paths' ? 'path' : 'webhook';
  const entries: PathEntry[] = [];
  for (const key of Object.keys(container.value)) {
    if ((section === 'paths' && !key.startsWith('/')) || skip?.(key) === true) continue;
    const item = derefObject(doc, child(container as Resolved<JsonObject>, key));
    if (!item) continue;
    const path = kind === 'path' ? key : `webhook:${key}`;
    const operations: OperationEntry[] = [];
    const variables = kind === 'path' ? templateVariables(path) : [];
    const shared = readParameters(doc, item, 'path', variables);
    for (const method of HTTP_METHODS) {
      if (item.value[method] === undefined) continue;
      const op = readOperation(doc, item, path, kind, method, variables, shared);
      if (op) operations.push(op);
    }
    entries.push({ ...item, path, kind, operations });
  }
  return entries;
}
