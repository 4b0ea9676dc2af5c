/** The alternatives of an operation's `security` that the gateway enforces, compiled and checked at load. */
import { ContractError } from '../../../contracts/openapi-document.js';
import { ENFORCED_SCHEMES, isEnforcedScheme, isJwtScheme, isMutualTlsScheme, schemeKind, type CompiledOperation, type SecuritySchemeRequirement } from '../../../contracts/compile/index.js';
import type { ScopeRequirement } from '../jwt-auth/index.js';
import { sourceKey, sourceOf, type CredentialSource } from './credentials.js';

/** One enforced alternative (an AND of schemes). */
export interface SecurityAlternative {
  /** Its index in the operation's `security` (what `ctx.authAlternative` records). */
  readonly index: number;
  readonly schemes: readonly SecuritySchemeRequirement[];
  /** Indexes into the plan's sources, deduplicated (two JWT schemes take the one bearer token). */
  readonly sources: readonly number[];
  readonly hasJwt: boolean;
  readonly jwtOnly: boolean;
  /** It names `mutualTLS`: a verified client certificate is one of its credentials. */
  readonly needsCertificate: boolean;
}

/** The compiled `security` of an operation. */
export interface SecurityPlan {
  /** Every place a credential of some alternative is read from. */
  readonly sources: readonly CredentialSource[];
  /** The enforced alternatives, in the contract's order. */
  readonly alternatives: readonly SecurityAlternative[];
  /** True when every alternative takes JWTs only (the bearer path of before keys). */
  readonly jwtOnly: boolean;
  readonly hasJwt: boolean;
  /** Some alternative names `mutualTLS` (the API must configure mtls). */
  readonly hasCertificate: boolean;
}

/**
 * The plan of an operation; undefined when it allows anonymous access. Of the alternatives of its
 * `security`, those whose every scheme the gateway enforces (JWT: oauth2, openIdConnect, http
 * bearer; keys: apiKey, http basic; certificates: mutualTLS) are kept (the compiled contract's
 * warnings name the schemes left aside, e.g. http digest); an operation none of whose alternatives the gateway can enforce
 * is refused at load, naming the scheme, rather than asking callers for a credential the
 * contract never asked for.
 */
export function securityPlan(op: CompiledOperation, file: string): SecurityPlan | undefined {
  const security = op.security;
  if (!security || security.length === 0) return undefined;
  if (security.some((requirement) => requirement.length === 0)) return undefined;
  const sources: CredentialSource[] = [];
  const byKey = new Map<string, number>();
  const alternatives: SecurityAlternative[] = [];
  security.forEach((requirement, index) => {
    if (!requirement.every(isEnforcedScheme)) return;
    const indexes = new Set<number>();
    for (const scheme of requirement) {
      const source = sourceOf(scheme);
      const key = sourceKey(source);
      let at = byKey.get(key);
      if (at === undefined) {
        at = sources.length;
        sources.push(source);
        byKey.set(key, at);
      }
      indexes.add(at);
    }
    const hasJwt = requirement.some(isJwtScheme);
    alternatives.push({ index, schemes: requirement, sources: [...indexes], hasJwt, jwtOnly: requirement.every(isJwtScheme), needsCertificate: requirement.some(isMutualTlsScheme) });
  });
  if (alternatives.length === 0) {
    const scheme = security.flat().find((s) => !isEnforcedScheme(s))!;
    const reason = scheme.type === 'apiKey' ? ' (it needs `in` header, query or cookie and a `name`)' : '';
    throw new ContractError(
      'CONTRACT_INVALID',
      scheme.location.file || file,
      scheme.location.pointer,
      `operation ${op.method} ${op.pathTemplate}: security scheme "${scheme.scheme}" (${schemeKind(scheme)}) is not enforced by the gateway${reason}, and no alternative is (supported: ${ENFORCED_SCHEMES})`,
      scheme.location.line,
    );
  }
  return {
    sources,
    alternatives,
    jwtOnly: alternatives.every((a) => a.jwtOnly),
    hasJwt: alternatives.some((a) => a.hasJwt),
    hasCertificate: alternatives.some((a) => a.needsCertificate),
  };
}

/** The JWT scope requirements of one alternative (its JWT schemes with their scopes). */
export function scopeRequirementOf(alternative: SecurityAlternative): ScopeRequirement {
  return alternative.schemes.filter(isJwtScheme).map((s) => ({ scheme: s.scheme, scopes: s.scopes }));
}

/**
 * For each alternative that takes a JWT, the alternatives whose scopes a request that satisfied
 * it may meet instead: those taking a JWT whose other credentials it also presented (a subset of
 * its key and certificate sources: an alternative that ANDs mutualTLS counts only over a certificate). With JWT-only alternatives that is all of them, as before keys existed: a
 * token passes when some alternative's scopes are all in it.
 */
export function scopeAlternatives(plan: SecurityPlan): Map<number, ScopeRequirement[]> {
  const result = new Map<number, ScopeRequirement[]>();
  const keySources = (a: SecurityAlternative): number[] => a.sources.filter((s) => plan.sources[s]!.kind !== 'bearer');
  for (const matched of plan.alternatives) {
    if (!matched.hasJwt) continue;
    const held = new Set(keySources(matched));
    const compatible = plan.alternatives.filter((a) => a.hasJwt && keySources(a).every((s) => held.has(s)));
    result.set(matched.index, compatible.map(scopeRequirementOf));
  }
  return result;
}

/** The JSON pointer of an operation's `security` in its contract. */
export function securityPointer(op: CompiledOperation): string {
  return `/paths/${op.pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/security`;
}
