/** The one writer of RFC 9457 problem+json responses; every rejection of the gateway goes through it. */
import type { ServerResponse } from 'node:http';
import { ERROR_CATALOGUE, problemType, type ErrorCode } from './codes.js';

/** One violation inside a REQUEST_INVALID problem; `pointer` is a JSON pointer into the request. */
export interface ProblemViolation {
  pointer: string;
  message: string;
  keyword?: string;
}

/** A coded rejection raised on the request path: untrusted input, never a programming error. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly errors: ProblemViolation[] | undefined;
  /** RFC 9457 extension members (e.g. `findings` of a governance rejection, `successor` of a 410). */
  readonly extensions: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { headers?: Record<string, string>; errors?: ProblemViolation[]; status?: number; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? ERROR_CATALOGUE[code].status;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
    this.extensions = options.extensions;
  }
}

/** The body of a problem document as sent on the wire. */
export interface ProblemDocument {
  [extension: string]: unknown;
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  errors?: ProblemViolation[];
}

/** Builds the problem document for an error; `instance` is the request id. */
export function toProblem(error: GatewayError, requestId: string): ProblemDocument {
  const problem: ProblemDocument = {
    // Extensions first: the standard members always win over an extension of the same name.
    ...error.extensions,
    type: problemType(error.code),
    title: ERROR_CATALOGUE[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: requestId,
  };
  if (error.errors) problem.errors = error.errors;
  return problem;
}

/**
 * Writes a problem response unless headers were already sent (then the socket is destroyed,
 * because a half-sent response cannot be turned into an error any more).
 */
export function writeProblem(res: ServerResponse, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(toProblem(error, requestId));
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.statusCode = error.status;
  res.setHeader('content-type', 'application/problem+json');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.setHeader('x-request-id', requestId);
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}
