/**
 * The coded rejections of API keys and basic credentials, each with the `WWW-Authenticate`
 * challenges of the schemes the operation accepts.
 */
import { GatewayError } from '../../../errors/problem.js';
import { REALM } from '../jwt-auth/bearer-errors.js';
import type { CredentialSource } from './credentials.js';

/**
 * The challenge of one credential source. Bearer follows RFC 6750 and Basic RFC 7617. An API
 * key has no registered HTTP authentication scheme, so Accord names its own, `ApiKey`, with
 * auth-params saying where the key goes and under which name, e.g.
 * `ApiKey realm="accord", in="header", name="X-Api-Key"`: a client (or a person) reading the
 * 401 learns what to send without opening the contract.
 */
export function challengeOf(source: CredentialSource): string {
  switch (source.kind) {
    case 'bearer':
      return `Bearer realm="${REALM}"`;
    case 'basic':
      return `Basic realm="${REALM}", charset="UTF-8"`;
    case 'certificate':
      // A client certificate is asked for by the TLS handshake, not by an HTTP challenge.
      return '';
    default:
      // A name from the contract may hold any character: keep the quoted-string well-formed.
      return `ApiKey realm="${REALM}", in="${source.kind}", name="${source.name.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?')}"`;
  }
}

/** 401 AUTH_KEY_MISSING with the challenges (one field, comma-separated as RFC 9110 §11.6.1 allows). */
export function keyMissing(detail: string, challenges: string): GatewayError {
  return new GatewayError('AUTH_KEY_MISSING', detail, { headers: { 'www-authenticate': challenges } });
}

/** 401 AUTH_KEY_INVALID; the challenge of the refused source carries error="invalid_key" for an API key. */
export function keyInvalid(detail: string, source: CredentialSource, others: string): GatewayError {
  const own = source.kind === 'basic' || source.kind === 'bearer' ? challengeOf(source) : `${challengeOf(source)}, error="invalid_key"`;
  return new GatewayError('AUTH_KEY_INVALID', detail, { headers: { 'www-authenticate': others ? `${own}, ${others}` : own } });
}

/** 503: the key store has not been read for too long to judge keys. Not a 401: the key may be fine. */
export function keysUnavailable(): GatewayError {
  return new GatewayError('SERVICE_UNAVAILABLE', 'API keys cannot be checked: the key store has not been readable recently', { headers: { 'retry-after': '1' } });
}
