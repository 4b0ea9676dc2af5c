/**
 * Builds the one comparison of a document pair: resolves both sides, matches paths, operations,
 * parameters, bodies, responses, media types, headers, security and components, and runs the
 * schema comparator on every matched schema pair with the direction of the data flow.
 */
import { isObject, type JsonObject, type OpenApiDocument, type Resolved } from '../../contracts/openapi-document.js';
import { escapeToken } from '../../contracts/json-pointer.js';
import type {
  ComponentEntry,
  ContentComparison,
  ContractComparison,
  DataDirection,
  Matched,
  MediaTypeEntry,
  MediaTypePair,
  OperationEntry,
  OperationPair,
  OperationSchemaChange,
  ParameterEntry,
  PathEntry,
  ResponsePair,
  SchemaComparator,
  SchemaComparisonInput,
  SchemaContext,
  SchemaSlot,
  SchemaChange,
} from './model.js';
import { normalisePath, readPaths, readSecurity } from './operations.js';
import { UnchangedPathItems } from './unchanged-path-items.js';

/** Matches two lists by key; the first entry of a key wins on each side. */
export function matchBy<T>(base: T[], revision: T[], keyOf: (item: T) => string): Matched<T> {
  // Most lists (an operation's parameters, responses, media types) are short: scans, no Map.
  if (base.length <= 8 && revision.length <= 8) return matchShort(base, revision, keyOf);
  const revisionByKey = new Map<string, T>();
  for (const item of revision) {
    const key = keyOf(item);
    if (!revisionByKey.has(key)) revisionByKey.set(key, item);
  }
  const seen = new Set<string>();
  const result: Matched<T> = { added: [], removed: [], matched: [] };
  for (const item of base) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    const other = revisionByKey.get(key);
    if (other === undefined) result.removed.push(item);
    else result.matched.push({ base: item, revision: other });
  }
  for (const [key, item] of revisionByKey) if (!seen.has(key)) result.added.push(item);
  return result;
}

/** matchBy by scanning: the same outcome, for short lists. */
function matchShort<T>(base: T[], revision: T[], keyOf: (item: T) => string): Matched<T> {
  const baseKeys = base.map(keyOf);
  const revisionKeys = revision.map(keyOf);
  const result: Matched<T> = { added: [], removed: [], matched: [] };
  for (let i = 0; i < base.length; i++) {
    const key = baseKeys[i]!;
    if (baseKeys.indexOf(key) !== i) continue;
    const j = revisionKeys.indexOf(key);
    if (j < 0) result.removed.push(base[i]!);
    else result.matched.push({ base: base[i]!, revision: revision[j]! });
  }
  for (let j = 0; j < revision.length; j++) {
    const key = revisionKeys[j]!;
    if (revisionKeys.indexOf(key) === j && !baseKeys.includes(key)) result.added.push(revision[j]!);
  }
  return result;
}

/** Paths match by template with variable names erased; an exact spelling is preferred when several normalise alike. */
function matchPaths(base: PathEntry[], revision: PathEntry[]): Matched<PathEntry> {
  const exact = matchBy(base, revision, (p) => p.path);
  const loose = matchBy(exact.removed, exact.added, (p) => normalisePath(p.path));
  return { added: loose.added, removed: loose.removed, matched: [...exact.matched, ...loose.matched] };
}

/** `type/subtype` without parameters, lower-cased. */
function essence(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase();
}

/** True when media range `range` (e.g. `application/*`) covers `type` (e.g. `application/json`). */
function covers(range: string, type: string): boolean {
  const [rt, rs] = essence(range).split('/');
  const [tt, ts] = essence(type).split('/');
  if (rt === '*') return true;
  return rt === tt && (rs === '*' || rs === ts);
}

