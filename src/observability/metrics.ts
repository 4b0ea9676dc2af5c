/** Prometheus metrics of the data plane (prom-client), one registry per gateway instance. */
import { Registry, Counter, Histogram, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds, from 1 ms to 10 s: the range a gateway and its upstreams live in. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The gateway's metric instruments. */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'api' | 'version' | 'status' | 'code'>;
  duration: Histogram<'api' | 'version'>;
  upstreamDuration: Histogram<'api' | 'version'>;
  responseViolations: Counter<'api' | 'version' | 'operation' | 'mode'>;
}

/** Creates the instruments on a fresh registry (plus Node process metrics). */
export function createMetrics(options: { processMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'accord_' });
  return {
    registry,
    requests: new Counter({
      name: 'accord_requests_total',
      help: 'Requests handled, by API, served version, status and error code ("" when none).',
      labelNames: ['api', 'version', 'status', 'code'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'accord_request_duration_seconds',
      help: 'Time from request received to response finished.',
      labelNames: ['api', 'version'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'accord_upstream_duration_seconds',
      help: 'Time from the upstream request sent to its response head received.',
      labelNames: ['api', 'version'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    responseViolations: new Counter({
      name: 'accord_response_contract_violations_total',
      help: 'Upstream responses that broke their contract, by operation and validation mode.',
      labelNames: ['api', 'version', 'operation', 'mode'],
      registers: [registry],
    }),
  };
}
