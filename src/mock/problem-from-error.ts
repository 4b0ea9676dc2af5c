/** Maps what can go wrong while the mock serves a request to the gateway's coded problem documents. */
import { GatewayError, type ProblemViolation } from '../errors/problem.js';
import { isObject } from '../contracts/openapi-document.js';
import { PreferenceError } from './prefer-header.js';
import { MockGenerationError } from './choose-response.js';

/** The request line, for problem details. */
export interface RequestLine {
  method: string;
  path: string;
  /** The request's Content-Type header, if any. */
  contentType: string | undefined;
  /** True when the request carried a body (a length above 0, or chunked). */
  hasBody: boolean;
}

/**
 * The gateway's pointer for a validator path: express-openapi-validator says `/params/…` for path
 * parameters, the gateway's problems (and the README) `/path/…`.
 */
function gatewayPointer(path: string): string {
  return path.startsWith('/params/') ? `/path/${path.slice('/params/'.length)}` : path;
}

function violationsOf(errors: unknown): ProblemViolation[] {
  if (!Array.isArray(errors)) return [];
  return errors.filter(isObject).map((e) => {
    const violation: ProblemViolation = { pointer: gatewayPointer(String(e.path ?? '')), message: String(e.message ?? '') };
    // errorCode looks like `minimum.openapi.validation`: its first part is the JSON Schema keyword.
    if (typeof e.errorCode === 'string') violation.keyword = e.errorCode.split('.')[0];
    return violation;
  });
}

function fromBodyParser(type: string, error: JsonError): GatewayError | undefined {
  if (type === 'entity.parse.failed') return new GatewayError('REQUEST_MALFORMED', 'The request body is not valid JSON.', { errors: [{ pointer: '/body', message: error.message }] });
  if (type === 'entity.too.large') return new GatewayError('PAYLOAD_TOO_LARGE', 'The request body is larger than the mock accepts.');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new GatewayError('UNSUPPORTED_MEDIA_TYPE', error.message);
  return undefined;
}

type JsonError = Error & { status?: unknown; type?: unknown; errors?: unknown; headers?: unknown };

/**
 * Turns an error raised while serving into a GatewayError: body-parser failures, the errors of
 * express-openapi-validator (`status`, `errors[]` of `{path, message, errorCode}`, `headers.Allow`
 * on 405), an unusable Prefer header, and a value the mock could not generate.
 */
export function problemFromError(error: unknown, request: RequestLine): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof PreferenceError) return new GatewayError('REQUEST_INVALID', 'The Prefer header asks for an answer the contract does not declare.', { errors: [{ pointer: '/headers/prefer', message: error.message }] });
  if (error instanceof MockGenerationError) return new GatewayError('INTERNAL_ERROR', error.message);
  if (!(error instanceof Error)) return new GatewayError('INTERNAL_ERROR', 'The mock failed.');
  const e = error as JsonError;
  if (typeof e.type === 'string') {
    const mapped = fromBodyParser(e.type, e);
    if (mapped) return mapped;
  }
  const status = typeof e.status === 'number' ? e.status : 500;
  switch (status) {
    case 400:
      return new GatewayError('REQUEST_INVALID', 'The request does not match the contract.', { errors: violationsOf(e.errors) });
    case 404:
      return new GatewayError('ROUTE_NOT_FOUND', `${request.method} ${request.path} is not an operation of this contract.`);
    case 405: {
      // The validator lists methods in its own route-map order; sorted, the header is stable across contract edits.
      const declared = isObject(e.headers) && typeof e.headers.Allow === 'string' ? e.headers.Allow.split(',') : [];
      const methods = new Set(declared.map((m) => m.trim().toUpperCase()).filter((m) => m !== ''));
      // As the gateway: HEAD is served by the GET operation of the path.
      if (methods.has('GET')) methods.add('HEAD');
      const allow = [...methods].sort().join(', ');
      return new GatewayError('METHOD_NOT_ALLOWED', `${request.method} is not declared for ${request.path}.`, { headers: { allow } });
    }
    case 413:
      return new GatewayError('PAYLOAD_TOO_LARGE', e.message);
    case 415: {
      // No body at all where one is required: the gateway's answer, 400 with the pointer /body.
      if (!request.hasBody && !request.contentType) {
        return new GatewayError('REQUEST_INVALID', 'request does not match the contract: /body request body is required', { errors: [{ pointer: '/body', message: 'request body is required', keyword: 'required' }] });
      }
      const detail = request.contentType ? `Content-Type ${request.contentType} is not declared for ${request.method} ${request.path}.` : `${request.method} ${request.path} needs a body with a Content-Type.`;
      return new GatewayError('UNSUPPORTED_MEDIA_TYPE', detail, { errors: [{ pointer: '/headers/content-type', message: e.message }] });
    }
    default:
      // A spec the validator cannot compile fails here at request time; its message helps the contract author.
      if (status >= 500) return new GatewayError('INTERNAL_ERROR', `The mock cannot serve this operation: ${e.message}`);
      return new GatewayError('REQUEST_INVALID', e.message, { status });
  }
}
