/**
 * The request-validation policy: buffers the body (up to the listener's limit) and checks the
 * request against the operation's compiled contract, before anything reaches the upstream.
 */
import { GatewayError } from '../../../errors/problem.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { hasBody, readBody } from '../../pipeline/read-body.js';
import { requestViolationKind } from '../../../observability/violation-kinds.js';

export { requestValidationSchema } from './schema.js';

export const requestValidation: Policy = {
  name: 'request-validation',
  create(scope, deps) {
    if (!scope.api.requestValidation) return undefined;
    const { onRequestInvalid } = deps;
    const maxBody = scope.config.listen.maxBodyBytes;
    return {
      operation(op) {
        const check = (ctx: RequestContext): void => {
          const verdict = op.checkRequest({ pathParams: ctx.pathParams!, rawQuery: ctx.rawQuery!, headers: ctx.req.headers, body: ctx.body });
          if (!verdict.ok) {
            onRequestInvalid?.(ctx, requestViolationKind(verdict.code, verdict.violations));
            throw new GatewayError(verdict.code, verdict.detail, { errors: verdict.violations });
          }
          // Kept for the usage fingerprint, which reads the body's members after the response; only
          // when usage is recorded, so that a large parsed body is not held for nothing.
          if (ctx.operation?.usage) ctx.parsedBody = verdict.body;
        };
        const request: RequestStep = (ctx) => {
          if (!hasBody(ctx.req)) return check(ctx);
          return readBody(ctx.req, maxBody, ctx.res).then((body) => {
            ctx.body = body;
            check(ctx);
          });
        };
        return { request };
      },
    };
  },
};
