/**
 * One JSON access-log line per request, written when the response is done, and the request
 * metrics. Never logs credentials: the line is built from named fields only (the route template,
 * never the request target, whose query may carry an API key).
 */
import { performance } from 'node:perf_hooks';
import { infoLineWriter, type Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import type { RequestContext } from '../gateway/pipeline/request-context.js';

/** The access-log fields of a served API version (serialised once per routing table). */
export function apiLogFields(apiId: string, version: string): string {
  return `"api":${JSON.stringify(apiId)},"version":${JSON.stringify(version)}`;
}

/** The access-log fields of an operation (serialised once per routing table). */
export function operationLogFields(template: string, operationId: string | undefined): string {
  return `"route":${JSON.stringify(template)}` + (operationId === undefined ? '' : `,"operationId":${JSON.stringify(operationId)}`);
}

/** Milliseconds rounded to microseconds, as a JSON number. */
const millis = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Writes the access-log line and records the metrics of each finished request. */
export class AccessLog {
  private readonly logger: Logger;
  private readonly write: (fields: string) => void;
  private readonly metrics: GatewayMetrics | undefined;

  constructor(logger: Logger, metrics: GatewayMetrics | undefined) {
    this.logger = logger;
    this.write = infoLineWriter(logger, 'request');
    this.metrics = metrics;
  }

  /** Logs a request whose response is done (`aborted` when the connection closed first). */
  record(ctx: RequestContext, aborted: boolean): void {
    const { req, res, api, operation } = ctx;
    const latencyMs = performance.now() - ctx.startedAt;
    const status = res.statusCode;
    if (this.metrics) this.metrics.observe(ctx, status, latencyMs);
    if (!this.logger.isLevelEnabled('info')) return;
    // Values from the client are either checked (request id, method, address) or JSON-escaped (consumer).
    let line = `"type":"access","requestId":"${ctx.requestId}","method":"${req.method}"`;
    if (operation) line += `,${operation.logFields}`;
    if (api) line += `,${api.logFields}`;
    line += `,"status":${status},"latencyMs":${millis(latencyMs)}`;
    if (ctx.upstreamLatencyMs !== undefined) line += `,"upstreamLatencyMs":${millis(ctx.upstreamLatencyMs)}`;
    // Which attempt served the request (or failed last) and on which target.
    if (ctx.upstreamTarget !== undefined) line += `,"attempts":${ctx.upstreamAttempts},${ctx.upstreamTarget.logField}`;
    if (ctx.consumerId !== undefined) line += `,"consumer":${JSON.stringify(ctx.consumerId)}`;
    // The key's public id only (16 hex digits): which key of a consumer is in use, for rotation.
    if (ctx.apiKeyId !== undefined) line += `,"apiKeyId":"${ctx.apiKeyId}"`;
    line += `,"clientIp":"${ctx.clientIp}"`;
    if (ctx.errorCode !== undefined) line += `,"code":"${ctx.errorCode}"`;
    if (ctx.responseViolations !== undefined) line += `,"responseViolations":${ctx.responseViolations}`;
    if (aborted) line += ',"aborted":true';
    this.write(line);
  }
}
