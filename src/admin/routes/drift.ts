/**
 * `GET /admin/drift`: response-validation violations per API, version, operation and upstream
 * target over a window, with example pointers and first and last seen. Admin scope, or an owner
 * asking about an API it owns (`api` is then required): target URLs are internal to the fleet.
 */
import { GatewayError, type ProblemViolation } from '../../errors/problem.js';
import { callerOf, requireOwnership } from '../caller.js';
import { parseDriftWindow, type DriftFilter } from '../../observability/drift-recorder.js';
import type { AdminRoutes } from './index.js';

/** The default window of a report. */
export const DEFAULT_DRIFT_WINDOW = '24h';

/** The `/admin/drift` resource of the admin listener, over the gateway's drift recorder. */
export const driftRoutes: AdminRoutes = {
  name: 'drift',
  base: '/admin/drift',
  access: 'owner',
  mount(router, deps) {
    router.get('/admin/drift', (req, res) => {
      const drift = deps.drift;
      if (!drift) throw new GatewayError('SERVICE_UNAVAILABLE', 'this listener has no drift recorder');
      const url = req.originalUrl ?? req.url;
      const q = url.indexOf('?');
      const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      const windowText = query.get('window') ?? DEFAULT_DRIFT_WINDOW;
      const windowMs = parseDriftWindow(windowText, drift.retentionHours);
      const errors: ProblemViolation[] = [];
      if (windowMs === undefined) errors.push({ pointer: '/query/window', message: `must be <n>m (up to 60m), <n>h or <n>d, at most ${drift.retentionHours}h` });
      if (errors.length > 0) throw new GatewayError('REQUEST_INVALID', `window: ${errors[0]!.message}`, { errors });
      const filter: DriftFilter = { api: query.get('api') ?? undefined, version: query.get('version') ?? undefined };
      const caller = callerOf(res);
      if (!caller.isAdmin) {
        if (filter.api === undefined) throw new GatewayError('API_NOT_OWNED', 'an API owner reads the drift of its own APIs: add api=<id>');
        requireOwnership(caller, filter.api);
      }
      const body = JSON.stringify(drift.report(windowMs!, filter));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
    });
  },
};
