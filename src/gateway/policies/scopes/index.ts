/**
 * The scopes policy: the OAuth2 scopes the operation's `security` requires, checked against the
 * authenticated token once the consumer is known to be entitled, for requests whose satisfied
 * alternative took a JWT (an API key carries no scopes). Compiled once per operation.
 */
import type { Policy } from '../../pipeline/policy.js';
import { compileScopeCheck, type ScopeCheck } from '../jwt-auth/index.js';
import { scopeAlternatives, scopeRequirementOf, securityPlan } from '../auth/security.js';

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
        // A principal without a recorded alternative (set by some other policy) is held to every
        // JWT alternative, as before keys existed: never waved through unchecked.
        const jwtAlternatives = plan.alternatives.filter((a) => a.hasJwt).map(scopeRequirementOf);
        const fallback = jwtAlternatives.some((r) => r.every((entry) => entry.scopes.length === 0)) ? undefined : compileScopeCheck(jwtAlternatives);
        return {
          request: (ctx) => {
            // The auth policy recorded the alternative and principal, or refused the request.
            if (ctx.principal === undefined) return;
            if (ctx.authAlternative === undefined) fallback?.(ctx.principal);
            else checks.get(ctx.authAlternative)?.(ctx.principal);
          },
        };
      },
    };
  },
};
