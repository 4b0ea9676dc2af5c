/** Token scopes (`scope` / `scp` claims) and the check against an operation's OpenAPI `security`. */
import type { JWTPayload } from 'jose';
import type { GatewayError } from '../../../errors/problem.js';
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

/** A scope check compiled from an operation's requirements; throws 403 AUTH_SCOPE_INSUFFICIENT. */
export type ScopeCheck = (principal: ScopeHolder) => void;

/**
 * Compiles an operation's requirements once at load: each requirement becomes the deduplicated
 * list of scopes it needs, so a request costs one Set lookup per needed scope. A principal passes
 * when some requirement has all of its scopes in the token. An empty list, or an empty requirement
 * (`security: [{}]`), allows anyone. The challenge names the scopes of the requirement closest to
 * being met (fewest missing).
 */
export function compileScopeCheck(requirements: readonly ScopeRequirement[]): ScopeCheck {
  const alternatives = requirements.map((requirement) => [...new Set(requirement.flatMap((entry) => entry.scopes))]);
  if (alternatives.length === 0 || alternatives.some((needed) => needed.length === 0)) return () => undefined;
  const holdsAll = (scopes: ReadonlySet<string>, needed: readonly string[]): boolean => {
    for (let i = 0; i < needed.length; i++) if (!scopes.has(needed[i]!)) return false;
    return true;
  };
  return (principal) => {
    for (let i = 0; i < alternatives.length; i++) if (holdsAll(principal.scopes, alternatives[i]!)) return;
    throw denial(principal, alternatives);
  };
}

/** The 403 of a principal that meets none of the alternatives (off the hot path). */
function denial(principal: ScopeHolder, alternatives: ReadonlyArray<readonly string[]>): GatewayError {
  let closest: { needed: readonly string[]; missing: string[] } | undefined;
  for (const needed of alternatives) {
    const missing = needed.filter((scope) => !principal.scopes.has(scope));
    if (closest === undefined || missing.length < closest.missing.length) closest = { needed, missing };
  }
  const { needed, missing } = closest!;
  const list = (scopes: readonly string[]): string => scopes.map((s) => `'${s}'`).join(', ');
  const others = alternatives.length > 1 ? ` (closest of ${alternatives.length} alternatives; it needs ${list(needed)})` : '';
  return scopeInsufficient(`token lacks scope${missing.length > 1 ? 's' : ''} ${list(missing)}${others}`, needed);
}
