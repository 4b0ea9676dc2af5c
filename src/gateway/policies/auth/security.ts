/** The requirements of an operation's `security` that the gateway enforces, checked at load. */
import { ContractError } from '../../../contracts/openapi-document.js';
import { isJwtScheme, type CompiledOperation } from '../../../contracts/compile/index.js';
import type { ScopeRequirement } from '../jwt-auth/index.js';

/**
 * The JWT scope requirements of an operation; undefined when it allows anonymous access. Of the
 * alternatives of its `security`, those whose every scheme takes a JWT are enforced (the compiled
 * contract's warnings name the schemes left aside); an operation none of whose alternatives the
 * gateway can enforce is refused at load, naming the scheme, rather than asking callers for a
 * credential the contract never asked for.
 */
export function scopeRequirements(op: CompiledOperation, file: string): ScopeRequirement[] | undefined {
  const security = op.security;
  if (!security || security.length === 0) return undefined;
  if (security.some((requirement) => requirement.length === 0)) return undefined;
  const enforceable = security.filter((requirement) => requirement.every(isJwtScheme));
  if (enforceable.length === 0) {
    const scheme = security.flat().find((s) => !isJwtScheme(s))!;
    const kind = scheme.type === 'http' ? `http ${scheme.httpScheme || '(no scheme)'}` : scheme.type;
    throw new ContractError(
      'CONTRACT_INVALID',
      scheme.location.file || file,
      scheme.location.pointer,
      `operation ${op.method} ${op.pathTemplate}: security scheme "${scheme.scheme}" (${kind}) is not enforced by the gateway, and no alternative is (supported: oauth2, openIdConnect, http bearer)`,
      scheme.location.line,
    );
  }
  return enforceable.map((requirement) => requirement.map((s) => ({ scheme: s.scheme, scopes: s.scopes })));
}

/** The JSON pointer of an operation's `security` in its contract. */
export function securityPointer(op: CompiledOperation): string {
  return `/paths/${op.pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1')}/${op.method.toLowerCase()}/security`;
}
