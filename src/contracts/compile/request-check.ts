/** Checks one request against an operation's compiled rules: media type, parameters, body (request path). */
import type { ValidateFunction } from 'ajv';
import type { RequestCheck, RequestParts, Violation } from './types.js';
import type { ParameterGroup, ParameterPlan } from './parameter-plan.js';
import { ABSENT, decodeParameter, parseCookies, setOwn, type ParameterSources } from './parameter-decode.js';
import { isFormMediaType, isJsonMediaType, mediaTypeEssence, type MediaTypeTable } from './media-type.js';
import { parseFormBody, type FormRules } from './form-body.js';
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

const OK: RequestCheck = Object.freeze({ ok: true });

/**
 * The request half of a compiled operation. Everything here was built at load; a check parses only
 * the request's own query, cookies and body, and calls at most two compiled validators.
 */
export class RequestValidator {
  private readonly parameters: ParameterRules | undefined;
  private readonly body: BodyRules | undefined;
  private readonly readsQuery: boolean;
  private readonly readsCookies: boolean;

  constructor(parameters: ParameterRules | undefined, body: BodyRules | undefined) {
    this.parameters = parameters;
    this.body = body;
    this.readsQuery = parameters?.groups.includes('query') ?? false;
    this.readsCookies = parameters?.groups.includes('cookies') ?? false;
  }

  /**
   * The media type comes first (415, the cheapest rejection), then every parameter and body
   * violation together. A body that does not parse is REQUEST_MALFORMED, with the parameter
   * violations found before it.
   */
  check(parts: RequestParts): RequestCheck {
    const body = parts.body;
    const hasBody = body !== undefined && body.length > 0;
    let media: BodyMedia | undefined;
    let essence = '';
    if (this.body && hasBody) {
      const contentType = parts.headers['content-type'];
      essence = mediaTypeEssence(contentType);
      media = this.body.media.match(essence);
      if (!media) return unsupported(contentType, this.body.media.declared);
    }
    const violations: Violation[] = [];
    if (this.parameters) this.checkParameters(this.parameters, parts, violations);
    let parsed: unknown;
    if (this.body) {
      if (!hasBody) {
        if (this.body.required) violations.push({ pointer: '/body', message: 'request body is required', keyword: 'required' });
      } else if (media && isJsonMediaType(essence)) {
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (error) {
          violations.push({ pointer: '/body', message: `body is not valid JSON: ${(error as Error).message}`, keyword: 'parse' });
          return { ok: false, code: 'REQUEST_MALFORMED', violations, detail: `request body is not valid JSON: ${(error as Error).message}` };
        }
        if (media.validate && !media.validate(parsed)) appendAjvErrors(media.validate.errors, '/body', violations);
      } else if (media && isFormMediaType(essence)) {
        parsed = parseFormBody(body, media.form, violations);
        if (media.validate && !media.validate(parsed)) appendAjvErrors(media.validate.errors, '/body', violations);
      }
    }
    if (violations.length > 0) return { ok: false, code: 'REQUEST_INVALID', violations, detail: summarise(violations, 'request') };
    return parsed === undefined ? OK : { ok: true, body: parsed };
  }

  private checkParameters(rules: ParameterRules, parts: RequestParts, violations: Violation[]): void {
    const sources: ParameterSources = {
      pathParams: parts.pathParams,
      query: this.readsQuery && parts.rawQuery !== '' ? new URLSearchParams(parts.rawQuery) : undefined,
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
