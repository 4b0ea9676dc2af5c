/** One JSON access-log line per request, written when the response is done. Never logs credentials. */
import type { Logger } from './logger.js';
import type { RequestContext } from '../gateway/pipeline/request-context.js';

/** Writes the access log line of a finished request. */
export function logAccess(logger: Logger, ctx: RequestContext, aborted: boolean): void {
  const { req, res } = ctx;
  const latencyMs = Number(process.hrtime.bigint() - ctx.startedAt) / 1e6;
  logger.info(
    {
      type: 'access',
      requestId: ctx.requestId,
      method: req.method,
      route: ctx.routeTemplate,
      api: ctx.apiId,
      version: ctx.apiVersion,
      operationId: ctx.operationId,
      status: res.statusCode,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      upstreamLatencyMs: ctx.upstreamLatencyMs === undefined ? undefined : Math.round(ctx.upstreamLatencyMs * 1000) / 1000,
      consumer: ctx.consumerId,
      clientIp: ctx.clientIp,
      code: ctx.errorCode,
      responseViolations: ctx.responseViolations,
      aborted: aborted || undefined,
    },
    'request',
  );
}
