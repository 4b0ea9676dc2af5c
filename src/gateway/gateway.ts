/**
 * The data-plane request handler: request identity, edge checks, route match, then the matched
 * operation's precompiled pipeline. The routing table is swapped atomically on reload.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { GatewayError, writeProblem } from '../errors/problem.js';
import type { Logger } from '../observability/logger.js';
import { AccessLog } from '../observability/access-log.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { TraceIds, requestIdFrom } from './edge/request-identity.js';
import { InFlight } from './in-flight.js';
import { TrustedProxies, type ClientAddressHeader } from './edge/client-address.js';
import { screenConnectionHeader } from './edge/connection-header.js';
import { parseRequestPath, rawPathAfter } from './routing/request-path.js';
import { attachContext, contextOfResponse, type RequestContext } from './pipeline/request-context.js';
import type { RouteTable } from './pipeline/build-routes.js';
import { RESPONSE_SENT } from './pipeline/policy.js';
import { abandonUpstream } from './proxy/upstream-proxy.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { recordCall } from '../usage/record-call.js';
import type { GatewayTracing } from '../observability/tracing.js';

/** Edge limits checked before routing. */
export interface EdgeLimits {
  maxHeaderCount: number;
  trustedProxies: readonly string[];
  /** The header trusted proxies name the client in. */
  clientAddressHeader: ClientAddressHeader;
}

/** The gateway's HTTP handler with its current routing table. */
export class Gateway {
  private table: RouteTable | undefined;
  private readonly trusted: TrustedProxies;
  private readonly traceIds = new TraceIds();
  private readonly logger: Logger;
  private readonly accessLog: AccessLog;
  private readonly limits: EdgeLimits;
  readonly metrics: GatewayMetrics | undefined;
  /** Spans of every request, when tracing is on; undefined (and no span is ever made) when off. */
  readonly tracing: GatewayTracing | undefined;
  /** Responses not yet closed, for graceful shutdown. */
  readonly inFlight = new InFlight();

  constructor(logger: Logger, limits: EdgeLimits, metrics?: GatewayMetrics, usage?: UsageRecorder, tracing?: GatewayTracing) {
    this.logger = logger;
    this.tracing = tracing;
    this.limits = limits;
    this.metrics = metrics;
    this.trusted = new TrustedProxies(limits.trustedProxies, limits.clientAddressHeader);
    this.accessLog = new AccessLog(logger, metrics);
    // One shared listener rather than a closure per request.
    const { inFlight, accessLog } = this;
    this.onClose = function (this: ServerResponse) {
      const ctx = contextOfResponse(this);
      if (!ctx) return;
      if (ctx.inFlight) inFlight.remove(ctx.inFlight);
      if (ctx.upstreamRequest && !this.writableFinished) abandonUpstream(ctx.upstreamRequest);
      accessLog.record(ctx, !this.writableFinished);
      const plan = ctx.operation?.usage;
      if (usage && plan) recordCall(usage, plan, ctx);
      if (ctx.span !== undefined) tracing!.endRequest(ctx, !this.writableFinished);
    };
  }

  /** The `close` listener of every response the gateway handles. */
  private readonly onClose: (this: ServerResponse) => void;

  /** True once a routing table is in place (for /readyz). */
  isReady(): boolean {
    return this.table !== undefined;
  }

  /** Swaps in a new routing table; requests already routed keep the old one until they finish. */
  swap(table: RouteTable): RouteTable | undefined {
    const old = this.table;
    this.table = table;
    return old;
  }

  /** The current routing table. */
  current(): RouteTable | undefined {
    return this.table;
  }

  /** Handles one request; never throws. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const client = this.trusted.resolve(req.socket.remoteAddress ?? '', req.headers);
    // Every field is present from the start, so that all contexts share one object shape.
    const ctx: RequestContext = {
      req,
      res,
      startedAt: performance.now(),
      requestId,
      traceparent: this.traceIds.next(req.headers.traceparent),
      clientIp: client.ip,
      clientIpFamily: client.family,
      forwardedFor: client.forwardedFor,
      api: undefined,
      operation: undefined,
      clientCertificate: undefined,
      principal: undefined,
      consumer: undefined,
      consumerId: undefined,
      authAlternative: undefined,
      apiKeyId: undefined,
      pathParams: undefined,
      rawQuery: undefined,
      body: undefined,
      parsedBody: undefined,
      upstreamPath: undefined,
      upstreamRequest: undefined,
      upstreamStartedAt: undefined,
      upstreamLatencyMs: undefined,
      upstreamTimedOut: undefined,
      upstreamAttempts: undefined,
      upstreamTarget: undefined,
      responseViolations: undefined,
      errorCode: undefined,
      inFlight: this.inFlight.add(res),
      capture: undefined,
      span: undefined,
    };
    if (this.tracing !== undefined) this.tracing.startRequest(ctx);
    attachContext(ctx);
    res.on('close', this.onClose);
    res.setHeader('x-request-id', requestId);
    try {
      const pending = this.route(ctx);
      if (pending) pending.then(undefined, (error: unknown) => this.fail(ctx, error));
    } catch (error) {
      this.fail(ctx, error);
    }
  };

  /** Matches the route and runs its pipeline; a promise when a step waits for I/O. */
  private route(ctx: RequestContext): Promise<void> | void {
    const { req } = ctx;
    if (req.rawHeaders.length / 2 > this.limits.maxHeaderCount) {
      throw new GatewayError('HEADERS_TOO_LARGE', `more than ${this.limits.maxHeaderCount} header fields`, { headers: { connection: 'close' } });
    }
    screenConnectionHeader(req.headers);
    const table = this.table;
    if (!table) throw new GatewayError('SERVICE_UNAVAILABLE', 'the gateway has not loaded its configuration yet');
    const path = parseRequestPath(req.url ?? '/');
    const prefix = table.prefixes.match(path);
    if (!prefix) throw new GatewayError('ROUTE_NOT_FOUND', `no API is served at ${path.rawPath}`);
    const served = prefix.value;
    ctx.api = served;
    const { route, params } = served.operations.match(req.method ?? 'GET', path.segments, path.rawSegments, prefix.depth);
    ctx.operation = route;
    ctx.pathParams = params;
    ctx.rawQuery = path.rawQuery;
    // The upstream sees the operation path: the raw segments after `<basePath>/v<major>`.
    const operationPath = rawPathAfter(path, prefix.depth);
    ctx.upstreamPath = path.rawQuery ? `${operationPath}?${path.rawQuery}` : operationPath;
    return route.run(ctx);
  }

  private fail(ctx: RequestContext, error: unknown): void {
    // A policy answered the request itself (an idempotent replay): nothing failed.
    if (error === RESPONSE_SENT) return;
    if (error instanceof GatewayError) {
      ctx.errorCode = error.code;
      writeProblem(ctx.res, error, ctx.requestId);
      return;
    }
    ctx.errorCode = 'INTERNAL_ERROR';
    this.logger.error({ requestId: ctx.requestId, err: error }, 'unexpected error in the request pipeline');
    writeProblem(ctx.res, new GatewayError('INTERNAL_ERROR', 'the gateway failed to handle this request'), ctx.requestId);
  }
}
