/**
 * The auth policy: authenticates the caller by the schemes the operation's `security` names and
 * records who it is on the request context. Scopes are checked later, by the scopes policy, once
 * the consumer is known to be entitled (DESIGN.md's data-plane order).
 */
import { ContractError } from '../../../contracts/openapi-document.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { Principal } from '../jwt-auth/index.js';
import { scopeRequirements, securityPointer } from './security.js';

export { authSchema, type AuthConfig } from './schema.js';
export { scopeRequirements } from './security.js';

export const auth: Policy = {
  name: 'auth',
  create(scope, deps) {
    const { api, file } = scope;
    const providers = api.auth?.providers ?? [];
    return {
      operation(op) {
        const requirements = scopeRequirements(op, file);
        if (!requirements) return undefined;
        if (!api.auth) {
          throw new ContractError('CONTRACT_INVALID', file, securityPointer(op), `operation ${op.method} ${op.pathTemplate} requires a token but API "${api.id}" has no auth.providers configured`);
        }
        if (deps.dryRun) return { request: () => undefined };
        const authenticator = deps.authenticator;
        if (!authenticator) throw new TypeError('an authenticator is required for APIs with auth');
        const admit = (ctx: RequestContext, principal: Principal): void => {
          ctx.principal = principal;
          ctx.consumerId = principal.consumerId;
        };
        const request: RequestStep = (ctx) => {
          const verified = authenticator.authenticate(ctx.req.headers.authorization, providers);
          if (verified instanceof Promise) return verified.then((principal) => admit(ctx, principal));
          admit(ctx, verified);
          return undefined;
        };
        return { request };
      },
    };
  },
};
