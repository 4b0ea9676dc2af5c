/**
 * The comparison model: both documents resolved and matched element by element (paths, operations,
 * parameters, bodies, responses, media types, headers, security), built once per pair and read by every check.
 */
import type { JsonObject, OpenApiDocument, Resolved } from '../../contracts/openapi-document.js';
import type { Severity } from '../findings.js';

/** Which side of the comparison a value comes from. */
export type SideName = 'base' | 'revision';

/** Which way data flows through the element a change sits in. */
export type DataDirection = 'request' | 'response';

export type { SchemaContext, SchemaChange } from './schema/compare.js';
import type { SchemaContext, SchemaChange } from './schema/compare.js';

/** A file and pointer. */
export interface SourceRef {
  file: string;
  pointer: string;
}

/** The schema comparator's input: two schemas, both documents, and the direction of the data flow. */
export interface SchemaComparisonInput {
  base: OpenApiDocument;
  revision: OpenApiDocument;
  baseSchema: { value: unknown; file: string; pointer: string };
  revisionSchema: { value: unknown; file: string; pointer: string };
  direction: DataDirection;
  context: SchemaContext;
  /** The media type of a body (the comparator treats text and JSON representations differently). */
  mediaType?: string;
}

/** Compares two schemas pairwise (implemented in `schema/compare.ts`). */
export type SchemaComparator = (input: SchemaComparisonInput) => SchemaChange[];

/** Something present on both sides. */
export interface Pair<T> {
  base: T;
  revision: T;
}

/** Elements of one kind matched between base and revision. */
export interface Matched<T> {
  added: T[];
  removed: T[];
  matched: Array<Pair<T>>;
}

/** A parameter of an operation (path-level parameters merged in, operation-level ones winning). */
export interface ParameterEntry extends Resolved<JsonObject> {
  /** Match key: `in:name` (header names lower-cased; path parameters by position in the template). */
  key: string;
  in: string;
  name: string;
  /** Declared on the path item (shared by all its operations) or on the operation itself. */
  level: 'path' | 'operation';
  required: boolean;
}

/** A schema found somewhere in an operation. */
export type SchemaSlot = Resolved<unknown>;

/** One media type of a body. */
export interface MediaTypeEntry extends Resolved<JsonObject> {
  name: string;
  schema?: SchemaSlot;
}

/** A request body. */
export interface RequestBodyEntry extends Resolved<JsonObject> {
  required: boolean;
  content: MediaTypeEntry[];
}

/** A response header. */
export interface HeaderEntry extends Resolved<JsonObject> {
  name: string;
  required: boolean;
  schema?: SchemaSlot;
}

/** One response of an operation, by status code (or `default`, `2XX`). */
export interface ResponseEntry extends Resolved<JsonObject> {
  status: string;
  content: MediaTypeEntry[];
  headers: HeaderEntry[];
}

/** A security requirement: the schemes it names (all needed together) and each one's scopes. */
export interface SecurityRequirementEntry {
  /** Sorted scheme names joined with `+`: the identity used to match requirements. */
  key: string;
  schemes: Record<string, string[]>;
  pointer: string;
}

/** One operation of a document. */
export interface OperationEntry extends Resolved<JsonObject> {
  /** Upper-case HTTP method. */
  method: string;
  /** The path template as written (or `webhook:NAME` for a webhook). */
  path: string;
  kind: 'path' | 'webhook';
  /** `GET /orders/{id}`. */
  label: string;
  pathItem: Resolved<JsonObject>;
  parameters: ParameterEntry[];
  requestBody?: RequestBodyEntry;
  responses: ResponseEntry[];
  /** The operation's own `security`, when it declares one. */
  security?: SecurityRequirementEntry[];
}

/** Two media types matched by name (or by a compatible name: parameters, wildcards). */
export interface MediaTypePair extends Pair<MediaTypeEntry> {
  /** Set when the names differ: how the revision's name relates to the base's. */
  rename?: 'parameters-changed' | 'generalized' | 'specialized';
}

/** Media types of one body matched between the sides. */
export interface ContentComparison {
  added: MediaTypeEntry[];
  removed: MediaTypeEntry[];
  matched: MediaTypePair[];
}

/** A response present on both sides. */
export interface ResponsePair extends Pair<ResponseEntry> {
  content: ContentComparison;
  headers: Matched<HeaderEntry>;
}

/** An operation present on both sides, with everything inside it matched. */
export interface OperationPair extends Pair<OperationEntry> {
  /** The revision's label (the name users see now). */
  label: string;
  /** Parameters by (in, name); `moved` holds those whose name stayed but whose `in` changed (not in added/removed). */
  parameters: Matched<ParameterEntry> & { moved: Array<Pair<ParameterEntry>> };
  requestBody: { base?: RequestBodyEntry; revision?: RequestBodyEntry; content: ContentComparison };
  responses: Matched<ResponseEntry> & { matched: ResponsePair[] };
  /** False for a draft or alpha revision: such operations may change freely (oasdiff's default threshold). */
  reported: boolean;
  /** Schema changes inside this operation, in walk order (parameters, request body, responses). */
  schemaChanges: OperationSchemaChange[];
}

/** A schema change, with where in the operation it was found. */
export interface OperationSchemaChange extends SchemaChange {
  /** E.g. `query parameter 'limit'`, `request body (application/json)`, `response 200 (application/json)`. */
  where: string;
}

/** A path (or webhook) as a whole. */
export interface PathEntry extends Resolved<JsonObject> {
  path: string;
  kind: 'path' | 'webhook';
  operations: OperationEntry[];
}

/** A named component (security scheme, schema). */
export interface ComponentEntry extends Resolved<unknown> {
  name: string;
}

/** The whole comparison of two documents. */
export interface ContractComparison {
  base: OpenApiDocument;
  revision: OpenApiDocument;
  /** Today, for sunset decisions. */
  now: Date;
  paths: Matched<PathEntry>;
  webhooks: Matched<PathEntry>;
  /** Operations removed from paths (or webhooks) that still exist. */
  removedOperations: OperationEntry[];
  addedOperations: OperationEntry[];
  /** Every operation present on both sides (paths and webhooks). */
  operations: OperationPair[];
  globalSecurity: { base: SecurityRequirementEntry[]; revision: SecurityRequirementEntry[] };
  securitySchemes: Matched<ComponentEntry>;
  schemas: Matched<ComponentEntry>;
}
