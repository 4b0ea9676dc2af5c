/**
 * Validates admin requests against the admin API's own OpenAPI document with the validators the
 * data plane compiles for partner contracts (compileContract), so the admin API keeps the same
 * promises it enforces for others: 400 REQUEST_INVALID with a pointer per violation, 415, 413.
 */
import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { GatewayError } from '../errors/problem.js';
import { loadOpenApi } from '../contracts/openapi-document.js';
import { compileContract, type CompiledOperation } from '../contracts/compile/index.js';
import { hasBody, readBody } from '../gateway/pipeline/read-body.js';
import { ADMIN_OPENAPI_FILE, ADMIN_OPENAPI_TEXT } from './admin-openapi.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from './schema.js';

/** Largest JSON body of the routes other than registration (key and deprecation requests are tiny). */
const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Operations whose body the route reads as the text sent (the registry stores and hashes those bytes). */
const TEXT_BODY_OPERATIONS: ReadonlySet<string> = new Set(['registerVersion', 'proposeImpact']);

/** One operation of the admin document, with its path template as a matcher. */
interface AdminOperation {
  readonly op: CompiledOperation;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** An admin request routed to its operation. */
export interface AdminOperationMatch {
  readonly op: CompiledOperation;
  /** Path parameters as they appear in the URL (percent-encoded), as the compiled check wants them. */
  readonly pathParams: Record<string, string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The admin document compiled once; `middleware` checks each request that one of its operations describes. */
export class AdminRequestValidator {
  private readonly operations: AdminOperation[];
  private readonly maxDocumentBytes: () => number;

  constructor(options: { maxDocumentBytes?: () => number } = {}) {
    this.maxDocumentBytes = options.maxDocumentBytes ?? (() => DEFAULT_MAX_DOCUMENT_BYTES);
    const doc = loadOpenApi(ADMIN_OPENAPI_FILE, {
      text: ADMIN_OPENAPI_TEXT,
      reader: () => {
        throw new TypeError('the admin OpenAPI document refers to no other file');
      },
    });
    // Unknown query parameters are refused: the admin API has few, and a typo (`?apii=`) should not widen a filter silently.
    const compiled = compileContract(doc, { undeclaredParameters: 'refuse' });
    this.operations = compiled.operations.map((op) => {
      const names: string[] = [];
      const source = op.pathTemplate
        .split(/(\{[^}]+\})/)
        .map((part) => {
          if (!part.startsWith('{')) return escapeRegExp(part);
          names.push(part.slice(1, -1));
          return '([^/]+)';
        })
        .join('');
      return { op, pattern: new RegExp(`^${source}$`), names };
    });
    // Literal templates before templated ones, so that a literal segment wins over a parameter.
    this.operations.sort((a, b) => a.names.length - b.names.length);
  }

  /** Every operation, for the test that keeps the document and the mounted routes in step. */
  get described(): ReadonlyArray<{ method: string; path: string }> {
    return this.operations.map(({ op }) => ({ method: op.method, path: op.pathTemplate }));
  }

  /** The operation describing this request; undefined when none does (the router answers 404). */
  match(method: string, path: string): AdminOperationMatch | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const { op, pattern, names } of this.operations) {
      if (op.method !== wanted) continue;
      const m = pattern.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      names.forEach((name, i) => {
        pathParams[name] = m[i + 1]!;
      });
      return { op, pathParams };
    }
    return undefined;
  }

  /**
   * Checks parameters and body; on success leaves the body on `req.body` (the parsed JSON, or the
   * text for a registration) so that the routes' own body parsers find the stream consumed.
   */
  async check(req: Request, res: Response): Promise<void> {
    const url = req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const found = this.match(req.method, path);
    if (!found) return;
    const { op, pathParams } = found;
    const isText = op.operationId !== undefined && TEXT_BODY_OPERATIONS.has(op.operationId);
    let body: Buffer | undefined;
    if (hasBody(req)) body = await readBody(req, isText ? this.maxDocumentBytes() : MAX_JSON_BODY_BYTES, res);
    const verdict = op.checkRequest({ pathParams, rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body });
    if (!verdict.ok) throw new GatewayError(verdict.code, verdict.detail, { errors: verdict.violations });
    if (body === undefined || body.length === 0) return;
    if (isText) {
      if (!isUtf8(body)) throw new GatewayError('REQUEST_MALFORMED', 'the document is not valid UTF-8', { errors: [{ pointer: '/body', message: 'is not valid UTF-8' }] });
      req.body = body.toString('utf8');
    } else req.body = verdict.body;
  }

  /** Express middleware around `check`. */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      this.check(req, res).then(() => next(), next);
    };
  }
}
