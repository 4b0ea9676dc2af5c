/**
 * `GET|POST /admin/apis/{api}/impact`: which consumers a change would affect, from the usage
 * records (the diff of a registered base against a registered version, or against the proposed
 * document sent as the body). `GET /admin/impact/deprecations`: who still calls what is
 * deprecated. Owners of the API and admins only: the reports name consumers.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { GatewayError } from '../../errors/problem.js';
import { deprecationReport } from '../../impact/deprecations.js';
import { computeImpact, DEFAULT_WINDOW, MAX_WINDOW_DAYS, parseWindowDays, type ImpactReport, type ImpactRequest, type ImpactResult } from '../../impact/index.js';
import { judgeBreakingChanges } from '../../registry/breaking-change-gate.js';
import type { BreakingChangePolicy } from '../../registry/schema.js';
import { callerOf, requireOwnership } from '../caller.js';
import { DOCUMENT_MEDIA_TYPES } from '../admin-openapi.js';
import { DEFAULT_MAX_DOCUMENT_BYTES } from '../schema.js';
import type { AdminDependencies, AdminRoutes } from './index.js';

function queryOf(req: Request): URLSearchParams {
  const url = req.originalUrl ?? req.url;
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** The default window of the deprecations report: a week of calls. */
const DEPRECATIONS_WINDOW = '7d';

function windowDays(query: URLSearchParams, fallback: string): number {
  const text = query.get('window') ?? fallback;
  const days = parseWindowDays(text);
  if (days === undefined) throw new GatewayError('REQUEST_INVALID', `window must be a number of days such as 30d (1d to ${MAX_WINDOW_DAYS}d), got "${text}"`, { errors: [{ pointer: '/query/window', message: 'must be <days>d' }] });
  return days;
}

/** The services the report needs, or 503 naming the one that is off. */
function services(deps: AdminDependencies): { registry: NonNullable<AdminDependencies['registry']>; usage: NonNullable<AdminDependencies['usage']> } {
  if (!deps.registry) throw new GatewayError('SERVICE_UNAVAILABLE', 'the contract registry is not open on this listener (registry.enabled is false): impact needs the registered base version');
  if (!deps.usage) throw new GatewayError('SERVICE_UNAVAILABLE', 'usage records are not kept (usage.enabled is false): impact analysis needs them');
  return { registry: deps.registry, usage: deps.usage };
}

/** What the registry's breaking-change policy of the API would decide (the same verdict registration reaches). */
type GateVerdict = ReturnType<typeof judgeBreakingChanges>;

function answer(res: Response, result: ImpactResult, api: string, gate: GateVerdict | undefined): void {
  switch (result.kind) {
    case 'report': {
      const body = JSON.stringify(gate ? { ...result.report, gate } : result.report);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    case 'not-found':
      throw new GatewayError('VERSION_NOT_FOUND', `${api} ${result.version} is not registered`);
    case 'invalid':
      throw new GatewayError('CONTRACT_UNUSABLE', result.detail, { errors: result.pointer !== undefined ? [{ pointer: result.pointer, message: result.line !== undefined ? `line ${result.line}: ${result.detail}` : result.detail }] : undefined });
  }
}

function handle(fn: (req: Request, res: Response) => Promise<void>): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    fn(req, res).then(undefined, next);
  };
}

