/** Signs an OAuth2-style JWT access token (RFC 9068 shape) with the local development issuer's key. */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ensureDevKeys } from './dev-issuer.js';

/** What a development token is for. */
export interface DevTokenRequest {
  /** Data directory holding the key (created on first use). */
  dataDir: string;
  /** The client id: becomes `sub` and `client_id`. */
  client: string;
  /** Granted scopes, joined by spaces into the `scope` claim. */
  scopes: readonly string[];
  /** The `aud` claim (default `accord`). */
  audience?: string;
  /** Lifetime in seconds (default 3600). */
  ttlSeconds?: number;
  /** Issue time, for tests (default now). */
  now?: Date;
}

/** Audience of development tokens unless told otherwise; the example gateway config accepts it. */
export const DEFAULT_DEV_AUDIENCE = 'accord';

/** Lifetime of development tokens unless told otherwise. */
export const DEFAULT_DEV_TTL_SECONDS = 3600;

/** RFC 6749 §3.3 scope-token. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Mints a token: header `{alg: ES256, typ: at+jwt, kid}`, claims `iss`, `sub`, `client_id`, `aud`,
 * `scope`, `iat`, `nbf`, `exp`, `jti`. Throws TypeError for a malformed request (the CLI checks
 * user input first) and DevIssuerError when NODE_ENV is production.
 */
export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  const audience = request.audience ?? DEFAULT_DEV_AUDIENCE;
  const ttl = request.ttlSeconds ?? DEFAULT_DEV_TTL_SECONDS;
  if (request.client.trim() === '') throw new TypeError('client must not be empty');
  if (audience.trim() === '') throw new TypeError('audience must not be empty');
  if (!Number.isInteger(ttl) || ttl < 1) throw new TypeError('ttlSeconds must be a positive integer');
  for (const scope of request.scopes) if (!SCOPE_TOKEN.test(scope)) throw new TypeError(`"${scope}" is not a valid scope token`);
  const keys = await ensureDevKeys(request.dataDir);
  const iat = Math.floor((request.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ client_id: request.client, scope: request.scopes.join(' ') })
    .setProtectedHeader({ alg: keys.algorithm, typ: 'at+jwt', kid: keys.kid })
    .setIssuer(keys.issuer)
    .setSubject(request.client)
    .setAudience(audience)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttl)
    .setJti(randomUUID())
    .sign(keys.privateKey);
}
