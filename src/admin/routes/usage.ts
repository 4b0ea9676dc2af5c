/** `GET /usage`: who called an operation, how often, when last, and what they send. */
import { GatewayError, type ProblemViolation } from '../../errors/problem.js';
import type { UsageFilter } from '../../usage/usage-record.js';
import type { AdminRoutes } from './index.js';

const FILTERS = ['api', 'operation', 'consumer', 'since'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the query into a filter; 400 REQUEST_INVALID naming each bad parameter. */
export function parseUsageFilter(query: URLSearchParams): UsageFilter {
  const errors: ProblemViolation[] = [];
  const filter: UsageFilter = {};
  for (const key of new Set(query.keys())) {
    if (!(FILTERS as readonly string[]).includes(key)) {
      errors.push({ pointer: `/query/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `unknown parameter (accepted: ${FILTERS.join(', ')})` });
      continue;
    }
    const values = query.getAll(key);
    const value = values[0]!;
    if (values.length > 1 || value === '') {
      errors.push({ pointer: `/query/${key}`, message: 'must be given once, not empty' });
      continue;
    }
    if (key === 'since') {
      const ms = Date.parse(DAY.test(value) ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(ms)) errors.push({ pointer: '/query/since', message: 'must be a date (YYYY-MM-DD) or an RFC 3339 date-time' });
      else filter.since = new Date(ms).toISOString().slice(0, 10);
    } else filter[key as 'api' | 'operation' | 'consumer'] = value;
  }
  if (errors.length > 0) throw new GatewayError('REQUEST_INVALID', errors.map((e) => `${e.pointer.slice(1)}: ${e.message}`).join('; '), { errors });
  return filter;
}

export const usageRoutes: AdminRoutes = {
  name: 'usage',
  base: '/usage',
  access: 'admin',
  mount(router, deps) {
    router.get('/usage', async (req, res) => {
      const usage = deps.usage;
      if (!usage) throw new GatewayError('SERVICE_UNAVAILABLE', 'usage records are not kept (usage.enabled is false)');
      const url = req.originalUrl ?? req.url;
      const q = url.indexOf('?');
      const filter = parseUsageFilter(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
      const report = await usage.query(filter);
      const body = JSON.stringify(report);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
    });
  },
};
