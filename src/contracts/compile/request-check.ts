/** Checks one request against an operation's compiled rules: media type, parameters, body (request path). */
import { isUtf8 } from 'node:buffer';
import type { ValidateFunction } from 'ajv';
import type { RequestCheck, RequestParts, UndeclaredParameters, Violation } from './types.js';
import type { ParameterGroup, ParameterPlan } from './parameter-plan.js';
import { ABSENT, decodeParameter, parseCookies, setOwn, type ParameterSources } from './parameter-decode.js';
import { hasForeignCharset, isFormMediaType, isJsonMediaType, isMultipartMediaType, mediaTypeEssence, type MediaTypeTable } from './media-type.js';
import { parseFormBody, type FormRules } from './form-body.js';
import { boundaryOf, parseMultipartBody } from './multipart-body.js';
import { findDuplicateKey } from './json-duplicate-keys.js';
import { escapeToken } from '../json-pointer.js';
import { appendAjvErrors, summarise } from './violations.js';

/** One declared request media type: the validator for JSON/form bodies, and how to read form fields. */
export interface BodyMedia {
  declared: string;
  validate: ValidateFunction | undefined;
  form: FormRules;
}

/** The request body rules of an operation. */
export interface BodyRules {
  required: boolean;
  media: MediaTypeTable<BodyMedia>;
}

/** The parameter rules of an operation: how to read each one, and one validator for all of them. */
export interface ParameterRules {
  plans: readonly ParameterPlan[];
  /** Groups that have parameters, in pointer order (path, query, headers, cookies). */
  groups: readonly ParameterGroup[];
  validate: ValidateFunction;
}

/** The query names an operation declares, looked up for every query key of a request. */
export interface QueryNames {
  /** Names read as they are: parameters, and the members of exploded `form` objects. */
  exact: ReadonlySet<string>;
  /** Names of `deepObject` parameters, whose keys are `name[member]`. */
  deep: ReadonlySet<string>;
  /** Lower-cased declared name -> declared name, to catch case variants. */
  lower: ReadonlyMap<string, string>;
  undeclared: UndeclaredParameters;
}

const OK: RequestCheck = Object.freeze({ ok: true });

/**
 * The request half of a compiled operation. Everything here was built at load; a check parses only
 * the request's own query, cookies and body, and calls at most two compiled validators.
 */
export class RequestValidator {
  private readonly parameters: ParameterRules | undefined;
  private readonly body: BodyRules | undefined;
  private readonly queryNames: QueryNames;
  /** The query is parsed when a parameter is read from it or its keys are checked against the declared names. */
  private readonly readsQuery: boolean;
  private readonly readsCookies: boolean;

  constructor(parameters: ParameterRules | undefined, body: BodyRules | undefined, queryNames: QueryNames) {
    this.parameters = parameters;
    this.body = body;
    this.queryNames = queryNames;
    this.readsQuery = (parameters?.groups.includes('query') ?? false) || queryNames.undeclared === 'refuse';
    this.readsCookies = parameters?.groups.includes('cookies') ?? false;
  }

