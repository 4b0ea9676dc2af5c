/** Verifies one JWT against one identity provider's keys and claims rules, naming what is wrong. */
import { errors, jwtVerify, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import type { GatewayError } from '../../../errors/problem.js';
import { quoteUntrusted, tokenExpired, tokenInvalid } from './bearer-errors.js';
import type { KeySet } from './key-set.js';
import type { IdentityProviderConfig } from './schema.js';

/** A token's header and payload decoded but not yet trusted. */
export interface DecodedToken {
  token: string;
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
  alg: string;
}

function timestamp(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || Math.abs(seconds) > 8.64e12) return quoteUntrusted(seconds);
  return new Date(seconds * 1000).toISOString();
}

function listQuoted(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** Turns a jose failure into the coded error a client sees; claim values come from the signed payload. */
function translate(error: unknown, decoded: DecodedToken, provider: IdentityProviderConfig): GatewayError {
  if (error instanceof errors.JWTExpired) return tokenExpired(`token expired at ${timestamp(decoded.claims.exp)}`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (reason === 'missing') return tokenInvalid(`token has no '${claim}' claim`);
    if (reason === 'invalid') return tokenInvalid(`token claim '${claim}' is not a number`);
    switch (claim) {
      case 'aud':
        return tokenInvalid(
          provider.audiences.length === 1
            ? `token audience does not include '${provider.audiences[0]}'`
            : `token audience includes none of ${listQuoted(provider.audiences)}`,
        );
      case 'nbf':
        return tokenInvalid(`token is not valid before ${timestamp(decoded.claims.nbf)}`);
      case 'typ':
        return tokenInvalid(`token type ${quoteUntrusted(decoded.header.typ ?? '')} is not the required '${provider.requireTyp ?? ''}'`);
      case 'iss':
        return tokenInvalid(`token issuer is not '${provider.issuer}'`);
      default:
        return tokenInvalid(`token claim '${claim}' failed its check`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return tokenInvalid(`token signature does not verify with the keys of identity provider '${provider.id}'`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return tokenInvalid(`token algorithm ${quoteUntrusted(decoded.alg)} is not allowed`);
  // jose's own messages are fixed texts (they never quote the token), so they can be shown.
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return tokenInvalid(`token is malformed: ${error.message}`);
  return tokenInvalid('token could not be verified');
}

/**
 * Verifies a decoded token with the provider: algorithm allowlist, a key from the provider's
 * own set that fits both the `kid` and the algorithm (so an HS256 header can never be checked
 * with an RSA public key as its secret), signature, `typ`, `iss`, `aud`, `exp` (required) and
 * `nbf` with clock tolerance. Resolves to the verified payload.
 */
export async function verifyWithProvider(
  decoded: DecodedToken,
  provider: IdentityProviderConfig,
  keySet: KeySet,
  nowMs: () => number,
): Promise<JWTPayload> {
  const { alg, header } = decoded;
  if (!(provider.algorithms as readonly string[]).includes(alg)) {
    throw tokenInvalid(`token algorithm ${quoteUntrusted(alg)} is not allowed by identity provider '${provider.id}' (allowed: ${provider.algorithms.join(', ')})`);
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') throw tokenInvalid("token header 'kid' is not a string");
  const lookup = await keySet.keysFor(header.kid, alg);
  if (lookup.keys.length === 0) {
    if (lookup.isKidKnown) throw tokenInvalid(`key ${quoteUntrusted(header.kid)} of identity provider '${provider.id}' cannot verify ${alg} signatures`);
    if (header.kid !== undefined) throw tokenInvalid(`token key id ${quoteUntrusted(header.kid)} is not in the key set of identity provider '${provider.id}'`);
    throw tokenInvalid(`identity provider '${provider.id}' has no key for ${alg} signatures`);
  }
  const options = {
    algorithms: [alg],
    issuer: provider.issuer,
    audience: provider.audiences,
    clockTolerance: provider.clockToleranceSeconds,
    typ: provider.requireTyp,
    requiredClaims: ['exp'],
  };
  // Without a kid several keys may fit; the first whose signature verifies wins.
  for (let i = 0; ; i++) {
    try {
      const { payload } = await jwtVerify(decoded.token, lookup.keys[i].key, { ...options, currentDate: new Date(nowMs()) });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed && i < lookup.keys.length - 1) continue;
      throw translate(error, decoded, provider);
    }
  }
}
