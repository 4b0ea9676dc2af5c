/**
 * The registry's admin routes: register a version (the raw OpenAPI document), list, show, diff,
 * deprecate, retire, and read the audit log. Every change is the caller's own, recorded in the audit.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { GatewayError } from '../../errors/problem.js';
import type { Finding } from '../../governance/findings.js';
import { renderFindings } from '../../cli/formatters/index.js';
import type { RegistryService, RetireOutcome } from '../../registry/registry-service.js';
import { describeUsageDecision, type RegistrationResult } from '../../registry/register-version.js';
import type { VersionRecord } from '../../registry/model.js';
import { callerOf, requireOwnership } from '../caller.js';
import { DOCUMENT_MEDIA_TYPES } from '../admin-openapi.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../schema.js';
import type { AdminRoutes } from './index.js';

/** Media types a contract document may be sent as. */
const DOCUMENT_TYPES: string[] = [...DOCUMENT_MEDIA_TYPES];

/** Options of the contracts routes. */
export interface ContractsRoutesOptions {
  /** Largest document accepted (bytes); read per request. */
  maxDocumentBytes: () => number;
}

/** The query of a request, read from the URL itself: the admin listener turns Express's query parser off. */
function queryOf(req: Request): URLSearchParams {
  const url = req.originalUrl ?? req.url;
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** A finding as the admin API reports it (the `diff --format json` shape plus the line). */
function findingJson(f: Finding): Record<string, unknown> {
  return { id: f.id, severity: f.severity, message: f.message, operation: f.operation, location: f.location, ...(f.affects ? { affects: f.affects } : {}) };
}

/** Async route handlers: a rejected promise becomes the error middleware's problem. */
function handle(fn: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    fn(req, res).then(undefined, next);
  };
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}

function lifecycleOutcome(res: Response, outcome: RetireOutcome, api: string, version: string): void {
  switch (outcome.kind) {
    case 'in-use':
      throw new GatewayError(
        'VERSION_IN_USE',
        `${api} ${version} was called by ${outcome.consumers.length} consumer(s) in the last ${outcome.windowDays} day(s) (${outcome.consumers.map((c) => c.consumer).join(', ')}); retire it with force and a reason to override`,
        { extensions: { consumers: outcome.consumers, windowDays: outcome.windowDays } },
      );
    case 'changed':
      res.json(outcome.record);
      return;
    case 'not-found':
      throw new GatewayError('VERSION_NOT_FOUND', `${api} ${version} is not registered`);
    case 'wrong-state':
      throw new GatewayError('LIFECYCLE_CONFLICT', `${api} ${version} is ${outcome.record.status}`, { extensions: { version: outcome.record } });
    case 'invalid':
      throw new GatewayError('REQUEST_INVALID', outcome.detail);
  }
}

function registrationOutcome(res: Response, result: RegistrationResult, api: string): void {
  switch (result.kind) {
    case 'created':
      res.status(201).location(`/admin/apis/${api}/versions/${result.record.version}`).json({ version: result.record, overridden: result.overridden, findings: result.findings.map(findingJson) });
      return;
    case 'identical':
      res.status(200).json({ version: result.record, identical: true, findings: [] });
      return;
    case 'conflict':
      throw new GatewayError('VERSION_CONFLICT', `${api} ${result.record.version} is already registered with other content (${result.record.digest}); publish a new version`, { extensions: { version: result.record } });
    case 'rejected':
      throw new GatewayError('GOVERNANCE_REJECTED', `${api} ${result.version}: ${result.findings.filter((f) => f.severity === 'error').length} blocking finding(s); fix them, or publish with a new major for breaking changes`, {
        extensions: { findings: result.findings.map(findingJson) },
      });
    case 'in-use': {
      const d = result.decision;
      throw new GatewayError(d.outcome === 'in-use' ? 'BREAKING_CHANGE_IN_USE' : 'BREAKING_CHANGE_UNPROVEN', describeUsageDecision(api, result.version, result.base, d), {
        extensions: {
          base: result.base,
          policy: d.policy,
          window: d.window,
          coverage: d.coverage,
          consumers: d.consumers,
          reasons: d.reasons,
          findings: result.findings.map(findingJson),
        },
      });
    }
    case 'invalid':
      throw new GatewayError('CONTRACT_UNUSABLE', result.detail, { errors: result.pointer !== undefined ? [{ pointer: result.pointer, message: result.line !== undefined ? `line ${result.line}: ${result.detail}` : result.detail }] : undefined });
  }
}

