/**
 * The scopes policy: the OAuth2 scopes the operation's `security` requires, checked against the
 * authenticated token once the consumer is known to be entitled. Compiled once per operation.
 */
import type { Policy } from '../../pipeline/policy.js';
import { compileScopeCheck, type ScopeCheck, type ScopeRequirement } from '../jwt-auth/index.js';
import { scopeRequirements } from '../auth/security.js';

/** The check of a set of alternatives; undefined when one of them needs no scope (every token passes). */
function checkOf(requirements: readonly ScopeRequirement[]): ScopeCheck | undefined {
  if (requirements.length === 0 || requirements.some((r) => r.every((entry) => entry.scopes.length === 0))) return undefined;
  return compileScopeCheck(requirements);
}

export const scopes: Policy = {
  name: 'scopes',
  create(scope) {
    if (!scope.api.auth) return undefined;
    return {
      operation(op) {
        const all = scopeRequirements(op, scope.file, true);
        if (!all) return undefined;
        // Alternatives that AND mutualTLS count only over a verified client certificate.
        const withoutCertificate = scopeRequirements(op, scope.file, false) ?? [];
        const withCheck = checkOf(all);
        const withoutCheck = withoutCertificate.length === all.length ? withCheck : checkOf(withoutCertificate);
        if (!withCheck && !withoutCheck) return undefined;
        return {
          request: (ctx) => {
            // The auth policy put the principal there, or refused the request (or admitted a certificate alone).
            const principal = ctx.principal;
            if (!principal) return;
            const check = ctx.clientCertificate ? withCheck : withoutCheck;
            if (check) check(principal);
          },
        };
      },
    };
  },
};
