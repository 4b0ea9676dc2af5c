/**
 * Admin API routes of API keys: issue (the key is in that one response), list, show and revoke.
 * A router factory over a key store; the admin listener mounts it (e.g. at /keys) behind its auth.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { GatewayError, writeProblem, type ProblemViolation } from '../../errors/problem.js';
import { KEY_ID_PATTERN } from '../../gateway/policies/auth/api-key-format.js';
import { parseExpiry } from '../../gateway/policies/auth/key-expiry.js';
import { KeyStoreInputError, type ApiKeyStore } from '../../gateway/policies/auth/stores/key-store.js';
import type { AdminRoutes } from './index.js';

/** Options of the keys routes. */
export interface KeysRouterOptions {
  /** True when a consumer with this id is declared; keys are issued to declared consumers only. Default: any well-formed id. */
  isDeclaredConsumer?: (id: string) => boolean;
  /** The request id of a request, for problem documents (default: the X-Request-Id header, else ''). */
  requestIdOf?: (req: Request) => string;
  /** Told of store failures (answered 503), for the admin listener's log. */
  onStoreError?: (error: unknown) => void;
}

const invalid = (violations: ProblemViolation[]): GatewayError =>
  new GatewayError('REQUEST_INVALID', violations.map((v) => `${v.pointer}: ${v.message}`).join('; '), { errors: violations });

/** Reads `{ consumer, expires? }` from a create request. */
function createInput(body: unknown, isDeclared: (id: string) => boolean): { consumer: string; expiresAt?: Date } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid([{ pointer: '/body', message: 'must be a JSON object with consumer and, optionally, expires' }]);
  const { consumer, expires, ...rest } = body as Record<string, unknown>;
  const violations: ProblemViolation[] = [];
  for (const name of Object.keys(rest)) violations.push({ pointer: `/body/${name}`, message: 'is not a field of a key (consumer, expires)' });
  if (typeof consumer !== 'string') violations.push({ pointer: '/body/consumer', message: 'is required: the id of a declared consumer' });
  else if (!isDeclared(consumer)) violations.push({ pointer: '/body/consumer', message: `"${consumer}" is not a declared consumer` });
  let expiresAt: Date | undefined;
  if (expires !== undefined && expires !== null) {
    const parsed = typeof expires === 'string' ? parseExpiry(expires) : { problem: 'must be a string: a duration (30d, 12h, 90m) or an ISO 8601 date' };
    if ('problem' in parsed) violations.push({ pointer: '/body/expires', message: parsed.problem });
    else expiresAt = parsed.date;
  }
  if (violations.length > 0) throw invalid(violations);
  return { consumer: consumer as string, expiresAt };
}

/** The key id of a path parameter; 404 for anything that cannot be one. */
function keyIdParam(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || !KEY_ID_PATTERN.test(id)) throw new GatewayError('API_KEY_NOT_FOUND', `"${String(id)}" is not a key id (16 hex digits)`);
  return id;
}

/**
 * The routes: `POST /` issues (201, with `key` this once), `GET /` lists (`?consumer=`), `GET
 * /:id` shows, `DELETE /:id` and `POST /:id/revoke` revoke (200 with the record, also when it
 * was revoked already). Every answer is `no-store`: one of them carries a secret.
 */
export function keysRouter(store: ApiKeyStore, options: KeysRouterOptions = {}): Router {
  const isDeclared = options.isDeclaredConsumer ?? (() => true);
  const requestIdOf = options.requestIdOf ?? ((req: Request) => (typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : ''));
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  router.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });

  router.post('/', async (req, res) => {
    const issued = await store.create(createInput(req.body, isDeclared));
    res.status(201).location(`${req.baseUrl}/${issued.record.id}`).json({ ...issued.record, key: issued.key });
  });
  router.get('/', async (req, res) => {
    // Read from the URL itself: the admin listener turns Express's query parser off.
    const url = req.originalUrl ?? req.url;
    const q = url.indexOf('?');
    const consumer = new URLSearchParams(q < 0 ? '' : url.slice(q + 1)).get('consumer') ?? undefined;
    res.json({ keys: await store.list({ consumer }) });
  });
  router.get('/:id', async (req, res) => {
    const id = keyIdParam(req);
    const found = (await store.list()).find((r) => r.id === id);
    if (!found) throw new GatewayError('API_KEY_NOT_FOUND', `no API key has the id ${id}`);
    res.json(found);
  });
  const revoke = async (req: Request, res: Response): Promise<void> => {
    const id = keyIdParam(req);
    const record = await store.revoke(id);
    if (!record) throw new GatewayError('API_KEY_NOT_FOUND', `no API key has the id ${id}`);
    res.json(record);
  };
  router.delete('/:id', revoke);
  router.post('/:id/revoke', revoke);

  // Express 5 passes rejected handlers here; everything leaves as a problem document.
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    let problem: GatewayError;
    if (error instanceof GatewayError) problem = error;
    else if (error instanceof KeyStoreInputError) problem = invalid([{ pointer: '/body', message: error.message }]);
    else if (typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed') problem = new GatewayError('REQUEST_MALFORMED', 'the body is not JSON');
    else if (typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.too.large') problem = new GatewayError('PAYLOAD_TOO_LARGE', 'the body exceeds 16 KB');
    else {
      options.onStoreError?.(error);
      problem = new GatewayError('SERVICE_UNAVAILABLE', `the key store ${store.description} cannot be used now`);
    }
    writeProblem(res, problem, requestIdOf(req));
  });
  return router;
}

/** The `/keys` resource of the admin listener, over the key store the composition root opened. */
export const keysRoutes: AdminRoutes = {
  name: 'keys',
  base: '/keys',
  access: 'admin',
  mount(router, deps) {
    const keys = deps.keys;
    if (!keys) {
      router.use('/keys', () => {
        throw new GatewayError('SERVICE_UNAVAILABLE', 'the API key store is not open on this listener');
      });
      return;
    }
    router.use('/keys', keysRouter(keys.store, { isDeclaredConsumer: keys.isDeclaredConsumer, onStoreError: (error) => deps.logger.warn({ err: error }, 'API key store failed on the admin listener') }));
  },
};
