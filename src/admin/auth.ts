/**
 * Authentication of the admin listener: a Bearer JWT from one of `admin.auth.providers`, verified by
 * the gateway's JWT authenticator, carrying the admin scope. 401/403 as problem+json with RFC 6750
 * challenges, like the data plane.
 */
import type { JwtAuthenticator, Principal } from '../gateway/policies/jwt-auth/index.js';
import { scopeInsufficient, tokenInvalid } from '../gateway/policies/jwt-auth/bearer-errors.js';

/** Where the admin auth finds the current authenticator and providers (both change on reload). */
export interface AdminAuthSource {
  authenticator(): JwtAuthenticator | undefined;
  providers(): readonly string[];
  scope(): string;
}

/** Checks one admin request's Authorization header; throws (or rejects with) a GatewayError. */
export type AdminAuthCheck = (authorization: string | undefined) => Promise<Principal>;

/** Builds the check. */
export function createAdminAuth(source: AdminAuthSource): AdminAuthCheck {
  return async (authorization) => {
    const providers = source.providers();
    const authenticator = source.authenticator();
    if (providers.length === 0 || !authenticator) {
      throw tokenInvalid('the admin listener trusts no identity provider (set admin.auth.providers)');
    }
    const principal = await authenticator.authenticate(authorization, providers);
    const scope = source.scope();
    if (!principal.scopes.has(scope)) throw scopeInsufficient(`the token lacks the scope "${scope}"`, [scope]);
    return principal;
  };
}
