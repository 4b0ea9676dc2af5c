/**
 * `GET|PUT /admin/log-level`: the log level of this process, read and changed at runtime (admin
 * scope), optionally for a while only (`durationSeconds`). The change is logged with its caller.
 */
import { GatewayError } from '../../errors/problem.js';
import { callerOf } from '../caller.js';
import type { LogLevelControl } from '../../observability/log-level-control.js';
import type { Response } from 'express';
import type { AdminDependencies, AdminRoutes } from './index.js';

function control(deps: AdminDependencies): LogLevelControl {
  if (!deps.logLevel) throw new GatewayError('SERVICE_UNAVAILABLE', 'this listener does not control a log level');
  return deps.logLevel;
}

function send(res: Response, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** The `/admin/log-level` resource of the admin listener, over the process's log level control. */
export const logLevelRoutes: AdminRoutes = {
  name: 'log-level',
  base: '/admin/log-level',
  access: 'admin',
  mount(router, deps) {
    router.get('/admin/log-level', (_req, res) => {
      send(res, control(deps).state);
    });
    router.put('/admin/log-level', (req, res) => {
      const levels = control(deps);
      // The body was validated against the admin document (level enum, durationSeconds range).
      const body = req.body as { level: Parameters<LogLevelControl['set']>[0]; durationSeconds?: number };
      const { actor } = callerOf(res);
      send(res, levels.set(body.level, `${actor.provider}/${actor.subject}`, body.durationSeconds));
    });
  },
};