  /**
   * Framing first (the cheapest rejections): a body on an operation that declares none, an encoded
   * body, a media type or charset the contract does not take (415). Then every parameter and body
   * violation together. A body that cannot be read (JSON that does not parse, is not UTF-8 or
   * repeats a member name; broken multipart) is REQUEST_MALFORMED, with the parameter violations
   * found before it.
   */
  check(parts: RequestParts): RequestCheck {
    const body = parts.body;
    const hasBody = body !== undefined && body.length > 0;
    let media: BodyMedia | undefined;
    let essence = '';
    if (hasBody) {
      const framing = this.checkFraming(parts);
      if (framing !== undefined) return framing;
      const contentType = parts.headers['content-type'];
      essence = mediaTypeEssence(contentType);
      media = this.body!.media.match(essence);
      if (!media) return unsupported(contentType, this.body!.media.declared);
      if ((isJsonMediaType(essence) || isFormMediaType(essence)) && hasForeignCharset(contentType!)) {
        return refused('UNSUPPORTED_MEDIA_TYPE', '/headers/content-type', `charset of "${contentType!}" is not accepted (bodies are UTF-8)`, 'mediaType');
      }
    }
    const violations: Violation[] = [];
    if (parts.rawQuery.indexOf(';') >= 0) {
      return refused('REQUEST_MALFORMED', '/query', 'must not contain ";" (some servers split parameters on it); send it as %3B', 'parse');
    }
    if (this.parameters || this.readsQuery) this.checkParameters(parts, violations);
    let parsed: unknown;
    if (this.body) {
      if (!hasBody) {
        if (this.body.required) violations.push({ pointer: '/body', message: 'request body is required', keyword: 'required' });
      } else if (media && isJsonMediaType(essence)) {
        if (!isUtf8(body)) return malformed(violations, '/body', 'body is not valid UTF-8', 'parse');
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (error) {
          return malformed(violations, '/body', `body is not valid JSON: ${(error as Error).message}`, 'parse');
        }
        const repeated = findDuplicateKey(body);
        if (repeated) return malformed(violations, pointerOf('/body', repeated), 'member name appears more than once in its object', 'duplicate');
        if (media.validate && !media.validate(parsed)) appendAjvErrors(media.validate.errors, '/body', violations);
      } else if (media && isFormMediaType(essence)) {
        if (!isUtf8(body)) return malformed(violations, '/body', 'body is not valid UTF-8', 'parse');
        parsed = parseFormBody(body, media.form, violations);
        if (media.validate && !media.validate(parsed)) appendAjvErrors(media.validate.errors, '/body', violations);
      } else if (media && isMultipartMediaType(essence)) {
        const boundary = boundaryOf(parts.headers['content-type']);
        if (boundary === undefined) return malformed(violations, '/headers/content-type', 'multipart body without a boundary parameter', 'parse');
        const fields = parseMultipartBody(body, boundary, media.form, violations);
        if (typeof fields === 'string') return malformed(violations, '/body', `body is not valid multipart/form-data: ${fields}`, 'parse');
        parsed = fields;
        if (media.validate && !media.validate(parsed)) appendAjvErrors(media.validate.errors, '/body', violations);
      }
    }
    if (violations.length > 0) return { ok: false, code: 'REQUEST_INVALID', violations, detail: summarise(violations, 'request') };
    return parsed === undefined ? OK : { ok: true, body: parsed };
  }

  /**
   * The rules about a request's body that hold whatever the contract says of it: an operation that
   * declares no request body takes none (frameworks that merge a body into the parameters would
   * read values the validation never saw), and a body is sent as it was validated, not encoded
   * (`Content-Encoding` other than `identity`). Undefined when the request keeps them.
   */
  checkFraming(parts: RequestParts): RequestCheck | undefined {
    const body = parts.body;
    if (body === undefined || body.length === 0) return undefined;
    if (!this.body) return refused('REQUEST_INVALID', '/body', 'this operation takes no request body', 'requestBody');
    const encoding = parts.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return refused('UNSUPPORTED_MEDIA_TYPE', '/headers/content-encoding', `content-encoding "${encoding}" is not accepted (bodies are validated and forwarded as sent)`, 'mediaType');
    }
    return undefined;
  }

  private checkParameters(parts: RequestParts, violations: Violation[]): void {
    const query = this.readsQuery && parts.rawQuery !== '' ? new URLSearchParams(parts.rawQuery) : undefined;
    if (query) this.checkQueryNames(query, violations);
    const rules = this.parameters;
    if (!rules) return;
    const sources: ParameterSources = {
      pathParams: parts.pathParams,
      query,
      headers: parts.headers,
      cookies: this.readsCookies ? parseCookies(parts.headers.cookie) : undefined,
    };
    const data: Record<string, Record<string, unknown>> = {};
    for (const group of rules.groups) data[group] = {};
    const before = violations.length;
    for (const plan of rules.plans) {
      const value = decodeParameter(plan, sources, violations);
      if (value !== ABSENT) setOwn(data[plan.group]!, plan.name, value);
    }
    if (rules.validate(data)) return;
    const decoded = violations.length;
    appendAjvErrors(rules.validate.errors, '', violations);
    if (decoded > before) dropRequiredAfterDecodeFailure(violations, before, decoded);
  }

  /**
   * Every query key is a declared name, a `deepObject` parameter's `name[member]`, or undeclared.
   * A bracketed form of a name declared otherwise (`limit[]`, `limit[$gt]`) and a case variant of a
   * declared name (`LIMIT`) are refused: qs-style and case-insensitive upstream parsers read them as
   * the declared parameter, with a value that was never validated. Other undeclared names are
   * refused when the API says so.
   */
  private checkQueryNames(query: URLSearchParams, violations: Violation[]): void {
    const names = this.queryNames;
    let seen: Set<string> | undefined;
    for (const key of query.keys()) {
      if (names.exact.has(key)) continue;
      const bracket = key.indexOf('[');
      const base = bracket > 0 ? key.slice(0, bracket) : key;
      if (bracket > 0 && names.deep.has(base)) continue;
      let message: string;
      const declared = names.exact.has(base) ? base : names.lower.get(base.toLowerCase());
      if (declared !== undefined && bracket > 0) message = `"${key}" is not accepted: "${declared}" is not a deepObject parameter`;
      else if (declared !== undefined) message = `"${key}" is not declared (the parameter is "${declared}"; names are case-sensitive)`;
      else if (names.undeclared === 'refuse') message = `"${key}" is not a parameter of this operation`;
      else continue;
      seen ??= new Set();
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({ pointer: `/query/${escapeToken(key)}`, message, keyword: 'undeclared' });
    }
  }
}

