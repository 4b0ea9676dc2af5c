/**
 * Forwards a routed, authorised and validated request to its upstream with node:http's client,
 * over kept-alive connections, and relays (or first validates) the upstream's answer.
 *
 * The gateway builds the upstream request itself instead of handing the client's request to a
 * generic proxy: the request target is the routed operation's path (never a re-parse of the
 * client's string), the body is exactly the bytes that were validated with their own
 * Content-Length, and the deadline is armed on the one code path every request takes. A
 * generic proxy re-parsed the target with `url.parse` (which stops at a raw `#`), joined paths
 * with its own slash collapsing, and wrote the buffered body only from an event it skips when
 * the request carries `Expect` — each of which let the upstream receive a different request
 * than the one the gateway checked. See the README's HTTP behaviour section.
 *
 * A request may take several attempts (upstreams/): each goes to a target the version's
 * UpstreamGroup chooses, and is sent from the same validated buffer and headers. An attempt is
 * retried only before the response head was accepted, so nothing of a failed attempt ever
 * reaches the client.
 */
import http, { type IncomingMessage, type ClientRequest, type OutgoingHttpHeaders } from 'node:http';
import type { Violation } from '../../contracts/compile/types.js';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { GatewayError, writeProblem } from '../../errors/problem.js';
import type { Logger } from '../../observability/logger.js';
import type { ResponseStep } from '../pipeline/policy.js';
import type { RequestContext } from '../pipeline/request-context.js';
import { hopByHopOf } from '../edge/upstream-headers.js';
import type { UpstreamGroup } from '../upstreams/upstream-group.js';
import type { UpstreamTarget } from '../upstreams/upstream-target.js';
import type { AttemptOutcome } from '../upstreams/upstream-events.js';
import type { RetryCondition } from '../upstreams/schema.js';
import type { CircuitSettle } from '../upstreams/circuit-breaker.js';
import { fullJitterDelay } from '../upstreams/backoff.js';
import type { Span } from '@opentelemetry/api';
import type { GatewayTracing } from '../../observability/tracing.js';

/** The result of checking a response against the operation's contract. */
export type ResponseVerdict = { ok: true } | { ok: false; violations: ReadonlyArray<{ pointer: string; message: string }>; detail: string };

/** Checks one upstream response (status, content type, body) of a request. */
export type ResponseChecker = (status: number, contentType: string | undefined, body: Buffer, ctx: RequestContext) => ResponseVerdict;

/** How an upstream is reached and how its responses are treated. */
export interface UpstreamProxyOptions {
  /** The targets of the served version and their balancing, health and retry state. */
  group: UpstreamGroup;
  /** Total time of the exchange: every attempt and the whole response. */
  timeoutMs: number;
  /** Time an attempt has to open its connection (unset: none of its own). */
  connectTimeoutMs?: number;
  /** Time from an attempt's start to its response head (unset: none of its own). */
  firstByteTimeoutMs?: number;
  responseValidation: 'enforce' | 'report' | 'off';
  maxResponseBytes: number;
  logger: Logger;
  /** Called when a response breaks its contract (both modes), for metrics and the drift report. */
  onResponseInvalid?: (ctx: RequestContext, mode: 'enforce' | 'report', violations: readonly Violation[]) => void;
  /** Called once per upstream exchange that failed, by reason, for metrics. */
  onUpstreamFailure?: (ctx: RequestContext, reason: UpstreamFailure) => void;
  /** A CLIENT span per attempt, and its traceparent upstream, when tracing is on. */
  tracing?: GatewayTracing;
}

/** Why an upstream exchange failed; the label of `accord_upstream_failures_total`. */
export type UpstreamFailure = 'connect' | 'timeout' | 'invalid-response' | 'reset-mid-body' | 'response-too-large' | 'client-gone';

/** A proxy to one upstream. `forward` is terminal: the response always ends. */
export interface UpstreamProxy {
  /**
   * Sends the request upstream and relays the answer. `respond` (the operation's composed
   * response steps) runs once the upstream's status and headers are copied, before the head goes out.
   */
  forward(ctx: RequestContext, check: ResponseChecker | undefined, respond?: ResponseStep): void;
  close(): void;
}

