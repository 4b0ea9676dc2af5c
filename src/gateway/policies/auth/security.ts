/** The requirements of an operation's `security` that the gateway enforces, checked at load. */
import { ContractError } from '../../../contracts/openapi-document.js';
import { isEnforcedScheme, isJwtScheme, isMutualTlsScheme, type CompiledOperation } from '../../../contracts/compile/index.js';
import type { ScopeRequirement } from '../jwt-auth/index.js';

/** One enforced alternative that takes a token: the scopes of its JWT schemes, and whether it also names mutualTLS. */
export interface TokenAlternative {
  readonly requirement: ScopeRequirement;
  /** The alternative ANDs a `mutualTLS` scheme: the token counts only over a verified client certificate. */
  readonly needsCertificate: boolean;
}

/** What an operation's `security` asks of a caller, as the gateway enforces it. */
export interface SecurityPlan {
  /** Alternatives that take a JWT (possibly together with a client certificate). */
  readonly tokens: readonly TokenAlternative[];
  /** An alternative is `mutualTLS` alone: a verified certificate bound to a declared consumer suffices. */
  readonly certificateAlone: boolean;
}

/**
 * The enforced plan of an operation; undefined when it allows anonymous access. Of the
 * alternatives of its `security`, those whose every scheme is a JWT scheme or `mutualTLS` are
 * enforced (the compiled contract's warnings name the schemes left aside); an operation none of
 * whose alternatives the gateway can enforce is refused at load, naming the scheme, rather than
 * asking callers for a credential the contract never asked for.
 */
export function securityPlan(op: CompiledOperation, file: string): SecurityPlan | undefined {
  const security = op.security;
  if (!security || security.length === 0) return undefined;
  if (security.some((requirement) => requirement.length === 0)) return undefined;
  const enforceable = security.filter((requirement) => requirement.every(isEnforcedScheme));
  if (enforceable.length === 0) {
    const scheme = security.flat().find((s) => !isEnforcedScheme(s))!;
    const kind = scheme.type === 'http' ? `http ${scheme.httpScheme || '(no scheme)'}` : scheme.type;
    throw new ContractError(
      'CONTRACT_INVALID',
      scheme.location.file || file,
      scheme.location.pointer,
      `operation ${op.method} ${op.pathTemplate}: security scheme "${scheme.scheme}" (${kind}) is not enforced by the gateway, and no alternative is (supported: oauth2, openIdConnect, http bearer, mutualTLS)`,
      scheme.location.line,
    );
  }
  const tokens: TokenAlternative[] = [];
  let certificateAlone = false;
  for (const requirement of enforceable) {
    const jwt = requirement.filter(isJwtScheme);
    if (jwt.length === 0) certificateAlone = true;
    else tokens.push({ requirement: jwt.map((s) => ({ scheme: s.scheme, scopes: s.scopes })), needsCertificate: requirement.some(isMutualTlsScheme) });
  }
  return { tokens, certificateAlone };
}

/**
 * The JWT scope requirements of an operation's token alternatives; undefined when it allows
 * anonymous access or admits no token. `withCertificate: false` leaves out the alternatives that
 * also need a client certificate.
 */
export function scopeRequirements(op: CompiledOperation, file: string, withCertificate = true): ScopeRequirement[] | undefined {
  const plan = securityPlan(op, file);
  if (!plan || plan.tokens.length === 0) return undefined;
  return plan.tokens.filter((t) => withCertificate || !t.needsCertificate).map((t) => t.requirement);
}

/** The JSON pointer of an operation's `security` in its contract. */
export function securityPointer(op: CompiledOperation): string {
  return `/paths/${op.pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/security`;
}