/** Builds the query names of an operation from its parameter plans (at load). */
export function queryNamesOf(plans: readonly ParameterPlan[], undeclared: UndeclaredParameters): QueryNames {
  const exact = new Set<string>();
  const deep = new Set<string>();
  const lower = new Map<string, string>();
  const add = (name: string): void => {
    exact.add(name);
    if (!lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), name);
  };
  for (const plan of plans) {
    if (plan.group !== 'query') continue;
    if (plan.style === 'deepObject') {
      // `name[member]=…`, and `name=…` alone for a value sent whole.
      deep.add(plan.name);
      add(plan.name);
    } else if (plan.style === 'form' && plan.explode && plan.shape.kind === 'object' && !plan.isJson) {
      for (const member of plan.shape.properties.keys()) add(member);
    } else {
      add(plan.name);
    }
  }
  return { exact, deep, lower, undeclared };
}

function pointerOf(prefix: string, path: ReadonlyArray<string | number>): string {
  let pointer = prefix;
  for (const token of path) pointer += `/${escapeToken(String(token))}`;
  return pointer;
}

function refused(code: 'REQUEST_INVALID' | 'UNSUPPORTED_MEDIA_TYPE' | 'REQUEST_MALFORMED', pointer: string, message: string, keyword: string): RequestCheck {
  return { ok: false, code, violations: [{ pointer, message, keyword }], detail: `${pointer.slice(1)}: ${message}` };
}

/** REQUEST_MALFORMED with the violations found so far; messages about the body read `body …`, and so does the detail. */
function malformed(violations: Violation[], pointer: string, message: string, keyword: string): RequestCheck {
  violations.push({ pointer, message, keyword });
  const detail = pointer === '/body' ? `request ${message}` : `request ${pointer.slice(1)}: ${message}`;
  return { ok: false, code: 'REQUEST_MALFORMED', violations, detail };
}

/** A parameter whose text broke its style was left out; it is not also "missing". */
function dropRequiredAfterDecodeFailure(violations: Violation[], from: number, to: number): void {
  const failed = new Set<string>();
  for (let i = from; i < to; i++) failed.add(violations[i]!.pointer);
  for (let i = violations.length - 1; i >= to; i--) {
    const violation = violations[i]!;
    if (violation.keyword === 'required' && failed.has(violation.pointer)) violations.splice(i, 1);
  }
}

function unsupported(contentType: string | string[] | undefined, declared: readonly string[]): RequestCheck {
  const allowed = declared.join(', ');
  const given = typeof contentType === 'string' && contentType.trim() !== '' ? contentType : undefined;
  const message = given ? `media type "${given}" is not accepted (allowed: ${allowed})` : `content-type is missing (allowed: ${allowed})`;
  return {
    ok: false,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    violations: [{ pointer: '/headers/content-type', message, keyword: 'mediaType' }],
    detail: given ? `media type "${given}" is not accepted; allowed: ${allowed}` : `request body without content-type; allowed: ${allowed}`,
  };
}
