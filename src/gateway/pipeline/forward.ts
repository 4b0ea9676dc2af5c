/**
 * The terminal step of every operation: reads the body if no policy did, holds the framing rules
 * when validation is off, prepares the upstream's headers, and hands the request to the proxy.
 */
import type { ApiConfig, GatewayConfig } from '../../config/schema.js';
import type { CompiledOperation } from '../../contracts/compile/index.js';
import { GatewayError } from '../../errors/problem.js';
import { prepareUpstreamHeaders, type UpstreamHeaderPolicy } from '../edge/upstream-headers.js';
import type { ResponseChecker, UpstreamProxy } from '../proxy/upstream-proxy.js';
import type { RequestStep, ResponseStep } from './policy.js';
import { hasBody, readBody } from './read-body.js';
import type { RequestContext } from './request-context.js';
import { operationExcerpts } from '../../observability/payload-excerpts.js';
import type { Logger } from '../../observability/logger.js';

/** The JSON value of a request body for its excerpt: as validation parsed it, else parsed here (debug only). */
function requestValue(ctx: RequestContext): unknown {
  if (ctx.parsedBody !== undefined) return ctx.parsedBody;
  const type = ctx.req.headers['content-type'];
  if (!type || !/json/i.test(type)) return undefined;
  try {
    return JSON.parse(ctx.body!.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Builds the terminal step of one operation. */
export function forwardStep(
  api: ApiConfig,
  op: CompiledOperation,
  config: GatewayConfig,
  proxy: UpstreamProxy,
  upstreamHeaders: UpstreamHeaderPolicy,
  respond: ResponseStep | undefined,
  excerpt: { logger: Logger; version: string } | undefined,
): RequestStep {
  const validated = api.requestValidation;
  const maxBody = config.listen.maxBodyBytes;
  const forwardAuthorization = api.upstream.forwardAuthorization;
  // Built only when the API enables payload excerpts: an API without them adds no step.
  const excerpts = excerpt && operationExcerpts(api.payloadExcerpts, op.sensitiveFields, { api: api.id, version: excerpt.version, operation: op.operationId ?? `${op.method} ${op.pathTemplate}` }, excerpt.logger);
  const checkResponse: ResponseChecker | undefined =
    api.responseValidation === 'off'
      ? undefined
      : excerpts
        ? (status, contentType, body, ctx) => {
            excerpts.response(ctx.requestId, status, contentType, body);
            return op.checkResponse(status, contentType, body);
          }
        : (status, contentType, body) => op.checkResponse(status, contentType, body);

  const send = (ctx: RequestContext): void => {
    const { req } = ctx;
    if (!validated && ctx.body !== undefined) {
      // Framing rules hold without contract validation: no body where the operation takes none,
      // and no encoded body that would reach the upstream as other bytes than were admitted.
      const refusal = op.checkFraming({ pathParams: ctx.pathParams!, rawQuery: ctx.rawQuery!, headers: req.headers, body: ctx.body });
      if (refusal && !refusal.ok) throw new GatewayError(refusal.code, refusal.detail, { errors: refusal.violations });
    }
    prepareUpstreamHeaders(req.headers, {
      forwardedFor: ctx.forwardedFor,
      proto: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
      host: req.headers.host,
      requestId: ctx.requestId,
      traceparent: ctx.traceparent,
      consumerId: ctx.consumerId,
      forwardAuthorization,
      contentLength: ctx.body ? ctx.body.length : undefined,
    }, upstreamHeaders);
    if (excerpts && ctx.body !== undefined && ctx.body.length > 0) excerpts.request(ctx.requestId, requestValue(ctx));
    proxy.forward(ctx, checkResponse, respond);
  };

  return (ctx) => {
    if (ctx.body !== undefined || !hasBody(ctx.req)) return send(ctx);
    return readBody(ctx.req, maxBody, ctx.res).then((body) => {
      ctx.body = body;
      send(ctx);
    });
  };
}