/** Media types match by name; left-overs pair up when only parameters differ or one range covers the other. */
function matchContent(base: MediaTypeEntry[], revision: MediaTypeEntry[]): ContentComparison {
  const exact = matchBy(base, revision, (m) => m.name.toLowerCase());
  const matched: MediaTypePair[] = exact.matched.map((p) => ({ ...p }));
  const added = [...exact.added];
  const removed: MediaTypeEntry[] = [];
  for (const old of exact.removed) {
    const same = added.filter((m) => essence(m.name) === essence(old.name));
    const wider = added.filter((m) => essence(m.name) !== essence(old.name) && covers(m.name, old.name));
    const narrower = added.filter((m) => essence(m.name) !== essence(old.name) && covers(old.name, m.name));
    let pick: MediaTypeEntry | undefined;
    let rename: MediaTypePair['rename'];
    if (same.length === 1) [pick, rename] = [same[0], 'parameters-changed'];
    else if (wider.length === 1 && narrower.length === 0) [pick, rename] = [wider[0], 'generalized'];
    else if (narrower.length === 1 && wider.length === 0) [pick, rename] = [narrower[0], 'specialized'];
    if (pick) {
      added.splice(added.indexOf(pick), 1);
      matched.push({ base: old, revision: pick, rename });
    } else {
      removed.push(old);
    }
  }
  return { added, removed, matched };
}

function components(doc: OpenApiDocument, section: string): ComponentEntry[] {
  const holder = doc.data.components;
  if (!isObject(holder) || !isObject(holder[section])) return [];
  const entries: ComponentEntry[] = [];
  for (const [name, value] of Object.entries(holder[section] as JsonObject)) {
    const pointer = `/components/${section}/${escapeToken(name)}`;
    const resolved = isObject(value) ? doc.deref(value, doc.file, pointer) : { value, file: doc.file, pointer };
    entries.push({ ...resolved, name });
  }
  return entries;
}

/** Compares each pair of resolved schema locations once, however many operations share it. */
class SchemaComparisonCache {
  private readonly results = new Map<string, SchemaChange[]>();

  constructor(
    readonly base: OpenApiDocument,
    readonly revision: OpenApiDocument,
    private readonly compare: SchemaComparator,
  ) {}

  changes(baseSchema: SchemaSlot, revisionSchema: SchemaSlot, direction: DataDirection, context: SchemaContext, mediaType?: string): SchemaChange[] {
    const key = `${direction}|${context}|${mediaType ?? ''}|${baseSchema.file}#${baseSchema.pointer}|${revisionSchema.file}#${revisionSchema.pointer}`;
    let result = this.results.get(key);
    if (!result) {
      const input: SchemaComparisonInput = { base: this.base, revision: this.revision, baseSchema, revisionSchema, direction, context };
      if (mediaType !== undefined) input.mediaType = mediaType;
      result = this.compare(input);
      this.results.set(key, result);
    }
    return result;
  }
}

/** Parameters by (in, name), then a removed and an added parameter of the same name (not in the path) as a move. */
function matchParameters(base: ParameterEntry[], revision: ParameterEntry[]): OperationPair['parameters'] {
  const byKey = matchBy(base, revision, (p) => p.key);
  const movable = (p: ParameterEntry): boolean => p.in !== 'path';
  const moves = matchBy(byKey.removed.filter(movable), byKey.added.filter(movable), (p) => p.name.toLowerCase());
  const moved = new Set(moves.matched.flatMap((m) => [m.base, m.revision]));
  return {
    matched: byKey.matched,
    added: byKey.added.filter((p) => !moved.has(p)),
    removed: byKey.removed.filter((p) => !moved.has(p)),
    moved: moves.matched,
  };
}

/** Whether changes inside an operation are reported: not for draft or alpha revisions (oasdiff's default threshold). */
function isBelowStabilityThreshold(op: JsonObject): boolean {
  const level = op['x-stability-level'];
  return level === 'draft' || level === 'alpha';
}

