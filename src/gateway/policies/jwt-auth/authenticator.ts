/** Bearer-token authentication over a set of identity providers, with a verified-token cache. */
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { pino, type Logger } from 'pino';
import { GatewayError } from '../../../errors/problem.js';
import { quoteUntrusted, tokenInvalid, tokenMissing } from './bearer-errors.js';
import { remoteJwksSource, staticJwksSource } from './jwks-source.js';
import { KeySet } from './key-set.js';
import { resolveProviderConfigs } from './provider-config.js';
import type { IdentityProviderConfig, IdentityProviderInput } from './schema.js';
import { scopesOf } from './scopes.js';
import { TokenCache } from './token-cache.js';
import { qualifiedConsumerId } from './consumer-id.js';
import { verifyWithProvider, type DecodedToken } from './verify-token.js';

/** Who called, as established by a verified token. Frozen: cached principals are shared. */
export interface Principal {
  /**
   * The consumer id: `<provider id>/<claim value, percent-encoded>` (see `qualifiedConsumerId`),
   * unambiguous across identity providers. Sent upstream, logged, and keys rate limits.
   */
  readonly consumerId: string;
  /** The first non-empty string among the provider's `consumerClaims`, as the token has it. */
  readonly consumerClaim: string;
  readonly issuer: string;
  readonly providerId: string;
  readonly subject?: string;
  /** `client_id`, else `azp`. */
  readonly clientId?: string;
  readonly scopes: ReadonlySet<string>;
  readonly claims: JWTPayload;
  /** `exp`, epoch seconds. */
  readonly expiresAt?: number;
  /**
   * RFC 8705 §3.1 `cnf["x5t#S256"]`: the token is bound to the client certificate with this
   * thumbprint ('' when `cnf` names one in a form that no certificate can match).
   */
  readonly certificateThumbprint?: string;
}

/** The `x5t#S256` confirmation of a token: undefined when unbound, '' when malformed (so nothing matches). */
function certificateThumbprintOf(payload: JWTPayload): string | undefined {
  const cnf = payload.cnf;
  if (cnf === undefined) return undefined;
  if (cnf === null || typeof cnf !== 'object' || Array.isArray(cnf)) return '';
  if (!Object.prototype.hasOwnProperty.call(cnf, 'x5t#S256')) return undefined;
  const value = (cnf as Record<string, unknown>)['x5t#S256'];
  return typeof value === 'string' ? value : '';
}

/** Authenticates requests by their Authorization header. */
export interface JwtAuthenticator {
  /**
   * The principal of a `Bearer` token issued by one of `acceptedProviderIds` (all providers
   * when omitted). A token verified before and still valid is answered synchronously from the
   * cache; otherwise a promise. Failures are GatewayErrors (401/403/503 with a
   * `WWW-Authenticate` challenge), thrown when known without I/O, else rejected.
   */
  authenticate(authorization: string | undefined, acceptedProviderIds?: readonly string[]): Principal | Promise<Principal>;
  /** Stops key fetches and drops the caches. */
  close(): void;
}

/** What the authenticator uses from its surroundings. */
export interface JwtAuthenticatorDeps {
  logger?: Logger;
  /** Clock in epoch milliseconds; defaults to Date.now. Tests pass their own to move time. */
  now?: () => number;
  /** Most verified tokens remembered (default 10,000, about 10 MB with typical claims). */
  tokenCacheMaxEntries?: number;
}

/** RFC 6750 §2.1 b64token: what may follow `Bearer `. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The token of a `Bearer` Authorization header; 401 AUTH_TOKEN_MISSING when there is none. */
function bearerToken(authorization: string | undefined): string {
  if (authorization === undefined || authorization === '') throw tokenMissing('request has no Authorization header');
  // Slicing instead of a regex: this runs on every request, before the cache lookup.
  const scheme = authorization.slice(0, 7);
  if (scheme !== 'Bearer ' && scheme.toLowerCase() !== 'bearer ') {
    if (authorization.trim().toLowerCase() === 'bearer') throw tokenMissing('Authorization header has an empty Bearer token');
    throw tokenMissing('Authorization header does not use the Bearer scheme');
  }
  const token = authorization.slice(7).trim();
  if (token === '') throw tokenMissing('Authorization header has an empty Bearer token');
  return token;
}

/** Decodes without trusting anything, refusing what no provider could accept. */
function decodeUntrusted(token: string): DecodedToken {
  if (!B64TOKEN.test(token)) throw tokenInvalid('token contains characters not allowed in a Bearer token');
  const parts = token.split('.').length;
  if (parts === 5) throw tokenInvalid('encrypted tokens (JWE) are not accepted');
  if (parts !== 3) throw tokenInvalid('token is not a JWS in compact form (three dot-separated parts)');
  let header: ProtectedHeaderParameters;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw tokenInvalid('token header is not base64url-encoded JSON');
  }
  try {
    claims = decodeJwt(token);
  } catch {
    throw tokenInvalid('token payload is not a base64url-encoded JSON object');
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '') throw tokenInvalid("token header has no 'alg'");
  if (alg.toLowerCase() === 'none') throw tokenInvalid("unsigned tokens (alg 'none') are not accepted");
  return { token, header, claims, alg };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

