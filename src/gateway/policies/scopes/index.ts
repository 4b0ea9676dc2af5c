/**
 * The scopes policy: the OAuth2 scopes the operation's `security` requires, checked against the
 * authenticated token once the consumer is known to be entitled, for requests whose satisfied
 * alternative took a JWT (an API key carries no scopes). Compiled once per operation.
 */
import type { Policy } from '../../pipeline/policy.js';
import { compileScopeCheck, type ScopeCheck } from '../jwt-auth/index.js';
import { scopeAlternatives, securityPlan } from '../auth/security.js';

export const scopes: Policy = {
  name: 'scopes',
  create(scope) {
    if (!scope.api.auth) return undefined;
    return {
      operation(op) {
        const plan = securityPlan(op, scope.file);
        if (!plan || !plan.hasJwt) return undefined;
        // By the index of the satisfied alternative: the check of the scopes it may meet.
        const checks = new Map<number, ScopeCheck>();
        for (const [index, requirements] of scopeAlternatives(plan)) {
          // An alternative that needs no scope admits every authenticated caller: nothing to check.
          if (requirements.some((r) => r.every((entry) => entry.scopes.length === 0))) continue;
          checks.set(index, compileScopeCheck(requirements));
        }
        if (checks.size === 0) return undefined;
        return {
          request: (ctx) => {
            // The auth policy recorded the alternative and principal, or refused the request.
            if (ctx.principal === undefined || ctx.authAlternative === undefined) return;
            checks.get(ctx.authAlternative)?.(ctx.principal);
          },
        };
      },
    };
  },
};