/** Methods whose requests carry a body by definition: an empty one is sent as `Content-Length: 0`. */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** Methods whose repetition has the effect of one request (RFC 9110 §9.2.2): retried without an Idempotency-Key. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Error codes of a connection that was never established (anything else before the head is a reset). */
const CONNECT_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'EADDRINUSE']);

const NOT_TRIED: readonly UpstreamTarget[] = [];

/** One request in flight to the upstream, across its attempts. */
interface Exchange {
  readonly ctx: RequestContext;
  readonly proxy: Upstream;
  readonly check: ResponseChecker | undefined;
  readonly respond: ResponseStep | undefined;
  /** The request of the current (or last) attempt; undefined before the first. */
  request: ClientRequest | undefined;
  /** The total deadline. */
  timer: NodeJS.Timeout | undefined;
  /** The first-byte deadline of the current attempt. */
  attemptTimer: NodeJS.Timeout | undefined;
  /** The connect deadline of the current attempt's new connection. */
  connectTimer: NodeJS.Timeout | undefined;
  /** The backoff before the next attempt. */
  retryTimer: NodeJS.Timeout | undefined;
  response: IncomingMessage | undefined;
  /** Set once the exchange reached its end (answered, failed or timed out). */
  settled: boolean;
  chunks: Buffer[] | undefined;
  size: number;
  /** Attempts started, 1 for the first. */
  attempt: number;
  /** The target of the current (or last) attempt. */
  target: UpstreamTarget | undefined;
  /** Set while an attempt has not reached its response head or its failure. */
  attemptOpen: boolean;
  /** Settles the current attempt in its target's circuit breaker. */
  circuitSettle: CircuitSettle | undefined;
  /** Targets of the failed attempts, when retrying. */
  tried: UpstreamTarget[] | undefined;
  /** The method is idempotent or the request carries an Idempotency-Key (only computed when retries are configured). */
  retryable: boolean;
  /** The CLIENT span of the current attempt, while it is open (tracing on). */
  span: Span | undefined;
}

const EXCHANGE = Symbol('accord.exchange');
type WithExchange = { [EXCHANGE]?: Exchange };

function exchangeOf(emitter: object): Exchange | undefined {
  return (emitter as WithExchange)[EXCHANGE];
}

/** Copies the upstream's end-to-end headers to the client response; false when one cannot be relayed. */
function copyHeaders(ex: Exchange, response: IncomingMessage, bodyLength: number | undefined): boolean {
  const res = ex.ctx.res;
  const headers = response.headers;
  const skip = hopByHopOf(headers);
  try {
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined && !skip.has(name)) res.setHeader(name, value);
    }
  } catch {
    // A value node:http parsed but will not write: nothing of this answer reaches the client.
    for (const name of res.getHeaderNames()) if (name !== 'x-request-id' && !name.startsWith('ratelimit')) res.removeHeader(name);
    return false;
  }
  if (bodyLength !== undefined) res.setHeader('content-length', bodyLength);
  return true;
}

/** The 'response' listener of every upstream request. */
function onResponse(this: ClientRequest, response: IncomingMessage): void {
  const ex = exchangeOf(this);
  if (!ex || ex.settled || ex.request !== this) {
    response.destroy();
    return;
  }
  ex.proxy.respond(ex, response);
}

/**
 * The 'upgrade' listener: the gateway never asks an upstream to switch protocols (Upgrade is
 * hop-by-hop and stripped), so a 101 is an answer it cannot relay. Without this listener
 * node:http drops the socket and the request would wait for its deadline.
 */
function onUpgrade(this: ClientRequest, response: IncomingMessage, socket: import('node:net').Socket): void {
  socket.destroy();
  const ex = exchangeOf(this);
  if (ex && ex.request === this) ex.proxy.invalidResponse(ex, response.statusCode ?? 0);
}

/** The 'error' listener of every upstream request: connection refused, reset, unparsable answer. */
function onRequestError(this: ClientRequest, error: NodeJS.ErrnoException): void {
  const ex = exchangeOf(this);
  if (ex && ex.request === this) ex.proxy.requestFailed(ex, error);
}

/** The 'socket' listener when a connect timeout is configured: a new connection gets its deadline. */
function onSocket(this: ClientRequest, socket: import('node:net').Socket): void {
  const ex = exchangeOf(this);
  if (ex && ex.request === this && socket.connecting) ex.proxy.connecting(ex, socket);
}