interface ProviderRuntime {
  config: IdentityProviderConfig;
  keySet: KeySet;
}

function toPrincipal(payload: JWTPayload, provider: IdentityProviderConfig): Principal {
  const text = (claim: string): string | undefined => {
    const value = payload[claim];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  let consumerClaim: string | undefined;
  for (const claim of provider.consumerClaims) {
    consumerClaim = text(claim);
    if (consumerClaim !== undefined) break;
  }
  if (consumerClaim === undefined) {
    throw tokenInvalid(`token names no consumer: none of the claims ${provider.consumerClaims.map((c) => `'${c}'`).join(', ')} is a non-empty string`);
  }
  // Computed once per verified token; cache hits reuse it.
  const consumerId = qualifiedConsumerId(provider.id, consumerClaim);
  if (consumerId === undefined) throw tokenInvalid('the consumer claim of the token is not well-formed Unicode');
  return deepFreeze({
    consumerId,
    consumerClaim,
    issuer: provider.issuer,
    providerId: provider.id,
    subject: text('sub'),
    clientId: text('client_id') ?? text('azp'),
    scopes: scopesOf(payload),
    claims: payload,
    expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
    certificateThumbprint: certificateThumbprintOf(payload),
  });
}

/**
 * Builds an authenticator for the providers (validated and defaulted here; misuse throws
 * TypeError) and starts loading their keys. The token cache is keyed on the token alone and
 * each entry remembers the provider that verified it: a hit counts only when that provider is
 * among the accepted ones, which is exactly when verifying again would pick it and succeed.
 * So a token verified for one API's audience is never let through on another's.
 */
export function createJwtAuthenticator(providers: readonly IdentityProviderInput[], deps: JwtAuthenticatorDeps = {}): JwtAuthenticator {
  const configs = resolveProviderConfigs(providers);
  const logger = (deps.logger ?? pino({ enabled: false })).child({ policy: 'jwt-auth' });
  const now = deps.now ?? Date.now;
  const runtimes: ProviderRuntime[] = configs.map((config) => ({
    config,
    keySet: new KeySet({
      providerId: config.id,
      algorithms: config.algorithms,
      source: config.jwks !== undefined ? staticJwksSource(config.jwks) : remoteJwksSource(config),
      isStatic: config.jwks !== undefined,
      cooldownMs: config.jwksCooldownSeconds * 1000,
      maxAgeMs: config.jwksCacheMaxAgeSeconds * 1000,
      now,
      logger,
    }),
  }));
  for (const runtime of runtimes) runtime.keySet.warmUp();
  const cache = new TokenCache<Principal>(deps.tokenCacheMaxEntries ?? 10_000);
  // A burst of requests carrying the same new token shares one verification.
  const inflight = new Map<string, Promise<Principal>>();

  async function verifyFor(runtime: ProviderRuntime, decoded: DecodedToken): Promise<Principal> {
    const payload = await verifyWithProvider(decoded, runtime.config, runtime.keySet, now);
    const principal = toPrincipal(payload, runtime.config);
    const { clockToleranceSeconds, tokenCacheMaxAgeSeconds } = runtime.config;
    if (tokenCacheMaxAgeSeconds > 0 && typeof payload.exp === 'number') {
      const at = now();
      // jose accepts while now < exp + tolerance (in seconds); a cache hit must not outlive that.
      cache.set(decoded.token, principal, Math.min((payload.exp + clockToleranceSeconds) * 1000, at + tokenCacheMaxAgeSeconds * 1000), at);
    }
    return principal;
  }

  function verifyShared(runtime: ProviderRuntime, decoded: DecodedToken): Promise<Principal> {
    const key = `${runtime.config.id}\n${decoded.token}`;
    let pending = inflight.get(key);
    if (pending === undefined) {
      pending = verifyFor(runtime, decoded).finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  async function verify(token: string, accepted: readonly string[] | undefined): Promise<Principal> {
    const decoded = decodeUntrusted(token);
    const issuer = decoded.claims.iss;
    if (typeof issuer !== 'string') throw tokenInvalid("token has no 'iss' claim");
    // The unverified iss only chooses whose keys to try; the signature then decides.
    const candidates = runtimes.filter((r) => r.config.issuer === issuer && (accepted === undefined || accepted.includes(r.config.id)));
    if (candidates.length === 0) throw tokenInvalid(`token issuer ${quoteUntrusted(issuer)} is not trusted here`);
    let firstError: unknown;
    for (const runtime of candidates) {
      try {
        return await verifyShared(runtime, decoded);
      } catch (error) {
        firstError ??= error;
      }
    }
    if (!(firstError instanceof GatewayError)) logger.error({ err: firstError }, 'unexpected failure verifying a token');
    throw firstError;
  }

  return {
    authenticate(authorization, acceptedProviderIds) {
      const token = bearerToken(authorization);
      const hit = cache.get(token, now());
      if (hit !== undefined && (acceptedProviderIds === undefined || acceptedProviderIds.includes(hit.providerId))) return hit;
      return verify(token, acceptedProviderIds);
    },
    close() {
      for (const runtime of runtimes) runtime.keySet.close();
      cache.clear();
      inflight.clear();
    },
  };
}
