/** One JSON access-log line per request, written when the response is done. Never logs credentials. */
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import type { RequestContext } from '../gateway/pipeline/request-context.js';

/** Writes the access log line of a finished request and records its metrics. */
export function logAccess(logger: Logger, metrics: GatewayMetrics | undefined, ctx: RequestContext, aborted: boolean): void {
  const { req, res } = ctx;
  const latencyMs = Number(process.hrtime.bigint() - ctx.startedAt) / 1e6;
  if (metrics) {
    const api = ctx.apiId ?? '';
    const version = ctx.apiVersion ?? '';
    metrics.requests.inc({ api, version, status: String(res.statusCode), code: ctx.errorCode ?? '' });
    metrics.duration.observe({ api, version }, latencyMs / 1000);
    if (ctx.upstreamLatencyMs !== undefined) metrics.upstreamDuration.observe({ api, version }, ctx.upstreamLatencyMs / 1000);
  }
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