/** The 'close' listener of every upstream response: a body cut short ends the client's promptly. */
function onResponseClose(this: IncomingMessage): void {
  const ex = exchangeOf(this);
  if (ex && ex.response === this) ex.proxy.responseClosed(ex, this);
}

/** The 'data' listener when the body is buffered (enforce) or copied for validation (report). */
function onResponseData(this: IncomingMessage, chunk: Buffer): void {
  const ex = exchangeOf(this);
  if (ex && ex.response === this) ex.proxy.collect(ex, this, chunk);
}

/** The 'data' listener of a streamed response whose request holds an Idempotency-Key claim: the copy to store. */
function onCaptureData(this: IncomingMessage, chunk: Buffer): void {
  const ex = exchangeOf(this);
  if (ex && ex.response === this) ex.ctx.capture?.chunk(chunk);
}

/** The 'end' listener in enforce mode: the whole body is in, check it, then relay or refuse. */
function onEnforcedEnd(this: IncomingMessage): void {
  const ex = exchangeOf(this);
  if (ex && ex.response === this) ex.proxy.finishEnforced(ex, this);
}

/** The 'end' listener in report mode: the relayed body is complete, check the copy. */
function onReportedEnd(this: IncomingMessage): void {
  const ex = exchangeOf(this);
  if (ex && ex.response === this) ex.proxy.checkReported(ex, this);
}

/** The deadline of every exchange (one function; the exchange is its argument, not a closure). */
function onDeadline(ex: Exchange): void {
  ex.timer = undefined;
  ex.proxy.timedOut(ex);
}

function onConnectDeadline(ex: Exchange): void {
  ex.connectTimer = undefined;
  ex.proxy.attemptTimedOut(ex, 'connect');
}

function onFirstByteDeadline(ex: Exchange): void {
  ex.attemptTimer = undefined;
  ex.proxy.attemptTimedOut(ex, 'first-byte');
}

/** The end of a retry's backoff. */
function onRetry(ex: Exchange): void {
  ex.retryTimer = undefined;
  ex.proxy.send(ex);
}

function ignore(): void {}

/** The proxy of one served version's upstream targets. */
class Upstream implements UpstreamProxy {
  private readonly group: UpstreamGroup;
  private readonly options: UpstreamProxyOptions;

  constructor(options: UpstreamProxyOptions) {
    this.options = options;
    this.group = options.group;
  }

  forward(ctx: RequestContext, check: ResponseChecker | undefined, respond?: ResponseStep): void {
    const { req } = ctx;
    const method = req.method ?? 'GET';
    const headers = req.headers as OutgoingHttpHeaders;
    // Framing is the gateway's: the validated bytes with their own length, never the client's.
    delete headers['transfer-encoding'];
    // The body is already buffered; an upstream that answers 100 Continue has nothing to wait for.
    delete headers.expect;
    const body = ctx.body;
    if (body !== undefined && body.length > 0) headers['content-length'] = String(body.length);
    else if (BODY_METHODS.has(method)) headers['content-length'] = '0';
    else delete headers['content-length'];
    const ex: Exchange = {
      ctx,
      proxy: this,
      check,
      respond,
      request: undefined,
      timer: undefined,
      attemptTimer: undefined,
      connectTimer: undefined,
      retryTimer: undefined,
      response: undefined,
      settled: false,
      chunks: undefined,
      size: 0,
      attempt: 0,
      target: undefined,
      attemptOpen: false,
      circuitSettle: undefined,
      tried: undefined,
      retryable: false,
      span: undefined,
    };
    if (this.group.budget) {
      this.group.budget.recordRequest();
      ex.retryable = IDEMPOTENT_METHODS.has(method) || headers['idempotency-key'] !== undefined;
    }
    ctx.upstreamStartedAt = performance.now();
    ex.timer = setTimeout(onDeadline, this.options.timeoutMs, ex);
    this.send(ex);
  }

  /** Starts the next attempt on the target the group chooses, or answers 503 when none can take it. */
  send(ex: Exchange): void {
    if (ex.settled) return;
    const target = this.group.choose(ex.tried ?? NOT_TRIED);
    if (target === undefined) {
      this.unavailable(ex);
      return;
    }
    if (target.circuit === undefined) {
      this.start(ex, target);
      return;
    }
    const settle = target.circuit.run(() => this.start(ex, target));
    // Refused although it looked available: another request took the half-open probe first.
    if (settle === undefined) this.unavailable(ex);
    else if (ex.attemptOpen) ex.circuitSettle = settle;
    else settle(true);
  }