async function run(req: Request, res: Response, deps: AdminDependencies, revision: ImpactRequest['revision'] | undefined): Promise<void> {
  const api = String(req.params.api);
  requireOwnership(callerOf(res), api);
  const { registry, usage } = services(deps);
  const query = queryOf(req);
  const base = query.get('base');
  if (!base) throw new GatewayError('REQUEST_INVALID', 'query parameter base (the registered version the change starts from) is required', { errors: [{ pointer: '/query/base', message: 'required' }] });
  // The policy's window is the default, so that a plain request reads what registration would.
  const policy = registry.judge?.policy(api);
  const days = windowDays(query, policy?.window ?? DEFAULT_WINDOW);
  if (!revision) {
    const version = query.get('revision');
    if (!version) throw new GatewayError('REQUEST_INVALID', 'query parameter revision (a registered version) is required, or POST the proposed document', { errors: [{ pointer: '/query/revision', message: 'required' }] });
    revision = { version };
  }
  const consumers = deps.consumers?.() ?? [];
  const now = (deps.now ?? Date.now)();
  const request = { api, base, revision, windowDays: days };
  const result = await computeImpact({ registry, usage, consumers }, request, now);
  answer(res, result, api, result.kind === 'report' ? await gateOf(result.report, policy, (windowDays) => computeImpact({ registry, usage, consumers }, { ...request, windowDays }, now)) : undefined);
}

/**
 * The verdict of the API's breaking-change policy, for `accord check --admin-url`: on the report
 * itself when it read the policy's window, else on one over that window. `block`: no verdict here
 * (any breaking change within the major is refused, which the caller's own diff already knows).
 */
async function gateOf(report: ImpactReport, policy: BreakingChangePolicy | undefined, over: (days: number) => Promise<ImpactResult>): Promise<GateVerdict | undefined> {
  if (!policy || policy.mode !== 'block-if-used') return undefined;
  const days = parseWindowDays(policy.window) ?? report.window.days;
  if (days === report.window.days) return judgeBreakingChanges(report, policy);
  const other = await over(days);
  return other.kind === 'report' ? judgeBreakingChanges(other.report, policy) : undefined;
}

export const impactRoutes: AdminRoutes = {
  name: 'impact',
  // Served under the registry's `/admin` (listed after it, so its access rules apply); the routes
  // check ownership of the API themselves, reads included.
  base: '/admin',
  access: 'owner',
  mount(router, deps) {
    const maxBytes = deps.maxDocumentBytes ?? (() => DEFAULT_MAX_DOCUMENT_BYTES);
    // Behind the admin listener the request validation has read the body already (the parser then skips).
    let parser: { limit: number; parse: ReturnType<typeof express.text> } | undefined;
    const parse = (req: Request, res: Response, next: NextFunction): void => {
      const limit = maxBytes();
      if (parser?.limit !== limit) parser = { limit, parse: express.text({ type: [...DOCUMENT_MEDIA_TYPES], limit, defaultCharset: 'utf-8' }) };
      parser.parse(req, res, next);
    };
    router.get('/admin/apis/:api/impact', handle((req, res) => run(req, res, deps, undefined)));
    router.get('/admin/impact/deprecations', handle(async (req, res) => {
      const query = queryOf(req);
      const api = query.get('api') ?? undefined;
      const caller = callerOf(res);
      if (api === undefined && !caller.isAdmin) throw new GatewayError('API_NOT_OWNED', 'an owner token reads one API at a time: add ?api=<an API you own> (every API needs the admin scope)');
      if (api !== undefined) requireOwnership(caller, api);
      const days = windowDays(query, DEPRECATIONS_WINDOW);
      const { registry, usage } = services(deps);
      const report = await deprecationReport({ registry, usage, consumers: deps.consumers?.() ?? [] }, { ...(api !== undefined ? { api } : {}), windowDays: days }, Date.now());
      const body = JSON.stringify(report);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
    }));
    router.post('/admin/apis/:api/impact', parse, handle(async (req, res) => {
      requireOwnership(callerOf(res), String(req.params.api));
      if (typeof req.body !== 'string' || req.body === '') {
        throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `send the proposed OpenAPI document as the body, with Content-Type ${DOCUMENT_MEDIA_TYPES.join(', ')}`);
      }
      if (queryOf(req).has('revision')) throw new GatewayError('REQUEST_INVALID', 'POST sends the revision as the body: drop the revision query parameter', { errors: [{ pointer: '/query/revision', message: 'not with a body' }] });
      await run(req, res, deps, { document: req.body });
    }));
  },
};
