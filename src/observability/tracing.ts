/**
 * OpenTelemetry spans of the data plane: one SERVER span per request, an INTERNAL span per policy
 * step that had to wait, a CLIENT span per upstream attempt, and W3C trace context in and out.
 *
 * The gateway holds one GatewayTracing per instance when tracing is on, and none when it is off:
 * every hook on the request path sits behind one `undefined` check, so tracing that is off creates
 * no span, context or attribute object. Spans are made with an explicit tracer provider and
 * explicit parent contexts; the OpenTelemetry global API (context manager, global provider) is
 * not used, so two gateways in one process never share tracing state.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type Sampler, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { GatewayError } from '../errors/problem.js';
import type { OperationLabels, RequestContext } from '../gateway/pipeline/request-context.js';
import type { UpstreamTarget } from '../gateway/upstreams/upstream-target.js';
import type { AttemptOutcome } from '../gateway/upstreams/upstream-events.js';

/** The instrumentation scope of every span the gateway makes. */
export const TRACER_NAME = 'accord-gateway';

/** Accord's own span attributes (the semantic conventions have no names for these). */
export const ACCORD_ATTRIBUTES = {
  api: 'accord.api',
  version: 'accord.version',
  operationId: 'accord.operation_id',
  consumer: 'accord.consumer',
  errorCode: 'accord.error_code',
  phase: 'accord.phase',
  target: 'accord.upstream.target',
  aborted: 'accord.aborted',
} as const;

/** Methods the HTTP semantic conventions name; any other is reported as `_OTHER` (bounded cardinality). */
const KNOWN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY', 'TRACE']);

/** `host[:port]` or `[v6]:port` of a Host header. */
const HOST = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/;

function ignore(): void {}

/** How a tracing instance is built: where spans go and which are kept. */
export interface GatewayTracingOptions {
  /** Receives every finished span (a BatchSpanProcessor in service; tests may pass a SimpleSpanProcessor). */
  readonly spanProcessors: SpanProcessor[];
  /** Which traces are recorded (default: parent-based, always on). */
  readonly sampler?: Sampler;
  /** Resource attributes; `service.name` defaults to `accord`. */
  readonly resourceAttributes?: Attributes;
}

