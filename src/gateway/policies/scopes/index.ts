/**
 * The scopes policy: the OAuth2 scopes the operation's `security` requires, checked against the
 * authenticated token once the consumer is known to be entitled. Compiled once per operation.
 */
import type { Policy } from '../../pipeline/policy.js';
import { compileScopeCheck } from '../jwt-auth/index.js';
import { scopeRequirements } from '../auth/security.js';

export const scopes: Policy = {
  name: 'scopes',
  create(scope) {
    if (!scope.api.auth) return undefined;
    return {
      operation(op) {
        const requirements = scopeRequirements(op, scope.file);
        // An alternative that needs no scope admits every authenticated caller: nothing to check.
        if (!requirements || requirements.some((r) => r.every((entry) => entry.scopes.length === 0))) return undefined;
        const check = compileScopeCheck(requirements);
        return {
          request: (ctx) => {
            // The auth policy put the principal there, or refused the request.
            if (ctx.principal) check(ctx.principal);
          },
        };
      },
    };
  },
};
