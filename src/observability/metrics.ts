/** Prometheus metrics of the data plane (prom-client), one registry per gateway instance. */
import { Registry, Counter, Histogram, collectDefaultMetrics } from 'prom-client';
import type { ApiLabels } from '../gateway/pipeline/request-context.js';

/** Latency buckets in seconds, from 1 ms to 10 s: the range a gateway and its upstreams live in. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The gateway's metric instruments. */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'api' | 'version' | 'status' | 'code'>;
  duration: Histogram<'api' | 'version'>;
  upstreamDuration: Histogram<'api' | 'version'>;
  responseViolations: Counter<'api' | 'version' | 'operation' | 'mode'>;
  /** Records one finished request (`api` undefined when it matched no API). */
  observe(api: ApiLabels | undefined, status: number, code: string | undefined, latencyMs: number, upstreamLatencyMs: number | undefined): void;
}

type ApiSeries = { api: string; version: string };
const NO_API: ApiSeries = { api: '', version: '' };

/** Creates the instruments on a fresh registry (plus Node process metrics). */
export function createMetrics(options: { processMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'accord_' });
  const requests = new Counter({
    name: 'accord_requests_total',
    help: 'Requests handled, by API, served version, status and error code ("" when none).',
    labelNames: ['api', 'version', 'status', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'accord_request_duration_seconds',
    help: 'Time from request received to response finished.',
    labelNames: ['api', 'version'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamDuration = new Histogram({
    name: 'accord_upstream_duration_seconds',
    help: 'Time from the upstream request sent to its response head received.',
    labelNames: ['api', 'version'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const responseViolations = new Counter({
    name: 'accord_response_contract_violations_total',
    help: 'Upstream responses that broke their contract, by operation and validation mode.',
    labelNames: ['api', 'version', 'operation', 'mode'],
    registers: [registry],
  });
  // One label object per served API version, reused by every request routed to it.
  const series = new WeakMap<ApiLabels, ApiSeries>();
  const seriesOf = (api: ApiLabels | undefined): ApiSeries => {
    if (!api) return NO_API;
    let labels = series.get(api);
    if (!labels) series.set(api, (labels = { api: api.apiId, version: api.version }));
    return labels;
  };
  return {
    registry,
    requests,
    duration,
    upstreamDuration,
    responseViolations,
    observe(api, status, code, latencyMs, upstreamLatencyMs) {
      const labels = seriesOf(api);
      requests.inc({ api: labels.api, version: labels.version, status: String(status), code: code ?? '' });
      duration.observe(labels, latencyMs / 1000);
      if (upstreamLatencyMs !== undefined) upstreamDuration.observe(labels, upstreamLatencyMs / 1000);
    },
  };
}
