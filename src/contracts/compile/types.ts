/** The shapes the route table and the pipeline use to call an operation's compiled validators. */
import type { IncomingHttpHeaders } from 'node:http';
import type { ProblemViolation } from '../../errors/problem.js';
import type { EnumSite } from './enum-sites.js';
import type { SensitiveFields } from './sensitive-fields.js';

/** The parts of one request that the contract constrains. */
export interface RequestParts {
  /**
   * Path parameters by name, as they appear in the URL (still percent-encoded): the validator splits
   * them by their style (`a,b`, `.a.b`, `;x=a`) before decoding, so an encoded `%2C` stays a comma.
   */
  pathParams: Record<string, string>;
  /** The query string without its leading `?` (empty string when there is none). */
  rawQuery: string;
  /** Request headers as node delivers them (lower-case names). */
  headers: IncomingHttpHeaders;
  /** The buffered request body; `undefined` or empty when the request has none. */
  body: Buffer | undefined;
}

/** One way the request or response breaks the contract, addressed by a JSON pointer into it. */
export type Violation = ProblemViolation;

/** Outcome of {@link CompiledOperation.checkRequest}. */
export type RequestCheck =
  | { ok: true; /** The parsed body (JSON value or form fields) when there was one to parse. */ body?: unknown }
  | {
      ok: false;
      code: 'REQUEST_INVALID' | 'UNSUPPORTED_MEDIA_TYPE' | 'REQUEST_MALFORMED';
      violations: Violation[];
      detail: string;
    };

/** Outcome of {@link CompiledOperation.checkResponse}. */
export type ResponseCheck = { ok: true } | { ok: false; violations: Violation[]; detail: string };

/** One scheme of a security requirement, with the scopes it needs (empty for non-OAuth schemes). */
export interface SecuritySchemeRequirement {
  scheme: string;
  /** The scheme's `type`: `http`, `apiKey`, `oauth2`, `openIdConnect` or `mutualTLS`. */
  type: string;
  /** For `type: http`, its `scheme` lower-cased (`bearer`, `basic`…); '' otherwise. */
  httpScheme: string;
  /** For `type: apiKey`, where the key goes (`header`, `query` or `cookie`) and its name; undefined otherwise or when the scheme lacks a usable one. */
  apiKey?: { in: 'header' | 'query' | 'cookie'; name: string };
  scopes: readonly string[];
  /** Where the requirement names the scheme, for load errors (the line only for schemes the gateway does not enforce). */
  location: { file: string; pointer: string; line: number | undefined };
}

/** What happens to query parameters an operation does not declare: ignored and forwarded, or refused. */
export type UndeclaredParameters = 'allow' | 'refuse';

/** Alternatives (any one suffices) of requirement sets (all schemes of a set are needed). */
export type SecurityRequirements = ReadonlyArray<ReadonlyArray<SecuritySchemeRequirement>>;

/** An `x-accord-` extension of an operation object, with where it is written (for load errors). */
export interface OperationExtension {
  readonly value: unknown;
  readonly file: string;
  readonly pointer: string;
  readonly line: number | undefined;
  /** The line of a pointer inside the extension's file (for errors deeper in its value). */
  lineOf(pointer: string): number | undefined;
}

/** A declared parameter: where it is read from and its name (lower-cased for headers). */
export interface DeclaredParameter {
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly name: string;
  /** For an exploded `form` object in the query: the member names sent as keys of their own. */
  readonly members?: readonly string[];
  /** `deepObject` style: sent as `name[member]` keys. */
  readonly deep?: boolean;
}

/** One operation of a contract with every validator compiled at load. */
export interface CompiledOperation {
  /** Upper-case HTTP method. */
  method: string;
  /** The path key of the contract, e.g. `/orders/{orderId}`. */
  pathTemplate: string;
  operationId?: string;
  deprecated: boolean;
  /** Operation-level `security`, else the document's; `[]` = none required; undefined = not declared. */
  security: SecurityRequirements | undefined;
  /** Media types the request body may use, as declared (wildcards included). */
  requestMediaTypes: readonly string[];
  requestBodyRequired: boolean;
  /** True when some request media type has a schema that bodies are validated against. */
  hasBodyValidation: boolean;
  /** The operation's `x-accord-` extensions by name (policies read and check their own). */
  extensions: ReadonlyMap<string, OperationExtension>;
  /** The parameters the operation declares (path-level ones included); header names lower-cased. */
  parameters: ReadonlyArray<DeclaredParameter>;
  /** Request parameters and body pointers whose schema restricts them to an `enum` (usage records capture the values sent there). */
  enumSites: ReadonlyArray<EnumSite>;
  /** Validates parameters and body; parses nothing but this request's own data. */
  checkRequest(parts: RequestParts): RequestCheck;
  /**
   * Only the rules about the body that hold even when the contract is not checked (part of
   * checkRequest): no body on an operation that declares none, no `Content-Encoding`. Undefined
   * when the request keeps them.
   */
  checkFraming(parts: RequestParts): RequestCheck | undefined;
  /** Validates an upstream response: declared status, declared media type, body against its schema. */
  checkResponse(status: number, contentType: string | undefined, body: Buffer): ResponseCheck;
  /** JSON pointers of the fields the contract marks sensitive, in the request body and per response (payload excerpts mask them); set when compiled with `sensitiveFields`. */
  sensitiveFields?: SensitiveFields;
}

/** Every operation of one contract, and what loading noticed without refusing the contract. */
export interface CompiledContract {
  operations: CompiledOperation[];
  /** `file:line (#pointer): message` lines, e.g. unknown formats that are not checked. */
  warnings: string[];
}

/** Options of {@link compileContract}. */
export interface CompileOptions {
  /**
   * Find the fields the contract marks sensitive (`sensitiveFields` of each operation; default
   * false): only APIs with payload excerpts need them, so other contracts pay nothing at load.
   */
  sensitiveFields?: boolean;
  /**
   * Convert parameter and form-field strings to the integer, number or boolean their schema asks
   * for before validating (default true). False validates every such value as the string it is.
   */
  coerceTypes?: boolean;
  /**
   * Query parameters the operation does not declare (default `allow`): `refuse` answers them with
   * REQUEST_INVALID. Case variants and bracket forms of declared names are refused either way.
   */
  undeclaredParameters?: UndeclaredParameters;
  /**
   * Find each operation's enum-restricted request places (`enumSites`, for usage records; default
   * false: a walk of every request schema that only usage recording needs, so it costs nothing when off).
   */
  enumSites?: boolean;
}