  /** Sends one attempt to `target`: the same validated headers and body every time. */
  private start(ex: Exchange, target: UpstreamTarget): void {
    const { ctx } = ex;
    const { req } = ctx;
    const headers = req.headers as OutgoingHttpHeaders;
    headers.host = target.hostHeader;
    // Before the request is made: its traceparent names this attempt's span.
    if (this.options.tracing !== undefined) {
      this.endSpan(ex);
      ex.span = this.options.tracing.startAttempt(ctx, target, ex.attempt, headers);
    }
    const request = target.client.request({
      host: target.hostname,
      port: target.port,
      method: req.method ?? 'GET',
      path: target.basePath + ctx.upstreamPath!,
      headers,
      agent: target.agent,
      setHost: false,
    });
    ex.attempt++;
    ex.target = target;
    ex.attemptOpen = true;
    ex.request = request;
    ex.response = undefined;
    target.outstanding++;
    (request as WithExchange)[EXCHANGE] = ex;
    ctx.upstreamRequest = request;
    ctx.upstreamAttempts = ex.attempt;
    ctx.upstreamTarget = target;
    request.on('error', onRequestError);
    request.on('response', onResponse);
    request.on('upgrade', onUpgrade);
    if (this.options.connectTimeoutMs !== undefined) request.on('socket', onSocket);
    if (this.options.firstByteTimeoutMs !== undefined) ex.attemptTimer = setTimeout(onFirstByteDeadline, this.options.firstByteTimeoutMs, ex);
    const body = ctx.body;
    if (body !== undefined && body.length > 0) request.end(body);
    else request.end();
  }

  /** A new connection of the current attempt: it gets the connect deadline (a pooled one is already open). */
  connecting(ex: Exchange, socket: import('node:net').Socket): void {
    // The first-byte deadline (when set) keeps running beside it.
    const timer = setTimeout(onConnectDeadline, this.options.connectTimeoutMs!, ex);
    ex.connectTimer = timer;
    const connected = (): void => {
      // A connection of an attempt that already ended finds its deadline cleared by endAttempt.
      if (ex.connectTimer !== timer) return;
      clearTimeout(timer);
      ex.connectTimer = undefined;
    };
    socket.once(ex.target!.client === https ? 'secureConnect' : 'connect', connected);
  }

  /** Ends the current attempt: its deadline, its target's count, passive health, breaker and metrics. */
  private endAttempt(ex: Exchange, outcome: AttemptOutcome, status: number): void {
    if (!ex.attemptOpen) return;
    ex.attemptOpen = false;
    clearTimeout(ex.attemptTimer);
    ex.attemptTimer = undefined;
    clearTimeout(ex.connectTimer);
    ex.connectTimer = undefined;
    if (ex.span !== undefined) {
      this.options.tracing!.attemptEnded(ex.span, outcome, status);
      // An answer's span lasts until its body is relayed (settle); a failure's ends here.
      if (outcome !== 'response') this.endSpan(ex);
    }
    const target = ex.target!;
    target.outstanding--;
    const success = this.group.attemptEnded(target, outcome, status);
    const settle = ex.circuitSettle;
    if (settle) {
      ex.circuitSettle = undefined;
      settle(success);
    }
  }

  /**
   * Retries a failed attempt when everything allows it: retries configured and left, a failure
   * they cover, an idempotent request (or one with an Idempotency-Key), nothing sent to the
   * client yet, and the retry budget. False when the failure must go to the client.
   */
  private retry(ex: Exchange, condition: RetryCondition, detail: Record<string, unknown>): boolean {
    const retries = this.group.retries;
    if (!retries || ex.settled || !ex.retryable || ex.attempt > retries.attempts || ex.ctx.res.headersSent) return false;
    if (!retries.on.includes(condition)) return false;
    const fields = { requestId: ex.ctx.requestId, api: ex.ctx.api?.apiId, version: ex.ctx.api?.version, target: ex.target!.label, attempt: ex.attempt, reason: condition, ...detail };
    if (!this.group.budget!.tryRetry()) {
      this.group.events.retryBudgetExhausted();
      this.options.logger.warn(fields, 'upstream attempt failed and not retried: the retry budget is spent');
      return false;
    }
    this.group.events.retry(condition);
    (ex.tried ??= []).push(ex.target!);
    const delay = fullJitterDelay(ex.attempt, retries.backoffBaseMs, retries.backoffMaxMs);
    this.options.logger.warn({ ...fields, backoffMs: delay }, 'upstream attempt failed; retrying');
    ex.retryTimer = setTimeout(onRetry, delay, ex);
    return true;
  }

