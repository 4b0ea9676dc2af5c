/**
 * `GET /metrics`: the process's Prometheus metrics, on the admin listener (admin scope) so that the
 * public port reveals nothing about the fleet.
 */
import { GatewayError } from '../../errors/problem.js';
import type { AdminRoutes } from './index.js';

export const metricsRoutes: AdminRoutes = {
  name: 'metrics',
  base: '/metrics',
  access: 'admin',
  mount(router, deps) {
    router.get('/metrics', async (_req, res) => {
      const metrics = deps.metrics;
      if (!metrics) throw new GatewayError('SERVICE_UNAVAILABLE', 'this listener has no metrics registry');
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
      res.end(text);
    });
  },
};
