/**
 * Proxies a request to an upstream with http-proxy-middleware, over kept-alive connections, and
 * handles the upstream response itself so that proxied bodies can be checked against the contract.
 */
import http, { type IncomingMessage, type ServerResponse, type ClientRequest } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { createProxyMiddleware, proxyEventsPlugin, type RequestHandler } from 'http-proxy-middleware';
import { GatewayError, writeProblem } from '../../errors/problem.js';
import type { Logger } from '../../observability/logger.js';
import { contextOf, type RequestContext } from '../pipeline/request-context.js';
import { hopByHopOf } from '../edge/upstream-headers.js';

/** The result of checking a response against the operation's contract. */
export type ResponseVerdict = { ok: true } | { ok: false; violations: ReadonlyArray<{ pointer: string; message: string }>; detail: string };

/** Checks one upstream response (status, content type, body). */
export type ResponseChecker = (status: number, contentType: string | undefined, body: Buffer) => ResponseVerdict;

/** How an upstream is reached and how its responses are treated. */
export interface UpstreamProxyOptions {
  target: string;
  timeoutMs: number;
  responseValidation: 'enforce' | 'report' | 'off';
  maxResponseBytes: number;
  logger: Logger;
  /** Called when a response breaks its contract (both modes), for metrics. */
  onResponseInvalid?: (ctx: RequestContext, mode: 'enforce' | 'report') => void;
}

/** A proxy to one upstream. `forward` is terminal: it always ends the response. */
export interface UpstreamProxy {
  forward(req: IncomingMessage, res: ServerResponse, check: ResponseChecker | undefined): void;
  close(): void;
}

const CHECKER = Symbol('accord.responseChecker');
type WithChecker = IncomingMessage & { [CHECKER]?: ResponseChecker };
const REQUEST_CONTEXT = Symbol('accord.upstreamRequestContext');
type WithContext = ClientRequest & { [REQUEST_CONTEXT]?: RequestContext };

/** The 'timeout' listener of every upstream request (one function, no closure per request). */
function onUpstreamTimeout(this: ClientRequest): void {
  const ctx = (this as WithContext)[REQUEST_CONTEXT];
  if (ctx) ctx.upstreamTimedOut = true;
  this.destroy(new Error('upstream timeout'));
}

function copyHeaders(res: ServerResponse, proxyRes: IncomingMessage, bodyLength: number | undefined): void {
  const headers = proxyRes.headers;
  const skip = hopByHopOf(headers);
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !skip.has(name)) res.setHeader(name, value);
  }
  if (bodyLength !== undefined) res.setHeader('content-length', bodyLength);
}

