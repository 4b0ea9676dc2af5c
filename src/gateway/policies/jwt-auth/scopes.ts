/** Token scopes (`scope` / `scp` claims) and the check against an operation's OpenAPI `security`. */
import type { JWTPayload } from 'jose';
import { scopeInsufficient } from './bearer-errors.js';

/**
 * One OpenAPI security requirement: every listed scheme applies (AND), each with the scopes it
 * needs. An operation's `security` is a list of these, any one of which suffices (OR).
 */
export type ScopeRequirement = ReadonlyArray<{ scheme: string; scopes: readonly string[] }>;

/** The scopes a principal's token grants, as far as scope checks are concerned. */
export interface ScopeHolder {
  scopes: ReadonlySet<string>;
}

function addScopes(into: Set<string>, value: unknown): void {
  if (typeof value === 'string') {
    for (const scope of value.split(' ')) if (scope !== '') into.add(scope);
  } else if (Array.isArray(value)) {
    for (const scope of value) if (typeof scope === 'string' && scope !== '') into.add(scope);
  }
}

/**
 * The union of the space-separated `scope` claim (RFC 8693 / RFC 9068) and `scp` (string or
 * array, as Azure AD and Okta send it).
 */
export function scopesOf(claims: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  addScopes(scopes, claims.scope);
  addScopes(scopes, claims.scp);
  return scopes;
}

/**
 * Throws 403 AUTH_SCOPE_INSUFFICIENT unless some requirement has all of its scopes in the
 * token. An empty list, or an empty requirement (`security: [{}]`), allows anyone. The
 * challenge names the scopes of the requirement closest to being met (fewest missing).
 */
export function checkScopes(principal: ScopeHolder, requirements: readonly ScopeRequirement[]): void {
  if (requirements.length === 0) return;
  let closest: { needed: string[]; missing: string[] } | undefined;
  for (const requirement of requirements) {
    const needed = [...new Set(requirement.flatMap((entry) => entry.scopes))];
    const missing = needed.filter((scope) => !principal.scopes.has(scope));
    if (missing.length === 0) return;
    if (closest === undefined || missing.length < closest.missing.length) closest = { needed, missing };
  }
  if (closest === undefined) return;
  const list = (scopes: string[]): string => scopes.map((s) => `'${s}'`).join(', ');
  const others = requirements.length > 1 ? ` (closest of ${requirements.length} alternatives; it needs ${list(closest.needed)})` : '';
  throw scopeInsufficient(
    `token lacks scope${closest.missing.length > 1 ? 's' : ''} ${list(closest.missing)}${others}`,
    closest.needed,
  );
}
