/** The coded rejections of JWT authentication, each with its RFC 6750 `WWW-Authenticate` challenge. */
import { GatewayError } from '../../../errors/problem.js';

/** The realm named in every challenge. */
export const REALM = 'accord';

/**
 * Makes text safe inside a quoted auth-param: RFC 6750 §3 allows %x20-21 / %x23-5B / %x5D-7E
 * in error_description and scope, so quotes, backslashes, controls (a header-injection
 * vector) and non-ASCII are replaced.
 */
function headerSafe(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?');
}

/**
 * Quotes a value taken from an unverified token for a detail message: shortened, and limited
 * to printable ASCII so neither a log line nor a header can be forged through it.
 */
export function quoteUntrusted(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `'${short.replace(/[^\x20-\x7e]|['"\\]/g, '?')}'`;
}

/** 401 AUTH_TOKEN_MISSING: no Bearer credentials, so per RFC 6750 §3.1 the challenge carries no error. */
export function tokenMissing(detail: string): GatewayError {
  return new GatewayError('AUTH_TOKEN_MISSING', detail, {
    headers: { 'www-authenticate': `Bearer realm="${REALM}"` },
  });
}

/** 401 AUTH_TOKEN_INVALID with error="invalid_token". */
export function tokenInvalid(detail: string): GatewayError {
  return new GatewayError('AUTH_TOKEN_INVALID', detail, {
    headers: { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${headerSafe(detail)}"` },
  });
}

/** 401 AUTH_TOKEN_EXPIRED, still error="invalid_token" on the wire (RFC 6750 has no finer code). */
export function tokenExpired(detail: string): GatewayError {
  return new GatewayError('AUTH_TOKEN_EXPIRED', detail, {
    headers: { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${headerSafe(detail)}"` },
  });
}

/** 403 AUTH_SCOPE_INSUFFICIENT with error="insufficient_scope" and the scopes that would do. */
export function scopeInsufficient(detail: string, scopes: readonly string[]): GatewayError {
  return new GatewayError('AUTH_SCOPE_INSUFFICIENT', detail, {
    headers: {
      'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${headerSafe(scopes.join(' '))}", error_description="${headerSafe(detail)}"`,
    },
  });
}

/**
 * 503 SERVICE_UNAVAILABLE: the provider's keys have never been obtained, so no token of it can
 * be judged. Not a 401: the caller's token may be fine, and a 401 would make clients throw
 * good tokens away.
 */
export function keysUnavailable(providerId: string, retryAfterSeconds: number): GatewayError {
  return new GatewayError('SERVICE_UNAVAILABLE', `signing keys of identity provider '${providerId}' are not available yet`, {
    headers: { 'retry-after': String(Math.max(1, retryAfterSeconds)) },
  });
}