  /** No target can take the request: 503 at once (with Retry-After while circuits are open). */
  private unavailable(ex: Exchange): void {
    this.settle(ex);
    const { ctx } = ex;
    const error = this.group.unavailable();
    ctx.errorCode = error.code;
    writeProblem(ctx.res, error, ctx.requestId);
  }

  /** Ends the current attempt's CLIENT span, if one is open. */
  private endSpan(ex: Exchange): void {
    const span = ex.span;
    if (span === undefined) return;
    ex.span = undefined;
    span.end();
  }

  /** Ends an exchange: stops its deadlines. */
  private settle(ex: Exchange): void {
    // Every path ends its attempt first; this keeps a circuit's half-open probe from waiting forever if one did not.
    if (ex.attemptOpen) this.endAttempt(ex, 'client-gone', 0);
    ex.settled = true;
    if (ex.span !== undefined) this.endSpan(ex);
    clearTimeout(ex.timer);
    ex.timer = undefined;
    clearTimeout(ex.retryTimer);
    ex.retryTimer = undefined;
    clearTimeout(ex.attemptTimer);
    ex.attemptTimer = undefined;
  }

  /** Fails an exchange: a problem if nothing was sent to the client yet, else the client connection is cut. */
  private fail(ex: Exchange, reason: UpstreamFailure, error: GatewayError, log: Record<string, unknown>): void {
    if (ex.settled) return;
    this.settle(ex);
    const { ctx } = ex;
    // The upstream connection is in doubt: it is never handed back to the pool.
    ex.request?.destroy();
    ex.response?.destroy();
    ctx.errorCode = error.code;
    this.options.logger.warn({ requestId: ctx.requestId, api: ctx.api?.apiId, version: ctx.api?.version, target: ex.target?.label, attempt: ex.attempt, reason, ...log }, error.message);
    this.options.onUpstreamFailure?.(ctx, reason);
    writeProblem(ctx.res, error, ctx.requestId);
  }

  timedOut(ex: Exchange): void {
    if (ex.settled) return;
    this.endAttempt(ex, 'timeout', 0);
    ex.ctx.upstreamTimedOut = true;
    this.fail(ex, 'timeout', new GatewayError('UPSTREAM_TIMEOUT', `the upstream did not answer within ${this.options.timeoutMs} ms`), { deadline: 'total' });
  }

  /** The current attempt's connect or first-byte deadline passed. */
  attemptTimedOut(ex: Exchange, deadline: 'connect' | 'first-byte'): void {
    if (ex.settled || !ex.attemptOpen) return;
    this.endAttempt(ex, 'timeout', 0);
    ex.request?.destroy();
    if (this.retry(ex, 'timeout', { deadline })) return;
    ex.ctx.upstreamTimedOut = true;
    const detail =
      deadline === 'connect'
        ? `the upstream did not accept a connection within ${this.options.connectTimeoutMs} ms`
        : `the upstream did not send its response head within ${this.options.firstByteTimeoutMs} ms`;
    this.fail(ex, 'timeout', new GatewayError('UPSTREAM_TIMEOUT', detail), { deadline });
  }

  /** The client closed its connection before its response was complete: the upstream exchange is cut. */
  clientGone(ex: Exchange): void {
    if (ex.settled) return;
    this.endAttempt(ex, 'client-gone', 0);
    this.settle(ex);
    ex.request?.destroy();
    ex.response?.destroy();
    this.options.onUpstreamFailure?.(ex.ctx, 'client-gone');
  }

  /** A final status outside 200–599 (node:http parses 000–999, and 101 comes as an upgrade). */
  invalidResponse(ex: Exchange, status: number): void {
    this.endAttempt(ex, 'invalid-response', status);
    this.fail(ex, 'invalid-response', new GatewayError('UPSTREAM_INVALID_RESPONSE', 'the upstream answered with a status the gateway cannot relay'), { upstreamStatus: status });
  }

