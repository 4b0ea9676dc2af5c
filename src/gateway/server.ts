/**
 * The data-plane HTTP(S) server: Express as the transport (health endpoints, then the gateway
 * handler), Node's limits against slow or oversized clients, and graceful shutdown.
 */
import http, { type Server } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsMaterial } from './policies/mtls/tls-material.js';
import express from 'express';
import { GatewayError, toProblem } from '../errors/problem.js';
import type { ListenConfig } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import type { Gateway } from './gateway.js';
import { requestIdFrom } from './edge/request-identity.js';
import { expressMessageClasses } from './express-messages.js';

/** A running data-plane listener. */
export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting, lets in-flight requests finish within the grace period, then closes. */
  shutdown(): Promise<void>;
}

type RawProblemCode = 'HEADERS_TOO_LARGE' | 'REQUEST_MALFORMED' | 'REQUEST_TIMEOUT';

const REASONS: Record<RawProblemCode, string> = {
  HEADERS_TOO_LARGE: 'Request Header Fields Too Large',
  REQUEST_MALFORMED: 'Bad Request',
  REQUEST_TIMEOUT: 'Request Timeout',
};

/** A whole HTTP/1.1 problem response, for errors found before a request object exists. */
function rawProblem(code: RawProblemCode, detail: string): string {
  const problem = toProblem(new GatewayError(code, detail), requestIdFrom(undefined));
  const body = JSON.stringify(problem);
  return `HTTP/1.1 ${problem.status} ${REASONS[code]}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/**
 * How often node:http looks for clients that are too slow to send their request. Node checks
 * `headersTimeout` and `requestTimeout` only on this tick (30 s by default), so a client trickling
 * one byte at a time kept its connection for up to 30 s past either limit. A quarter of the
 * shorter limit bounds the overshoot to 25 %; the check walks only connections with a request in
 * progress, so even a 50 ms tick is cheap.
 */
export function connectionsCheckingIntervalFor(listen: Pick<ListenConfig, 'headersTimeoutMs' | 'requestTimeoutMs'>): number {
  return Math.min(1000, Math.max(50, Math.floor(Math.min(listen.headersTimeoutMs, listen.requestTimeoutMs) / 4)));
}

/**
 * Answers the gateway's own endpoints (`/healthz`, `/readyz`); false for any other request. A plain
 * string switch rather than Express routes: routes in front of the proxy made Express match each
 * of them on every proxied request. `/metrics` is on the admin listener: the public port reveals
 * nothing about the fleet.
 */
function serveOperational(gateway: Gateway, req: http.IncomingMessage, res: http.ServerResponse, readiness: ReadinessDetail | undefined): boolean {
  const url = req.url ?? '';
  if (url.charCodeAt(1) !== 104 /* h */ && url.charCodeAt(1) !== 114 /* r */) return false;
  const path = url.split('?', 1)[0];
  if (path !== '/healthz' && path !== '/readyz') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  // Tracked like proxied requests, so that shutdown waits for a probe in progress.
  const entry = gateway.inFlight.add(res);
  res.once('close', () => gateway.inFlight.remove(entry));
  const send = (status: number, contentType: string, body: string): void => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (path === '/healthz') send(200, 'application/json', '{"status":"ok"}');
  else if (gateway.isReady()) send(200, 'application/json', JSON.stringify({ status: 'ready', ...readiness?.() }));
  else send(503, 'application/json', '{"status":"not ready"}');
  return true;
}

/** What /readyz says beyond `status` (e.g. whether the rate-limit store is degraded); read per /readyz request. */
export type ReadinessDetail = () => Record<string, unknown>;

/** Builds the Express app: one handler, so Express costs what it costs in front of a plain proxy. */
export function createApp(gateway: Gateway, readiness?: ReadinessDetail): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);
  app.use((req, res) => {
    if (!serveOperational(gateway, req, res, readiness)) gateway.handle(req, res);
  });
  return app;
}

/** TLS of the listener, when it serves HTTPS. */
export interface ServerTls {
  material: TlsMaterial;
  /** Counts a failed handshake (a metric), by reason. */
  onHandshakeFailure?(reason: HandshakeFailure): void;
}

/** Why a TLS handshake failed, in few enough words for a metric label. */
export type HandshakeFailure = 'protocol-version' | 'plain-http' | 'handshake' | 'timeout' | 'reset' | 'other';

/** The label of a handshake error. */
export function handshakeFailureOf(error: NodeJS.ErrnoException): HandshakeFailure {
  const code = error.code ?? '';
  if (code === 'ERR_SSL_HTTP_REQUEST') return 'plain-http';
  if (/UNSUPPORTED_PROTOCOL|VERSION_TOO_LOW|WRONG_VERSION|NO_PROTOCOLS|PROTOCOL_VERSION/.test(code)) return 'protocol-version';
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'timeout';
  if (code === 'ECONNRESET') return 'reset';
  if (code.startsWith('ERR_SSL_')) return 'handshake';
  return 'other';
}

/** Starts the listener (HTTPS when `tls` serves it). Resolves once it is bound. */
export function startServer(gateway: Gateway, listen: ListenConfig, logger: Logger, port = listen.port, extras: { readiness?: ReadinessDetail; tls?: ServerTls } = {}): Promise<RunningServer> {
  const { readiness, tls } = extras;
  const app = createApp(gateway, readiness);
  const options: http.ServerOptions = {
    maxHeaderSize: listen.maxHeaderBytes,
    requestTimeout: listen.requestTimeoutMs,
    headersTimeout: listen.headersTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingIntervalFor(listen),
    ...expressMessageClasses(app),
  };
  const secure = tls?.material.secureContextOptions();
  let server: Server;
  if (tls && secure) {
    // Every client is asked for a certificate, and the handshake succeeds without one or with one
    // that fails verification: the mtls policy then answers with a coded problem, per API.
    // The handshake gets no longer than a request head: a client that stalls it holds a socket too.
    const httpsServer = https.createServer({ ...options, ...secure, requestCert: true, rejectUnauthorized: false, handshakeTimeout: listen.headersTimeoutMs }, app);
    tls.material.onSecureContext((next) => httpsServer.setSecureContext(next));
    httpsServer.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      const reason = handshakeFailureOf(error);
      tls.onHandshakeFailure?.(reason);
      logger.info({ reason, code: error.code, peer: socket.remoteAddress }, 'TLS handshake failed');
    });
    server = httpsServer;
  } else {
    server = http.createServer(options, app);
  }
  server.keepAliveTimeout = listen.keepAliveTimeoutMs;
  // `Expect: 100-continue` is answered by the pipeline once the request is admitted (read-body.ts),
  // not by node:http on arrival; a request refused before that gets its final answer and the
  // connection closes (node:http does so when 100 was never sent).
  server.on('checkContinue', app);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // Answer only when nothing of a response went out on this socket yet; else just close it.
    const started = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage?.headersSent === true;
    if (!socket.writable || started) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') socket.end(rawProblem('HEADERS_TOO_LARGE', `request head exceeds ${listen.maxHeaderBytes} bytes`));
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end(rawProblem('REQUEST_TIMEOUT', `the request was not received within ${listen.headersTimeoutMs} ms (head) / ${listen.requestTimeoutMs} ms (whole request)`));
    else socket.end(rawProblem('REQUEST_MALFORMED', 'the request could not be parsed as HTTP/1.1'));
    // end() leaves the socket to the peer, and a client that keeps trickling bytes never looks idle:
    // a wall-clock second to read the answer, then the socket is gone.
    const linger = setTimeout(() => socket.destroy(), 1000);
    linger.unref();
    socket.once('close', () => clearTimeout(linger));
  });
  const inFlight = gateway.inFlight;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listen.host, () => {
      server.off('error', reject);
      const address = server.address();
      const boundPort = typeof address === 'object' && address ? address.port : port;
      const host = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
      let closing: Promise<void> | undefined;
      resolve({
        server,
        port: boundPort,
        url: `${secure ? 'https' : 'http'}://${host}:${boundPort}`,
        shutdown() {
          closing ??= new Promise<void>((done) => {
            logger.info({ inFlight: inFlight.size }, 'shutting down: no new connections, finishing in-flight requests');
            server.close(() => done());
            server.closeIdleConnections();
            // Responses sent from now on close their connections, so keep-alive clients go away.
            for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
            const timer = setTimeout(() => {
              logger.warn({ inFlight: inFlight.size }, 'grace period over: closing remaining connections');
              server.closeAllConnections();
            }, listen.shutdownGraceMs);
            timer.unref();
            const poll = setInterval(() => {
              server.closeIdleConnections();
              if (inFlight.size === 0) clearInterval(poll);
            }, 50);
            poll.unref();
          });
          return closing;
        },
      });
    });
  });
}
