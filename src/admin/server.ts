/**
 * The admin listener: a small Express app on its own server (default 127.0.0.1:9080), apart from
 * partner traffic. Every route sits behind admin authentication; every error is problem+json.
 */
import http, { type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GatewayError, writeProblem } from '../errors/problem.js';
import { requestIdFrom } from '../gateway/edge/request-identity.js';
import { createAdminAuth, type AdminAuthSource } from './auth.js';
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
}

/** Builds the admin app: request id, authentication, the resources, then 404 and the problem writer. */
export function createAdminApp(options: Pick<AdminServerOptions, 'auth' | 'deps' | 'routes'>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', false);
  const check = createAdminAuth(options.auth);
  const requestIds = new WeakMap<Request, string>();
  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    requestIds.set(req, requestId);
    res.setHeader('x-request-id', requestId);
    check(req.headers.authorization).then(() => next(), next);
  });
  const router = express.Router();
  for (const resource of options.routes ?? ADMIN_ROUTES) resource.mount(router, options.deps);
  app.use(router);
  app.use((req: Request) => {
    throw new GatewayError('ROUTE_NOT_FOUND', `the admin listener serves no ${req.method} ${req.path}`);
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = requestIds.get(req) ?? requestIdFrom(undefined);
    if (error instanceof GatewayError) return writeProblem(res, error, requestId);
    options.deps.logger.error({ requestId, err: error }, 'unexpected error on the admin listener');
    writeProblem(res, new GatewayError('INTERNAL_ERROR', 'the admin listener failed to handle this request'), requestId);
  });
  return app;
}

/** Starts the admin listener; resolves once bound. */
export function startAdminServer(options: AdminServerOptions): Promise<RunningAdminServer> {
  const app = createAdminApp(options);
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, app);
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
        url: `http://${host}:${port}`,
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
