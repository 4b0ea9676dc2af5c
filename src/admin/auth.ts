/**
 * Authentication of the admin listener: a Bearer JWT from one of `admin.auth.providers`, verified by
 * the gateway's JWT authenticator. The admin scope opens every route; a token without it is
 * accepted only when `admin.owners` makes it the owner of some API (for the registry routes).
 * 401/403 as problem+json with RFC 6750 challenges, like the data plane.
 */
import type { JwtAuthenticator } from '../gateway/policies/jwt-auth/index.js';
import { scopeInsufficient, tokenInvalid } from '../gateway/policies/jwt-auth/bearer-errors.js';
import type { AdminCaller } from './caller.js';
import { OwnerIndex } from './owners.js';
import type { AdminOwner } from './schema.js';

/** Where the admin auth finds the current authenticator, providers and owners (all change on reload). */
export interface AdminAuthSource {
  authenticator(): JwtAuthenticator | undefined;
  providers(): readonly string[];
  scope(): string;
  /** `admin.owners` (none when absent). */
  owners?(): readonly AdminOwner[];
}

/** Checks one admin request's Authorization header; resolves to the caller, or rejects with a GatewayError. */
export type AdminAuthCheck = (authorization: string | undefined) => Promise<AdminCaller>;

/** Builds the check. */
export function createAdminAuth(source: AdminAuthSource): AdminAuthCheck {
  // One index per owners list: the list is replaced (not edited) on reload, so identity tells when to rebuild.
  let indexed: { owners: readonly AdminOwner[]; index: OwnerIndex } | undefined;
  const ownerIndex = (): OwnerIndex => {
    const owners = source.owners?.() ?? [];
    if (indexed?.owners !== owners) indexed = { owners, index: new OwnerIndex(owners) };
    return indexed.index;
  };
  return async (authorization) => {
    const providers = source.providers();
    const authenticator = source.authenticator();
    if (providers.length === 0 || !authenticator) {
      throw tokenInvalid('the admin listener trusts no identity provider (set admin.auth.providers)');
    }
    const principal = await authenticator.authenticate(authorization, providers);
    const scope = source.scope();
    const actor = { provider: principal.providerId, subject: subjectOf(principal.claims.client_id, principal.subject) };
    const caller: AdminCaller = { actor, isAdmin: principal.scopes.has(scope), ownedApis: ownerIndex().apisOf(actor.provider, actor.subject) };
    if (!caller.isAdmin && caller.ownedApis.size === 0) {
      throw scopeInsufficient(`the token lacks the scope "${scope}" and ${actor.provider}/${actor.subject} owns no API (admin.owners)`, [scope]);
    }
    return caller;
  };
}

/** The subject ownership and the audit name: the token's `client_id`, else `sub`. */
function subjectOf(clientId: unknown, sub: string | undefined): string {
  if (typeof clientId === 'string' && clientId !== '') return clientId;
  return sub ?? '';
}

/** Refuses an owner's token on a route that needs the admin scope (usage, keys, metrics). */
export function requireAdminScope(caller: AdminCaller, scope: string): void {
  if (!caller.isAdmin) throw scopeInsufficient(`this route needs the scope "${scope}"; an API owner's token may use only the registry routes (/admin/...)`, [scope]);
}