/** Tracing of one gateway instance: its tracer provider and the span hooks of the data plane. */
export class GatewayTracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly propagator = new W3CTraceContextPropagator();
  /** `http.route` of every routed operation, registered when its routing table is built. */
  private readonly routes = new WeakMap<OperationLabels, string>();

  constructor(options: GatewayTracingOptions) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'accord', ...options.resourceAttributes }),
      spanProcessors: options.spanProcessors,
      ...(options.sampler ? { sampler: options.sampler } : {}),
    });
    this.tracer = this.provider.getTracer(TRACER_NAME);
  }

  /** Records the route template (`/orders/v1/items/{id}`) of an operation, once when the table is built. */
  describeRoute(operation: OperationLabels, httpRoute: string): void {
    this.routes.set(operation, httpRoute);
  }

  /**
   * Starts the SERVER span of a request, as a child of the caller's valid `traceparent` (with its
   * `tracestate`, parsed and bounded to 32 members and 512 characters) or as a new trace, and
   * sets `ctx.traceparent` to it, so that the context names the gateway's own span.
   */
  startRequest(ctx: RequestContext): void {
    const { req } = ctx;
    const parent = this.propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const method = req.method ?? 'GET';
    const known = KNOWN_METHODS.has(method);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: known ? method : '_OTHER',
      [ATTR_URL_PATH]: query < 0 ? url : url.slice(0, query),
      [ATTR_URL_SCHEME]: 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http',
      [ATTR_CLIENT_ADDRESS]: ctx.clientIp,
    };
    if (!known) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = method;
    const host = req.headers.host !== undefined ? HOST.exec(req.headers.host) : null;
    if (host && host[1]) {
      attributes[ATTR_SERVER_ADDRESS] = host[1];
      attributes[ATTR_SERVER_PORT] = host[2] !== undefined ? Number(host[2]) : req.socket.localPort;
    } else if (req.socket.localPort !== undefined) {
      attributes[ATTR_SERVER_PORT] = req.socket.localPort;
    }
    const agent = req.headers['user-agent'];
    if (agent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = agent;
    const span = this.tracer.startSpan(known ? method : 'HTTP', { kind: SpanKind.SERVER, attributes, startTime: ctx.startedAt }, parent);
    ctx.span = span;
    const sc = span.spanContext();
    ctx.traceparent = `00-${sc.traceId}-${sc.spanId}-${sc.traceFlags.toString(16).padStart(2, '0')}`;
  }

  /** Ends the SERVER span once the response closed: route, outcome and Accord's labels. */
  endRequest(ctx: RequestContext, aborted: boolean): void {
    const span = ctx.span;
    if (span === undefined) return;
    // A client that left before the head was written got no status at all.
    const status = ctx.res.headersSent ? ctx.res.statusCode : 0;
    if (status !== 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    const operation = ctx.operation;
    const route = operation !== undefined ? this.routes.get(operation) : undefined;
    if (route !== undefined) {
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      const method = ctx.req.method ?? 'GET';
      span.updateName(`${KNOWN_METHODS.has(method) ? method : 'HTTP'} ${route}`);
    }
    if (ctx.api !== undefined) {
      span.setAttribute(ACCORD_ATTRIBUTES.api, ctx.api.apiId);
      span.setAttribute(ACCORD_ATTRIBUTES.version, ctx.api.version);
    }
    if (operation?.operationId !== undefined) span.setAttribute(ACCORD_ATTRIBUTES.operationId, operation.operationId);
    if (ctx.consumerId !== undefined) span.setAttribute(ACCORD_ATTRIBUTES.consumer, ctx.consumerId);
    if (ctx.errorCode !== undefined) span.setAttribute(ACCORD_ATTRIBUTES.errorCode, ctx.errorCode);
    if (aborted) span.setAttribute(ACCORD_ATTRIBUTES.aborted, true);
    // Server spans: a 4xx is the client's doing and leaves the status unset (HTTP semantic conventions).
    if (status >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, ctx.errorCode ?? String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  /** Starts the INTERNAL span of a policy step that had to wait; `startTime` is when the step began (performance.now()). */
  startPhase(ctx: RequestContext, name: string, startTime: number): Span {
    const parent = ctx.span !== undefined ? trace.setSpan(ROOT_CONTEXT, ctx.span) : ROOT_CONTEXT;
    return this.tracer.startSpan(name, { kind: SpanKind.INTERNAL, startTime, attributes: { [ACCORD_ATTRIBUTES.phase]: name } }, parent);
  }

  /** Ends a phase span whose step refused the request or failed. */
  phaseFailed(span: Span, error: unknown): void {
    if (error instanceof GatewayError) {
      span.setAttribute(ACCORD_ATTRIBUTES.errorCode, error.code);
      if (error.status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, error.code);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } else {
      span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  /**
   * Starts the CLIENT span of one upstream attempt (a child of the request's SERVER span) and
   * writes its `traceparent`, and the caller's validated `tracestate`, into the upstream headers.
   * `resendCount` is the number of attempts before this one.
   */
  startAttempt(ctx: RequestContext, target: UpstreamTarget, resendCount: number, headers: OutgoingHttpHeaders): Span {
    const method = ctx.req.method ?? 'GET';
    const known = KNOWN_METHODS.has(method);
    const scheme = target.client === https ? 'https' : 'http';
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: known ? method : '_OTHER',
      [ATTR_SERVER_ADDRESS]: target.hostname,
      [ATTR_SERVER_PORT]: target.port,
      [ATTR_URL_FULL]: `${scheme}://${target.hostHeader}${target.basePath}${ctx.upstreamPath ?? ''}`,
      [ACCORD_ATTRIBUTES.target]: target.label,
    };
    if (!known) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = method;
    if (resendCount > 0) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = resendCount;
    const parent = ctx.span !== undefined ? trace.setSpan(ROOT_CONTEXT, ctx.span) : ROOT_CONTEXT;
    const span = this.tracer.startSpan(known ? method : 'HTTP', { kind: SpanKind.CLIENT, attributes }, parent);
    // The caller's raw tracestate is replaced by the parsed one (or none when it was unusable).
    delete headers.tracestate;
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    // A tracestate with no valid member parses to an empty one, which is not worth a header.
    if (headers.tracestate === '') delete headers.tracestate;
    return span;
  }

  /** Records how an attempt ended (it ends later, with its response or at once on failure). */
  attemptEnded(span: Span, outcome: AttemptOutcome, status: number): void {
    if (status > 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    // Client spans: 4xx and 5xx answers are errors of the call (HTTP semantic conventions).
    if (outcome !== 'response') {
      span.setAttribute(ATTR_ERROR_TYPE, outcome);
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (status >= 400) {
      span.setAttribute(ATTR_ERROR_TYPE, String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }

  /**
   * Exports every finished span now (tests; shutdown does it too). A failed export does not
   * reject: the exporter counts and logs it, and a shutdown must go on regardless.
   */
  forceFlush(): Promise<void> {
    return this.provider.forceFlush().catch(ignore);
  }

  /** Flushes the spans still queued and stops the exporter; called after the shutdown drain. Never rejects. */
  shutdown(): Promise<void> {
    return this.provider.shutdown().catch(ignore);
  }
}