  requestFailed(ex: Exchange, error: NodeJS.ErrnoException): void {
    if (ex.settled) return;
    // An error of an attempt that already ended before its head (destroyed for a retry): nothing to do.
    if (!ex.attemptOpen && !ex.response) return;
    const code = error.code ?? '';
    const err = { code, message: error.message };
    // llhttp's parse errors (HPE_*): the upstream answered something that is not HTTP/1.1.
    if (code.startsWith('HPE_')) {
      this.endAttempt(ex, 'invalid-response', 0);
      this.fail(ex, 'invalid-response', new GatewayError('UPSTREAM_INVALID_RESPONSE', 'the upstream sent a response that is not valid HTTP'), { err });
      return;
    }
    if (!ex.response) {
      const condition = CONNECT_ERRORS.has(code) ? 'connect-failure' : 'reset';
      this.endAttempt(ex, condition, 0);
      ex.request?.destroy();
      if (this.retry(ex, condition, { err })) return;
    }
    this.fail(ex, ex.response ? 'reset-mid-body' : 'connect', new GatewayError('UPSTREAM_UNAVAILABLE', 'the upstream could not be reached'), { err });
  }

  respond(ex: Exchange, response: IncomingMessage): void {
    const { ctx } = ex;
    const request = ex.request!;
    ex.response = response;
    (response as WithExchange)[EXCHANGE] = ex;
    response.on('error', ignore);
    response.on('close', onResponseClose);
    ctx.upstreamLatencyMs = performance.now() - ctx.upstreamStartedAt!;
    // An answer before the whole request was written: the upstream may not have read the body,
    // so this connection's framing is in doubt and it is closed after the response.
    if (!request.writableFinished) request.shouldKeepAlive = false;
    const status = response.statusCode ?? 0;
    if (!(status >= 200 && status <= 599)) {
      this.invalidResponse(ex, status);
      return;
    }
    this.endAttempt(ex, 'response', status);
    if (status >= 500 && this.group.retries) {
      const condition: RetryCondition | undefined = this.group.retries.on.includes('5xx') ? '5xx' : status >= 502 && status <= 504 ? 'gateway-error' : undefined;
      if (condition && this.retry(ex, condition, { upstreamStatus: status })) {
        // Nothing of this answer reaches the client; its connection is not reused.
        ex.response = undefined;
        response.destroy();
        request.destroy();
        if (ex.span !== undefined) this.endSpan(ex);
        return;
      }
    }
    // The upstream answered (the request took effect), whether or not its answer is relayed.
    if (ctx.capture) ctx.capture.answered = status;
    // A HEAD answer has no body to check; neither do responses the client will not see.
    const mode = ex.check && ctx.req.method !== 'HEAD' ? this.options.responseValidation : 'off';
    if (mode === 'enforce') {
      ex.chunks = [];
      response.on('data', onResponseData);
      response.on('end', onEnforcedEnd);
      return;
    }
    if (!this.startRelay(ex, response)) return;
    if (ctx.capture) response.on('data', onCaptureData);
    if (mode === 'report') {
      // Registered before the pipe: the copy is checked before the client response ends, so
      // the access log line of this request carries the verdict.
      ex.chunks = [];
      response.on('data', onResponseData);
      response.on('end', onReportedEnd);
    }
    response.pipe(ctx.res);
  }

  /** Status and headers toward the client; false (and the exchange failed) when they cannot be relayed. */
  private startRelay(ex: Exchange, response: IncomingMessage, body?: Buffer): boolean {
    const res = ex.ctx.res;
    res.statusCode = response.statusCode!;
    if (!copyHeaders(ex, response, body?.length)) {
      this.fail(ex, 'invalid-response', new GatewayError('UPSTREAM_INVALID_RESPONSE', 'the upstream sent a header the gateway cannot relay'), {});
      return false;
    }
    // The upstream's own head (and a buffered body), before the response steps add the gateway's fields.
    const capture = ex.ctx.capture;
    if (capture) {
      capture.head(res.statusCode, response.headers);
      if (body) capture.chunk(body);
    }
    if (ex.respond) ex.respond(ex.ctx, res.statusCode);
    return true;
  }

