/**
 * A development token signed by a key the gateway does not hold was almost always minted with
 * another data directory (`accord token` and `accord serve` each default to `.accord/` under
 * their own working directory). This wraps the authenticator so that such a 401 says so.
 */
import type { JwtAuthenticator } from '../gateway/policies/jwt-auth/index.js';
import { tokenInvalid } from '../gateway/policies/jwt-auth/bearer-errors.js';
import { GatewayError } from '../errors/problem.js';
import { DEV_ISSUER } from './dev-issuer.js';

/** The detail of a 401 for a development token whose key the gateway does not hold. */
export const UNKNOWN_DEV_KEY_DETAIL =
  'token signed by an unknown development key: was it minted with a different --data-dir / ACCORD_DATA_DIR than the gateway uses?';

/** The `iss` claim of a JWT, read without verification (only to choose a message). */
function unverifiedIssuer(token: string): unknown {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites the unknown-key 401 of a development-issuer token. Only failures pass through the
 * added step: a cached token is still answered synchronously, and a verification costs one
 * `catch` on its promise.
 */
export function withDevKeyHint(authenticator: JwtAuthenticator, devProviderId: string): JwtAuthenticator {
  const unknownKey = `is not in the key set of identity provider '${devProviderId}'`;
  return {
    authenticate(authorization, acceptedProviderIds) {
      const result = authenticator.authenticate(authorization, acceptedProviderIds);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        if (error instanceof GatewayError && error.code === 'AUTH_TOKEN_INVALID' && error.message.endsWith(unknownKey)) {
          const token = (authorization ?? '').replace(/^Bearer\s+/i, '');
          if (unverifiedIssuer(token) === DEV_ISSUER) throw tokenInvalid(UNKNOWN_DEV_KEY_DETAIL);
        }
        throw error;
      });
    },
    close: () => authenticator.close(),
  };
}