function compareOperation(base: OperationEntry, revision: OperationEntry, schemas: SchemaComparisonCache): OperationPair {
  const parameters = matchParameters(base.parameters, revision.parameters);
  const requestContent = matchContent(base.requestBody?.content ?? [], revision.requestBody?.content ?? []);
  const statuses = matchBy(base.responses, revision.responses, (r) => r.status.toUpperCase());
  const responses: ResponsePair[] = statuses.matched.map((pair) => ({
    ...pair,
    content: matchContent(pair.base.content, pair.revision.content),
    headers: matchBy(pair.base.headers, pair.revision.headers, (h) => h.name.toLowerCase()),
  }));
  const pair: OperationPair = {
    base,
    revision,
    label: revision.label,
    parameters,
    requestBody: { base: base.requestBody, revision: revision.requestBody, content: requestContent },
    responses: { added: statuses.added, removed: statuses.removed, matched: responses },
    reported: !isBelowStabilityThreshold(revision.value),
    schemaChanges: [],
  };
  if (!pair.reported) return pair;

  const collect = (b: SchemaSlot | undefined, r: SchemaSlot | undefined, direction: DataDirection, context: SchemaContext, where: string, mediaType?: string): void => {
    if (!b || !r) return;
    for (const change of schemas.changes(b, r, direction, context, mediaType)) {
      const located: OperationSchemaChange = { ...change, where };
      pair.schemaChanges.push(located);
    }
  };
  for (const { base: b, revision: r } of parameters.matched) {
    const context: SchemaContext = r.in === 'header' ? 'request-header' : 'request-parameter';
    collect(parameterSchema(schemas.base, b), parameterSchema(schemas.revision, r), 'request', context, `${r.in} parameter '${r.name}'`);
  }
  for (const media of requestContent.matched) {
    collect(media.base.schema, media.revision.schema, 'request', 'request-body', `request body (${media.revision.name})`, media.revision.name);
  }
  for (const response of responses) {
    for (const media of response.content.matched) {
      collect(media.base.schema, media.revision.schema, 'response', 'response-body', `response ${response.revision.status} (${media.revision.name})`, media.revision.name);
    }
    for (const header of response.headers.matched) {
      collect(header.base.schema, header.revision.schema, 'response', 'response-header', `response ${response.revision.status} header '${header.revision.name}'`);
    }
  }
  return pair;
}

/** The schema of a parameter: its `schema`, or the schema of its first `content` entry. */
function parameterSchema(doc: OpenApiDocument, param: Resolved<JsonObject>): SchemaSlot | undefined {
  const slot = parameterSchemaSlot(param);
  return slot && isObject(slot.value) ? doc.deref(slot.value, slot.file, slot.pointer) : slot;
}

function parameterSchemaSlot(param: Resolved<JsonObject>): SchemaSlot | undefined {
  const schema = param.value.schema;
  if (schema !== undefined) return { value: schema, file: param.file, pointer: `${param.pointer}/schema` };
  const content = param.value.content;
  if (!isObject(content)) return undefined;
  const first = Object.keys(content)[0];
  if (first === undefined || !isObject(content[first])) return undefined;
  const media = content[first] as JsonObject;
  if (media.schema === undefined) return undefined;
  return { value: media.schema, file: param.file, pointer: `${param.pointer}/content/${escapeToken(first)}/schema` };
}

/**
 * Compares two documents once. The schema comparator is called on resolved schema locations and
 * cached per location pair, so a component shared by many operations is compared once.
 */
export function compareContracts(base: OpenApiDocument, revision: OpenApiDocument, compareSchemas: SchemaComparator, now: Date): ContractComparison {
  const schemas = new SchemaComparisonCache(base, revision, compareSchemas);

  // Items the same in both versions, references included, cannot differ: left out on both sides.
  const unchanged = new UnchangedPathItems(base, revision);
  const same = (section: 'paths' | 'webhooks') => (key: string) => unchanged.unchanged(section, key);
  const paths = matchPaths(readPaths(base, 'paths', same('paths')), readPaths(revision, 'paths', same('paths')));
  const webhooks = matchBy(readPaths(base, 'webhooks', same('webhooks')), readPaths(revision, 'webhooks', same('webhooks')), (p) => p.path);
  const removedOperations: OperationEntry[] = [];
  const addedOperations: OperationEntry[] = [];
  const operations: OperationPair[] = [];
  for (const { base: b, revision: r } of [...paths.matched, ...webhooks.matched]) {
    const ops = matchBy(b.operations, r.operations, (o) => o.method);
    removedOperations.push(...ops.removed);
    addedOperations.push(...ops.added);
    for (const pair of ops.matched) {
      operations.push(compareOperation(pair.base, pair.revision, schemas));
    }
  }
  const root = (doc: OpenApiDocument): Resolved<JsonObject> => ({ value: doc.data, file: doc.file, pointer: '' });
  return {
    base,
    revision,
    now,
    paths,
    webhooks,
    removedOperations,
    addedOperations,
    operations,
    globalSecurity: { base: readSecurity(root(base)) ?? [], revision: readSecurity(root(revision)) ?? [] },
    securitySchemes: matchBy(components(base, 'securitySchemes'), components(revision, 'securitySchemes'), (c) => c.name),
    schemas: matchBy(components(base, 'schemas'), components(revision, 'schemas'), (c) => c.name),
  };
}