  collect(ex: Exchange, response: IncomingMessage, chunk: Buffer): void {
    const chunks = ex.chunks;
    if (!chunks) return;
    ex.size += chunk.length;
    if (ex.size <= this.options.maxResponseBytes) {
      chunks.push(chunk);
      return;
    }
    ex.chunks = undefined;
    if (this.options.responseValidation === 'report') {
      this.options.logger.warn({ requestId: ex.ctx.requestId, api: ex.ctx.api?.apiId, size: ex.size }, 'response too large to validate');
      return;
    }
    response.off('data', onResponseData);
    this.reportInvalid(ex.ctx, { ok: false, violations: [{ pointer: '/body', message: `response body exceeds ${this.options.maxResponseBytes} bytes` }], detail: 'response too large to validate' }, 'enforce');
    this.fail(ex, 'response-too-large', new GatewayError('RESPONSE_INVALID', 'the upstream response does not match the API contract'), { size: ex.size });
  }

  finishEnforced(ex: Exchange, response: IncomingMessage): void {
    if (ex.settled || !ex.chunks) return;
    const body = ex.chunks.length === 1 ? ex.chunks[0]! : Buffer.concat(ex.chunks, ex.size);
    ex.chunks = undefined;
    const verdict = ex.check!(response.statusCode!, response.headers['content-type'], body, ex.ctx);
    if (!verdict.ok) {
      this.reportInvalid(ex.ctx, verdict, 'enforce');
      this.fail(ex, 'invalid-response', new GatewayError('RESPONSE_INVALID', 'the upstream response does not match the API contract'), {});
      return;
    }
    this.settle(ex);
    if (this.startRelay(ex, response, body)) ex.ctx.res.end(body);
  }

  responseClosed(ex: Exchange, response: IncomingMessage): void {
    if (ex.settled) return;
    if (!response.complete) {
      // Reset, or closed before the declared length: the client must not wait for the rest.
      if (ex.ctx.res.headersSent) {
        this.settle(ex);
        ex.request?.destroy();
        ex.ctx.errorCode = 'UPSTREAM_UNAVAILABLE';
        this.options.logger.warn({ requestId: ex.ctx.requestId, api: ex.ctx.api?.apiId, reason: 'reset-mid-body' }, 'the upstream response ended before its body was complete');
        this.options.onUpstreamFailure?.(ex.ctx, 'reset-mid-body');
        ex.ctx.res.destroy();
        return;
      }
      this.fail(ex, 'reset-mid-body', new GatewayError('UPSTREAM_UNAVAILABLE', 'the upstream connection failed while sending the response'), {});
      return;
    }
    // Complete: relayed, and checked on 'end' in report and enforce modes.
    this.settle(ex);
  }

  /** Report mode: the relayed body is complete; check the copy. */
  checkReported(ex: Exchange, response: IncomingMessage): void {
    const chunks = ex.chunks;
    if (!chunks) return;
    ex.chunks = undefined;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, ex.size);
    const verdict = ex.check!(response.statusCode!, response.headers['content-type'], body, ex.ctx);
    if (!verdict.ok) this.reportInvalid(ex.ctx, verdict, 'report');
  }

  private reportInvalid(ctx: RequestContext, verdict: ResponseVerdict & { ok: false }, mode: 'report' | 'enforce'): void {
    ctx.responseViolations = verdict.violations.length;
    // Details go to the log only: a client never sees upstream internals.
    this.options.logger.warn(
      { requestId: ctx.requestId, api: ctx.api?.apiId, version: ctx.api?.version, operationId: ctx.operation?.operationId, mode, violations: verdict.violations.slice(0, 20) },
      `response breaks the contract: ${verdict.detail}`,
    );
    this.options.onResponseInvalid?.(ctx, mode, verdict.violations);
  }

  close(): void {
    this.group.close();
  }
}

/**
 * Called when a client response closed: if its upstream exchange is still running, it is cut
 * (the connection is not reused) so that an abandoned request costs the upstream nothing more.
 */
export function abandonUpstream(request: ClientRequest): void {
  const ex = exchangeOf(request);
  if (ex && !ex.settled) ex.proxy.clientGone(ex);
}

/** Creates the proxy of one upstream; the connection pool lives as long as the proxy. */
export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  return new Upstream(options);
}
