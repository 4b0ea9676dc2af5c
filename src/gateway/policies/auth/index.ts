/**
 * The auth policy: authenticates the caller by the schemes the operation's `security` names and
 * records who it is on the request context. Scopes are checked later, by the scopes policy, once
 * the consumer is known to be entitled (DESIGN.md's data-plane order).
 *
 * Client certificates take part in three ways: an alternative that is `mutualTLS` alone admits a
 * verified certificate bound to a declared consumer (the mtls policy resolved it); an alternative
 * that ANDs `mutualTLS` with a token scheme needs both; and a token bound to a certificate (RFC
 * 8705 `cnf.x5t#S256`) is accepted only over a connection presenting that certificate.
 */
import { ContractError } from '../../../contracts/openapi-document.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { Principal } from '../jwt-auth/index.js';
import { tokenInvalid, tokenMissing } from '../jwt-auth/bearer-errors.js';
import { securityPlan, securityPointer } from './security.js';

export { authSchema, type AuthConfig } from './schema.js';
export { scopeRequirements, securityPlan } from './security.js';

export const auth: Policy = {
  name: 'auth',
  create(scope, deps) {
    const { api, file } = scope;
    const providers = api.auth?.providers ?? [];
    return {
      operation(op) {
        const plan = securityPlan(op, file);
        if (!plan) return undefined;
        const tokenNeedsCertificate = plan.tokens.length > 0 && plan.tokens.every((t) => t.needsCertificate);
        if ((plan.certificateAlone || plan.tokens.some((t) => t.needsCertificate)) && !api.mtls) {
          throw new ContractError('CONTRACT_INVALID', file, securityPointer(op), `operation ${op.method} ${op.pathTemplate} admits mutualTLS but API "${api.id}" has no mtls configured`);
        }
        if (plan.tokens.length > 0 && !api.auth) {
          throw new ContractError('CONTRACT_INVALID', file, securityPointer(op), `operation ${op.method} ${op.pathTemplate} requires a token but API "${api.id}" has no auth.providers configured`);
        }
        if (deps.dryRun) return { request: () => undefined };
        const certificates = deps.clientCertificates;
        const authenticator = deps.authenticator;
        if (plan.tokens.length > 0 && !authenticator) throw new TypeError('an authenticator is required for APIs with auth');
        const admit = (ctx: RequestContext, principal: Principal): void => {
          if (tokenNeedsCertificate && ctx.clientCertificate === undefined) {
            throw certificates!.refuse('missing', `operation ${op.method} ${op.pathTemplate} accepts a token only over a client certificate`);
          }
          const bound = principal.certificateThumbprint;
          if (bound !== undefined) {
            // RFC 8705 §3: the mtls policy's certificate where it ran, else this connection's, verified all the same.
            let presented = ctx.clientCertificate;
            if (presented === undefined && certificates !== undefined) {
              const verdict = certificates.verdictOf(ctx.req);
              if (verdict.kind === 'verified') presented = verdict.certificate;
            }
            if (presented === undefined || presented.thumbprint !== bound) {
              certificates?.count('token-binding');
              throw tokenInvalid(presented === undefined ? 'the token is bound to a client certificate (cnf x5t#S256) and the request presents none' : 'the token is bound to another client certificate (cnf x5t#S256) than the one presented');
            }
          }
          ctx.principal = principal;
          ctx.consumerId = principal.consumerId;
        };
        const viaToken: RequestStep = (ctx) => {
          const verified = authenticator!.authenticate(ctx.req.headers.authorization, providers);
          if (verified instanceof Promise) return verified.then((principal) => admit(ctx, principal));
          admit(ctx, verified);
          return undefined;
        };
        if (!plan.certificateAlone) return { request: viaToken };
        const hasTokens = plan.tokens.length > 0;
        // A request with an Authorization header is judged by its token; without one, by its certificate.
        const request: RequestStep = (ctx) => {
          if (hasTokens && ctx.req.headers.authorization !== undefined) return viaToken(ctx);
          const certificate = ctx.clientCertificate;
          if (certificate === undefined) {
            if (hasTokens) throw tokenMissing('request has no Authorization header and no client certificate');
            throw certificates!.refuse('missing', `operation ${op.method} ${op.pathTemplate} requires a client certificate`);
          }
          if (scope.consumers.byCertificate(certificate) === undefined) throw certificates!.refuse('unbound', 'the client certificate is not bound to any consumer');
          return undefined;
        };
        return { request };
      },
    };
  },
};