/** Creates the proxy of one upstream; the connection pool lives as long as the proxy. */
export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  const isHttps = options.target.startsWith('https:');
  // Without an agent, http-proxy opens a new connection per request and sends Connection: close.
  const agent = isHttps
    ? new https.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 256, timeout: options.timeoutMs })
    : new http.Agent({ keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 256, timeout: options.timeoutMs });
  const { logger } = options;

  const onProxyReq = (proxyReq: ClientRequest, req: IncomingMessage): void => {
    const ctx = contextOf(req);
    if (!ctx) return;
    ctx.upstreamStartedAt = performance.now();
    // Set on every request: a pooled socket may carry a shorter timeout from a Keep-Alive hint.
    (proxyReq as WithContext)[REQUEST_CONTEXT] = ctx;
    proxyReq.setTimeout(options.timeoutMs);
    proxyReq.on('timeout', onUpstreamTimeout);
    // The body was consumed for validation: write the same bytes (Content-Length was set to match).
    if (ctx.body && ctx.body.length > 0) proxyReq.write(ctx.body);
  };

  const deliver = (res: ServerResponse, proxyRes: IncomingMessage, body: Buffer | undefined): void => {
    res.statusCode = proxyRes.statusCode ?? 502;
    if (proxyRes.statusMessage) res.statusMessage = proxyRes.statusMessage;
    copyHeaders(res, proxyRes, body?.length);
    if (body) res.end(body);
    else proxyRes.pipe(res);
  };

  const onProxyRes = (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse): void => {
    const ctx = contextOf(req);
    if (ctx?.upstreamStartedAt !== undefined) ctx.upstreamLatencyMs = performance.now() - ctx.upstreamStartedAt;
    const check = (req as WithChecker)[CHECKER];
    const mode = check ? options.responseValidation : 'off';
    if (mode === 'off' || !ctx) {
      deliver(res, proxyRes, undefined);
      return;
    }
    const status = proxyRes.statusCode ?? 0;
    const contentType = proxyRes.headers['content-type'];
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    if (mode === 'report') {
      // Stream to the client at once; validate a copy when the body is complete.
      proxyRes.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxResponseBytes) chunks.push(chunk);
        else overflow = true;
      });
      proxyRes.on('end', () => {
        if (overflow) {
          logger.warn({ requestId: ctx.requestId, api: ctx.api?.apiId, size }, 'response too large to validate');
          return;
        }
        const verdict = check!(status, contentType, Buffer.concat(chunks, size));
        if (!verdict.ok) reportInvalid(ctx, verdict, 'report');
      });
      deliver(res, proxyRes, undefined);
      return;
    }
    proxyRes.on('data', (chunk: Buffer) => {
      if (overflow) return;
      size += chunk.length;
      if (size > options.maxResponseBytes) {
        overflow = true;
        chunks.length = 0;
        proxyRes.destroy();
        const verdict = { ok: false as const, violations: [{ pointer: '/body', message: `response body exceeds ${options.maxResponseBytes} bytes` }], detail: 'response too large to validate' };
        reportInvalid(ctx, verdict, 'enforce');
        ctx.errorCode = 'RESPONSE_INVALID';
        writeProblem(res, new GatewayError('RESPONSE_INVALID', 'the upstream response does not match the API contract'), ctx.requestId);
        return;
      }
      chunks.push(chunk);
    });
    proxyRes.on('end', () => {
      if (overflow) return;
      const body = Buffer.concat(chunks, size);
      const verdict = check!(status, contentType, body);
      if (verdict.ok) {
        deliver(res, proxyRes, body);
        return;
      }
      reportInvalid(ctx, verdict, 'enforce');
      ctx.errorCode = 'RESPONSE_INVALID';
      writeProblem(res, new GatewayError('RESPONSE_INVALID', 'the upstream response does not match the API contract'), ctx.requestId);
    });
    proxyRes.on('error', () => {
      ctx.errorCode = 'UPSTREAM_UNAVAILABLE';
      if (!res.headersSent) writeProblem(res, new GatewayError('UPSTREAM_UNAVAILABLE', 'the upstream connection failed while sending the response'), ctx.requestId);
      else res.destroy();
    });
  };

  const reportInvalid = (ctx: RequestContext, verdict: ResponseVerdict & { ok: false }, mode: 'report' | 'enforce'): void => {
    ctx.responseViolations = verdict.violations.length;
    // Details go to the log only: a client never sees upstream internals.
    logger.warn(
      { requestId: ctx.requestId, api: ctx.api?.apiId, version: ctx.api?.version, operationId: ctx.operation?.operationId, mode, violations: verdict.violations.slice(0, 20) },
      `response breaks the contract: ${verdict.detail}`,
    );
    options.onResponseInvalid?.(ctx, mode);
  };

  const onError = (error: Error, req: IncomingMessage, res: ServerResponse | import('node:net').Socket): void => {
    const ctx = contextOf(req);
    if (!ctx || !('setHeader' in res)) return;
    const code = (error as NodeJS.ErrnoException).code;
    if (ctx.upstreamTimedOut) {
      ctx.errorCode = 'UPSTREAM_TIMEOUT';
      writeProblem(res, new GatewayError('UPSTREAM_TIMEOUT', `the upstream did not answer within ${options.timeoutMs} ms`), ctx.requestId);
      return;
    }
    logger.warn({ requestId: ctx.requestId, api: ctx.api?.apiId, err: { code, message: error.message } }, 'upstream request failed');
    ctx.errorCode = 'UPSTREAM_UNAVAILABLE';
    writeProblem(res, new GatewayError('UPSTREAM_UNAVAILABLE', 'the upstream could not be reached'), ctx.requestId);
  };

  const middleware: RequestHandler<IncomingMessage, ServerResponse> = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: options.target,
    changeOrigin: true,
    agent,
    xfwd: false,
    selfHandleResponse: true,
    // Only the plugin that wires `on` handlers: logging and error pages are Accord's own.
    ejectPlugins: true,
    plugins: [proxyEventsPlugin],
    on: { proxyReq: onProxyReq, proxyRes: onProxyRes, error: onError },
  });

  return {
    forward(req, res, check) {
      if (check) (req as WithChecker)[CHECKER] = check;
      void middleware(req, res, (error?: unknown) => {
        const ctx = contextOf(req);
        logger.error({ requestId: ctx?.requestId, err: error }, 'proxy could not start');
        writeProblem(res, new GatewayError('INTERNAL_ERROR', 'the request could not be proxied'), ctx?.requestId ?? 'unknown');
      });
    },
    close() {
      agent.destroy();
    },
  };
}
