/** Checks an upstream response against an operation's declared responses: status, media type, body (response path). */
import type { ValidateFunction } from 'ajv';
import type { ResponseCheck, Violation } from './types.js';
import { isJsonMediaType, mediaTypeEssence, type MediaTypeTable } from './media-type.js';
import { appendAjvErrors, summarise } from './violations.js';
import { findDuplicateKey } from './json-duplicate-keys.js';
import { escapeToken } from '../json-pointer.js';

/** One declared response media type and the validator of its (JSON) bodies. */
export interface ResponseMedia {
  declared: string;
  validate: ValidateFunction | undefined;
}

/** One entry of `responses`: its key as written, and its media types (undefined: no body declared). */
export interface ResponseRule {
  statusKey: string;
  media: MediaTypeTable<ResponseMedia> | undefined;
}

/** The declared responses of an operation, indexed for lookup by status. */
export interface ResponseRules {
  exact: ReadonlyMap<number, ResponseRule>;
  /** Index 1-5: the `1XX`…`5XX` range entries. */
  ranges: ReadonlyArray<ResponseRule | undefined>;
  fallback: ResponseRule | undefined;
  /** The declared keys, for messages. */
  declared: readonly string[];
}

const OK: ResponseCheck = Object.freeze({ ok: true });

/** The response half of a compiled operation. */
export class ResponseValidator {
  private readonly rules: ResponseRules;

  constructor(rules: ResponseRules) {
    this.rules = rules;
  }

  /**
   * The most specific entry for the status wins (exact, then `4XX`, then `default`). An empty body
   * without a Content-Type is accepted: a contract cannot require a response body.
   */
  check(status: number, contentType: string | undefined, body: Buffer): ResponseCheck {
    const rules = this.rules;
    const rule = rules.exact.get(status) ?? rules.ranges[Math.floor(status / 100)] ?? rules.fallback;
    if (!rule) {
      return fail([{ pointer: '/status', message: `status ${status} is not declared (declared: ${rules.declared.join(', ')})`, keyword: 'status' }]);
    }
    if (!rule.media) {
      if (body.length === 0) return OK;
      return fail([{ pointer: '/body', message: `response ${rule.statusKey} declares no body, got ${body.length} bytes`, keyword: 'mediaType' }]);
    }
    if (body.length === 0 && !contentType) return OK;
    const essence = mediaTypeEssence(contentType);
    const media = rule.media.match(essence);
    if (!media) {
      const declared = rule.media.declared.join(', ');
      const message = contentType
        ? `media type "${contentType}" is not declared for response ${rule.statusKey} (declared: ${declared})`
        : `content-type is missing (declared for response ${rule.statusKey}: ${declared})`;
      return fail([{ pointer: '/headers/content-type', message, keyword: 'mediaType' }]);
    }
    if (!media.validate || !isJsonMediaType(essence)) return OK;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return fail([{ pointer: '/body', message: `body is not valid JSON: ${(error as Error).message}`, keyword: 'parse' }]);
    }
    // A repeated member means one value to this check (the last) and another to a first-wins client.
    const repeated = findDuplicateKey(body);
    if (repeated) {
      let pointer = '/body';
      for (const token of repeated) pointer += `/${escapeToken(String(token))}`;
      return fail([{ pointer, message: 'member name appears more than once in its object', keyword: 'duplicate' }]);
    }
    if (media.validate(parsed)) return OK;
    const violations: Violation[] = [];
    appendAjvErrors(media.validate.errors, '/body', violations);
    return fail(violations);
  }
}

function fail(violations: Violation[]): ResponseCheck {
  return { ok: false, violations, detail: summarise(violations, 'response') };
}