/** Builds the router (mount it at `/admin` behind the admin listener's authentication). */
export function contractsRoutes(service: RegistryService, options: ContractsRoutesOptions): Router {
  const router = express.Router();
  // Behind the admin listener the request validator has read the body already (this parser then
  // skips); mounted alone, this parser reads it.
  let parser: { limit: number; parse: ReturnType<typeof express.text> } | undefined;
  const documentBody = (req: Request, res: Response, next: NextFunction): void => {
    const limit = options.maxDocumentBytes();
    if (parser?.limit !== limit) parser = { limit, parse: express.text({ type: DOCUMENT_TYPES, limit, defaultCharset: 'utf-8' }) };
    parser.parse(req, res, next);
  };

  router.get('/apis', handle(async (_req, res) => {
    const apis = await service.list();
    res.json({ apis: apis.map((a) => ({ api: a.api, versions: a.versions })) });
  }));

  router.get('/apis/:api/versions', handle(async (req, res) => {
    const [summary] = await service.list(param(req, 'api'));
    res.json({ api: param(req, 'api'), versions: summary?.versions ?? [] });
  }));

  router.post('/apis/:api/versions', documentBody, handle(async (req, res) => {
    const api = param(req, 'api');
    const caller = callerOf(res);
    requireOwnership(caller, api);
    if (typeof req.body !== 'string' || req.body === '') {
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `send the OpenAPI document as the body, with Content-Type ${DOCUMENT_TYPES.join(', ')}`);
    }
    const reason = req.get('accord-override-reason');
    registrationOutcome(res, await service.register({ api, document: req.body, actor: caller.actor, overrideReason: reason }), api);
  }));

  router.get('/apis/:api/versions/:version', handle(async (req, res) => {
    const found = await service.show(param(req, 'api'), param(req, 'version'));
    if (!found) throw new GatewayError('VERSION_NOT_FOUND', `${param(req, 'api')} ${param(req, 'version')} is not registered`);
    res.json(found.record satisfies VersionRecord);
  }));

  router.get('/apis/:api/versions/:version/document', handle(async (req, res) => {
    const found = await service.show(param(req, 'api'), param(req, 'version'));
    if (!found) throw new GatewayError('VERSION_NOT_FOUND', `${param(req, 'api')} ${param(req, 'version')} is not registered`);
    res.type(found.record.format === 'json' ? 'application/json' : 'application/yaml').set('etag', `"${found.record.digest}"`).send(found.document);
  }));

  router.get('/apis/:api/diff', handle(async (req, res) => {
    const api = param(req, 'api');
    const query = queryOf(req);
    const base = query.get('base') ?? undefined;
    const revision = query.get('revision') ?? undefined;
    if (!base || !revision) throw new GatewayError('REQUEST_INVALID', 'query parameters base and revision (two registered versions) are required');
    const result = await service.diff(api, base, revision);
    if (result.kind === 'not-found') throw new GatewayError('VERSION_NOT_FOUND', `${api} ${result.version} is not registered`);
    if (req.accepts(['application/json', 'text/markdown']) === 'text/markdown') {
      res.type('text/markdown').send(renderFindings({ tool: 'diff', findings: [...result.findings], files: [`${api}/${revision}`, `${api}/${base}`], failThreshold: 'error' }, 'markdown', { color: false }));
      return;
    }
    res.json({ breaking: result.breaking, changes: result.findings.map(findingJson) });
  }));

  router.post('/apis/:api/versions/:version/deprecation', express.json({ limit: 16 * 1024 }), handle(async (req, res) => {
    const api = param(req, 'api');
    const version = param(req, 'version');
    const caller = callerOf(res);
    requireOwnership(caller, api);
    const body = (req.body ?? {}) as { sunset?: unknown; successor?: unknown };
    if (body.sunset !== undefined && typeof body.sunset !== 'string') throw new GatewayError('REQUEST_INVALID', 'sunset must be an ISO 8601 date-time string', { errors: [{ pointer: '/body/sunset', message: 'must be a string' }] });
    if (body.successor !== undefined && typeof body.successor !== 'string') throw new GatewayError('REQUEST_INVALID', 'successor must be a version string', { errors: [{ pointer: '/body/successor', message: 'must be a string' }] });
    lifecycleOutcome(res, await service.deprecate(api, version, { sunset: body.sunset, successor: body.successor }, caller.actor), api, version);
  }));

  router.post('/apis/:api/versions/:version/retirement', express.json({ limit: 16 * 1024 }), handle(async (req, res) => {
    const api = param(req, 'api');
    const version = param(req, 'version');
    const caller = callerOf(res);
    requireOwnership(caller, api);
    const body = (req.body ?? {}) as { force?: unknown; reason?: unknown };
    if (body.force !== undefined && typeof body.force !== 'boolean') throw new GatewayError('REQUEST_INVALID', 'force must be a boolean', { errors: [{ pointer: '/body/force', message: 'must be a boolean' }] });
    if (body.reason !== undefined && typeof body.reason !== 'string') throw new GatewayError('REQUEST_INVALID', 'reason must be a string', { errors: [{ pointer: '/body/reason', message: 'must be a string' }] });
    const outcome = await service.retire(api, version, caller.actor, { force: body.force === true, reason: body.reason });
    if (outcome.kind === 'invalid' && (body.force === true || body.reason !== undefined)) throw new GatewayError('REQUEST_INVALID', outcome.detail, { errors: [{ pointer: '/body/reason', message: outcome.detail }] });
    lifecycleOutcome(res, outcome, api, version);
  }));

  router.get('/audit', handle(async (req, res) => {
    const query = queryOf(req);
    const text = (name: string): string | undefined => query.get(name) ?? undefined;
    const limit = Number(text('limit') ?? 50);
    const cursor = text('cursor');
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new GatewayError('REQUEST_INVALID', 'limit must be a whole number from 1 to 500', { errors: [{ pointer: '/query/limit', message: 'must be 1..500' }] });
    if (cursor !== undefined && !/^[0-9]{1,15}$/.test(cursor)) throw new GatewayError('REQUEST_INVALID', 'cursor must be the `next` value of a previous page', { errors: [{ pointer: '/query/cursor', message: 'not a cursor' }] });
    for (const name of ['since', 'until']) {
      const value = text(name);
      if (value !== undefined && Number.isNaN(Date.parse(value))) throw new GatewayError('REQUEST_INVALID', `${name} must be an ISO 8601 date-time`, { errors: [{ pointer: `/query/${name}`, message: 'not a date-time' }] });
    }
    const page = await service.audit({ limit, after: cursor !== undefined ? Number(cursor) : undefined, api: text('api'), actor: text('actor'), since: text('since'), until: text('until') });
    res.json({ entries: page.entries, next: page.next !== undefined ? String(page.next) : null });
  }));

  return router;
}

/** The registry resource of the admin listener, under `/admin`, over the registry the composition root opened. */
export const registryRoutes: AdminRoutes = {
  name: 'registry',
  base: '/admin',
  access: 'owner',
  authorize(caller, method, path) {
    // Changes (every POST) need ownership of the API in the path; the route checks again.
    if (method !== 'POST') return;
    const m = /^\/admin\/apis\/([^/]+)\//.exec(path);
    if (!m) return;
    let api: string;
    try {
      api = decodeURIComponent(m[1]!);
    } catch {
      return; // Not an API id: the request validation answers it.
    }
    requireOwnership(caller, api);
  },
  mount(router, deps) {
    const registry = deps.registry;
    if (!registry) {
      router.use('/admin', () => {
        throw new GatewayError('SERVICE_UNAVAILABLE', 'the contract registry is not open on this listener (the gateway runs without a registry)');
      });
      return;
    }
    router.use('/admin', contractsRoutes(registry, { maxDocumentBytes: deps.maxDocumentBytes ?? (() => DEFAULT_MAX_DOCUMENT_BYTES) }));
  },
};
