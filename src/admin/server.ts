/**
 * The admin listener: a small Express app on its own server (default 127.0.0.1:9080), apart from
 * partner traffic. In order: request id, `GET /admin/openapi.json` (public), authentication (the
 * caller), the resource's access rule (admin scope, or API owner), request validation against
 * the admin OpenAPI document, the resources, then 404 and the problem writer.
 */
import http, { type Server } from 'node:http';
import https from 'node:https';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GatewayError, writeProblem } from '../errors/problem.js';
import { requestIdFrom } from '../gateway/edge/request-identity.js';
import { createAdminAuth, requireAdminScope, type AdminAuthSource } from './auth.js';
import { setCaller } from './caller.js';
import { ADMIN_OPENAPI_TEXT } from './admin-openapi.js';
import type { AdminTlsMaterial } from './admin-tls.js';
import { AdminRequestValidator } from './admin-request-validation.js';
import { ADMIN_ROUTES, type AdminDependencies, type AdminRoutes } from './routes/index.js';

/** A running admin listener. */
export interface RunningAdminServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting; requests in progress get `graceMs` to finish. */
  close(graceMs?: number): Promise<void>;
}

/** Options of the admin listener. */
export interface AdminServerOptions {
  host: string;
  port: number;
  auth: AdminAuthSource;
  deps: AdminDependencies;
  /** The resources served (ADMIN_ROUTES unless a test says otherwise). */
  routes?: readonly AdminRoutes[];
  /** HTTPS with a required client certificate from `ca` (admin.listen.tls); plain HTTP without. */
  tls?: AdminTlsMaterial;
}

/** The resource serving a path (its base, or under it). */
function resourceOf(resources: readonly AdminRoutes[], path: string): AdminRoutes | undefined {
  return resources.find((r) => path === r.base || path.startsWith(`${r.base}/`));
}

/** Body-parser failures (a resource's own parser) as problems. */
function bodyParserProblem(error: unknown): GatewayError | undefined {
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  if (type === 'entity.too.large') return new GatewayError('PAYLOAD_TOO_LARGE', 'the body exceeds the limit of this route');
  if (type === 'entity.parse.failed') return new GatewayError('REQUEST_MALFORMED', 'the body cannot be parsed');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return new GatewayError('UNSUPPORTED_MEDIA_TYPE', (error as Error).message);
  return undefined;
}

/** Builds the admin app. */
export function createAdminApp(options: Pick<AdminServerOptions, 'auth' | 'deps' | 'routes'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);
  const resources = options.routes ?? ADMIN_ROUTES;
  const check = createAdminAuth(options.auth);
  // Compiled once per listener, like a partner contract at load.
  const validator = new AdminRequestValidator({ maxDocumentBytes: options.deps.maxDocumentBytes });
  const requestIds = new WeakMap<Request, string>();
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    requestIds.set(req, requestId);
    res.setHeader('x-request-id', requestId);
    next();
  });
  // Public: the document describes the API and holds nothing about this deployment.
  app.get('/admin/openapi.json', (_req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(ADMIN_OPENAPI_TEXT), 'cache-control': 'no-cache' });
    res.end(ADMIN_OPENAPI_TEXT);
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    check(req.headers.authorization).then((caller) => {
      setCaller(res, caller);
      // Unknown paths need the admin scope too: an owner learns nothing from a 404 outside /admin.
      const resource = resourceOf(resources, req.path);
      if (resource?.access !== 'owner') requireAdminScope(caller, options.auth.scope());
      resource?.authorize?.(caller, req.method, req.path);
      next();
    }, next).catch(next);
  });
  app.use(validator.middleware());
  const router = express.Router();
  for (const resource of resources) resource.mount(router, options.deps);
  app.use(router);
  app.use((req: Request) => {
    throw new GatewayError('ROUTE_NOT_FOUND', `the admin listener serves no ${req.method} ${req.path}`);
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = requestIds.get(req) ?? requestIdFrom(undefined);
    const problem = error instanceof GatewayError ? error : bodyParserProblem(error);
    if (problem) return writeProblem(res, problem, requestId);
    options.deps.logger.error({ requestId, err: error }, 'unexpected error on the admin listener');
    writeProblem(res, new GatewayError('INTERNAL_ERROR', 'the admin listener failed to handle this request'), requestId);
  });
  return app;
}

/** Starts the admin listener; resolves once bound. */
export function startAdminServer(options: AdminServerOptions): Promise<RunningAdminServer> {
  const app = createAdminApp(options);
  const timeouts = { requestTimeout: 30_000, headersTimeout: 10_000 };
  // A client without a certificate of the CA never gets past the handshake: nothing of the admin API is reachable to it.
  const server: Server = options.tls
    ? https.createServer({ ...timeouts, key: options.tls.key, cert: options.tls.cert, ca: options.tls.ca, requestCert: true, rejectUnauthorized: true }, app)
    : http.createServer(timeouts, app);
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
      let closing: Promise<void> | undefined;
      resolve({
        server,
        port,
        url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
        close(graceMs = 5000) {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
          });
          return closing;
        },
      });
    });
  });
}
