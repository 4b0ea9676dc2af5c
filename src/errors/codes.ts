/** The one catalogue of gateway error codes: code -> HTTP status and title. Codes are added, never renamed. */

export const ERROR_CATALOGUE = {
  ROUTE_NOT_FOUND: { status: 404, title: 'No route matches this request' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed on this path' },
  AUTH_TOKEN_MISSING: { status: 401, title: 'Bearer token missing' },
  AUTH_TOKEN_INVALID: { status: 401, title: 'Bearer token invalid' },
  AUTH_TOKEN_EXPIRED: { status: 401, title: 'Bearer token expired' },
  AUTH_KEY_MISSING: { status: 401, title: 'API key or credentials missing' },
  AUTH_KEY_INVALID: { status: 401, title: 'API key or credentials invalid' },
  AUTH_SCOPE_INSUFFICIENT: { status: 403, title: 'Token lacks a required scope' },
  CONSUMER_NOT_ENTITLED: { status: 403, title: 'Consumer not entitled to this API' },
  MTLS_CERT_REQUIRED: { status: 401, title: 'Client certificate required' },
  MTLS_CERT_NOT_ALLOWED: { status: 403, title: 'Client certificate not allowed' },
  IP_NOT_ALLOWED: { status: 403, title: 'Client address not allowed' },
  RATE_LIMITED: { status: 429, title: 'Rate limit exceeded' },
  QUOTA_EXCEEDED: { status: 429, title: 'Quota exceeded' },
  REQUEST_INVALID: { status: 400, title: 'Request does not match the contract' },
  REQUEST_MALFORMED: { status: 400, title: 'Request cannot be parsed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  VERSION_RETIRED: { status: 410, title: 'API version retired' },
  RESPONSE_INVALID: { status: 502, title: 'Upstream response does not match the contract' },
  UPSTREAM_UNAVAILABLE: { status: 502, title: 'Upstream unavailable' },
  UPSTREAM_INVALID_RESPONSE: { status: 502, title: 'Upstream response cannot be relayed' },
  UPSTREAM_TIMEOUT: { status: 504, title: 'Upstream timed out' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Gateway not ready' },
  INTERNAL_ERROR: { status: 500, title: 'Internal gateway error' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request not received in time' },
  VERSION_CONFLICT: { status: 409, title: 'Contract version already registered with other content' },
  VERSION_NOT_FOUND: { status: 404, title: 'Contract version not registered' },
  GOVERNANCE_REJECTED: { status: 422, title: 'Contract version rejected by governance' },
  CONTRACT_UNUSABLE: { status: 400, title: 'Contract document cannot be used' },
  LIFECYCLE_CONFLICT: { status: 409, title: 'Contract version is not in a state that allows this change' },
  API_NOT_OWNED: { status: 403, title: 'Caller does not own this API' },
  API_KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  VERSION_IN_USE: { status: 409, title: 'Contract version still called by consumers' },
  IDEMPOTENCY_KEY_MISSING: { status: 400, title: 'Idempotency-Key header required' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'Idempotency-Key header malformed' },
  IDEMPOTENCY_KEY_MISMATCH: { status: 422, title: 'Idempotency-Key already used for a different request' },
  IDEMPOTENCY_KEY_IN_FLIGHT: { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  IDEMPOTENCY_KEY_COMPLETED: { status: 409, title: 'A request with this Idempotency-Key completed but cannot be replayed' },
  IDEMPOTENCY_STORE_UNAVAILABLE: { status: 503, title: 'Idempotency key store unavailable' },
  BREAKING_CHANGE_IN_USE: { status: 422, title: 'Breaking change used by consumers' },
  BREAKING_CHANGE_UNPROVEN: { status: 422, title: 'Breaking change not proven unused' },
} as const satisfies Record<string, { status: number; title: string }>;

/** A stable error code of the gateway's HTTP contract. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Base URI of the `type` member of problem documents; the README's table of error codes describes each. */
export const PROBLEM_TYPE_BASE = 'https://accord.dev/problems/';

/** The `type` URI for a code, e.g. `https://accord.dev/problems/route-not-found`. */
export function problemType(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}

/** True when a string is one of the catalogued codes. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}
