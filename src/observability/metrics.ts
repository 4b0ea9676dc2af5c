/** Prometheus metrics of the data plane (prom-client), one registry per gateway instance. */
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
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
  upstreamFailures: Counter<'api' | 'version' | 'reason'>;
  /** Requests refused by a limit, by API and policy (`rate`, `burst`, `quota`). */
  limitRejections: Counter<'api' | 'policy'>;
  /** Configuration reload attempts by outcome (`success`, `rejected`). */
  configReloads: Counter<'outcome'>;
  /** Refused API keys and basic credentials, by reason. */
  apiKeyFailures: Counter<'reason'>;
  /** Failed reads of the API key store while following it. */
  apiKeyStoreErrors: Counter;
  /** Unix time in seconds of the last configuration that was loaded and put in service. */
  configLastReloadSuccess: Gauge;
  /** 1 while the rate-limit store is unreachable and an insurance limiter counts per process. */
  limiterDegraded: Gauge<'store'>;
  /** Limiter operations the insurance limiter answered because the store did not. */
  limiterFallbacks: Counter<'store'>;
  /** Requests refused over their client certificate, by reason. */
  mtlsRejections: Counter<'reason'>;
  /** TLS handshakes that failed before a request, by reason. */
  tlsHandshakeFailures: Counter<'reason'>;
  /** Reloads of the TLS files, by kind (listener, ca, crl) and outcome (success, failure). */
  tlsReloads: Counter<'kind' | 'outcome'>;
  /** Usage flushes that could not write their batch to the store. */
  usageFlushFailures: Counter<'store'>;
  /** Calls whose usage was not recorded, by reason (`capacity`, `store-unavailable`). */
  usageDroppedRecords: Counter<'reason'>;
  /** Calls to deprecated versions, by API, version and consumer (a declared consumer's id, `(undeclared)` or `(anonymous)`). */
  deprecatedCalls: Counter<'api' | 'version' | 'consumer'>;
  /** Routing tables rebuilt because the registry changed, by outcome (`success`, `rejected`). */
  registryUpdates: Counter<'outcome'>;
  /** Registered versions left out of a routing table (cannot be compiled, or no upstream), by API and version. */
  registryUnservable: Counter<'api' | 'version'>;
  /** Versions retired by the gateway because their sunset passed. */
  registryAutoRetired: Counter<'api'>;
  /** Consumers still calling a version when it was retired (forced by an owner, or at its sunset), by API and trigger. */
  registryRetiredInUse: Counter<'api' | 'trigger'>;
  /** Lifecycle webhook deliveries, by event and outcome (delivered, failed: every attempt used, skipped: no secret). */
  lifecycleWebhooks: Counter<'event' | 'outcome'>;
  /** Lifecycle webhook attempts that failed (network error, timeout, 5xx or other non-2xx), by event. */
  lifecycleWebhookAttemptFailures: Counter<'event'>;
  /** Contract files of the import on start, by outcome (created, identical, conflict, rejected, invalid, unreadable). */
  registryImports: Counter<'outcome'>;
  /** Attempts sent to upstream targets, by outcome (response, connect-failure, reset, timeout, invalid-response, client-gone). */
  upstreamAttempts: Counter<'api' | 'version' | 'target' | 'outcome'>;
  /** Retries sent, by the failure that caused them. */
  upstreamRetries: Counter<'api' | 'version' | 'reason'>;
  /** Retries not sent because the retry budget was spent. */
  upstreamRetryBudgetExhausted: Counter<'api' | 'version'>;
  /** Requests answered 503 at once because no target could take them. */
  upstreamUnavailable: Counter<'api' | 'version' | 'reason'>;
  /** Circuit state per target: 0 closed, 1 open, 2 half-open. */
  upstreamCircuitState: Gauge<'api' | 'version' | 'target'>;
  /** 1 while a target is ejected by passive health. */
  upstreamTargetEjected: Gauge<'api' | 'version' | 'target'>;
  /** Ejections of a target by passive health. */
  upstreamEjections: Counter<'api' | 'version' | 'target'>;
  /** 1 while a target passes its active health checks. */
  upstreamTargetHealthy: Gauge<'api' | 'version' | 'target'>;
  /** Records one finished request (`api` undefined when it matched no API). */
  observe(api: ApiLabels | undefined, status: number, code: string | undefined, latencyMs: number, upstreamLatencyMs: number | undefined): void;
}

type RequestLabels = { api: string; version: string; status: string; code: string };
type ApiSeries = { api: string; version: string; latency: { api: string; version: string }; requests: Map<number, Map<string, RequestLabels>> };

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
  const upstreamFailures = new Counter({
    name: 'accord_upstream_failures_total',
    help: 'Upstream exchanges that failed, by reason: connect, timeout, invalid-response, reset-mid-body, response-too-large, client-gone.',
    labelNames: ['api', 'version', 'reason'],
    registers: [registry],
  });
  const limitRejections = new Counter({
    name: 'accord_limit_rejections_total',
    help: 'Requests refused by a rate limit or quota, by API and policy: rate (429 RATE_LIMITED, no burst pool), burst (429 RATE_LIMITED, rate and burst pools spent), quota (429 QUOTA_EXCEEDED).',
    labelNames: ['api', 'policy'],
    registers: [registry],
  });
  const configReloads = new Counter({
    name: 'accord_config_reloads_total',
    help: 'Configuration reload attempts (file change, SIGHUP), by outcome: success or rejected.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const apiKeyFailures = new Counter({
    name: 'accord_api_key_failures_total',
    help: 'API keys and basic credentials refused, by reason: missing, malformed, unknown, mismatch, revoked, expired, consumer-unknown, unavailable.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const apiKeyStoreErrors = new Counter({
    name: 'accord_api_key_store_errors_total',
    help: 'Failed reads of the API key store while following it (the last view of the keys stays in use until apiKeys.maxStalenessMs).',
    registers: [registry],
  });
  // Both series exist from the start, so that a rate or an alert on rejections sees a zero.
  configReloads.inc({ outcome: 'success' }, 0);
  configReloads.inc({ outcome: 'rejected' }, 0);
  const configLastReloadSuccess = new Gauge({
    name: 'accord_config_last_reload_success_timestamp_seconds',
    help: 'Unix time of the last configuration loaded and put in service (the start counts).',
    registers: [registry],
  });
  const limiterDegraded = new Gauge({
    name: 'accord_limiter_degraded',
    help: '1 while the rate-limit store (label store) is unreachable and each process counts with its insurance limiter, else 0.',
    labelNames: ['store'],
    registers: [registry],
  });
  const limiterFallbacks = new Counter({
    name: 'accord_limiter_fallbacks_total',
    help: 'Rate-limit operations answered by the insurance limiter because the store (label store) did not.',
    labelNames: ['store'],
    registers: [registry],
  });
  const mtlsRejections = new Counter({
    name: 'accord_mtls_rejections_total',
    help: 'Requests refused over their client certificate, by reason: missing, untrusted, expired, not-yet-valid, revoked, malformed, unbound, consumer-mismatch, token-binding.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const tlsHandshakeFailures = new Counter({
    name: 'accord_tls_handshake_failures_total',
    help: 'TLS handshakes on the data-plane listener that failed, by reason: protocol-version, plain-http, handshake, timeout, reset, other.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const tlsReloads = new Counter({
    name: 'accord_tls_reloads_total',
    help: 'Reloads of the TLS files (listener key and certificate, client CA bundle, CRL), by kind and outcome: success, or failure (the previous material stays in service).',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const usageFlushFailures = new Counter({
    name: 'accord_usage_flush_failures_total',
    help: 'Usage flushes that could not write their batch to the store (kept and retried at the next flush), by store.',
    labelNames: ['store'],
    registers: [registry],
  });
  const usageDroppedRecords = new Counter({
    name: 'accord_usage_dropped_records_total',
    help: 'Calls whose usage was not recorded, by reason: capacity (usage.maxPendingRecords reached between two flushes) or store-unavailable (a batch retried usage.maxRetainedBatches times).',
    labelNames: ['reason'],
    registers: [registry],
  });
  const deprecatedCalls = new Counter({
    name: 'accord_deprecated_calls_total',
    help: 'Calls to a deprecated API version, by API, version and consumer (a declared consumer, or (undeclared) / (anonymous)): who must still move before the sunset.',
    labelNames: ['api', 'version', 'consumer'],
    registers: [registry],
  });
  const registryUpdates = new Counter({
    name: 'accord_registry_updates_total',
    help: 'Routing tables rebuilt after a registry change, by outcome: success (in service), or rejected (the previous table keeps serving; see the log).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  registryUpdates.inc({ outcome: 'success' }, 0);
  registryUpdates.inc({ outcome: 'rejected' }, 0);
  const registryUnservable = new Counter({
    name: 'accord_registry_unservable_versions_total',
    help: 'Registered versions left out of a routing table, by API and version: the contract cannot be compiled by this build, or it has no upstream (see the log).',
    labelNames: ['api', 'version'],
    registers: [registry],
  });
  const registryAutoRetired = new Counter({
    name: 'accord_registry_auto_retired_total',
    help: 'Deprecated versions this instance retired because their sunset passed (registry.autoRetire), by API.',
    labelNames: ['api'],
    registers: [registry],
  });
  const registryRetiredInUse = new Counter({
    name: 'accord_registry_retired_in_use_consumers_total',
    help: 'Consumers that still called a version (in registry.lifecycle.inUseWindowDays) when it was retired: forced by an owner, or at its sunset. By API and trigger (manual, sunset).',
    labelNames: ['api', 'trigger'],
    registers: [registry],
  });
  const lifecycleWebhooks = new Counter({
    name: 'accord_lifecycle_webhooks_total',
    help: 'Lifecycle webhook deliveries (registry.webhooks) by event and outcome: delivered, failed (every attempt used).',
    labelNames: ['event', 'outcome'],
    registers: [registry],
  });
  const lifecycleWebhookAttemptFailures = new Counter({
    name: 'accord_lifecycle_webhook_attempt_failures_total',
    help: 'Lifecycle webhook attempts that failed (network error, timeout, or a non-2xx answer), by event; retried with backoff.',
    labelNames: ['event'],
    registers: [registry],
  });
  const registryImports = new Counter({
    name: 'accord_registry_imports_total',
    help: 'Contract files registered by the import on start, by outcome: created, identical, conflict, rejected, invalid, unreadable.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const upstreamAttempts = new Counter({
    name: 'accord_upstream_attempts_total',
    help: 'Attempts sent to upstream targets (first tries and retries), by target and outcome: response, connect-failure, reset, timeout, invalid-response, client-gone.',
    labelNames: ['api', 'version', 'target', 'outcome'],
    registers: [registry],
  });
  const upstreamRetries = new Counter({
    name: 'accord_upstream_retries_total',
    help: 'Retries sent to an upstream, by the failure of the attempt before: connect-failure, reset, timeout, gateway-error, 5xx.',
    labelNames: ['api', 'version', 'reason'],
    registers: [registry],
  });
  const upstreamRetryBudgetExhausted = new Counter({
    name: 'accord_upstream_retry_budget_exhausted_total',
    help: 'Retries not sent because the retry budget (upstream.retries.budget) was spent: the failure went to the client.',
    labelNames: ['api', 'version'],
    registers: [registry],
  });
  const upstreamUnavailable = new Counter({
    name: 'accord_upstream_unavailable_total',
    help: 'Requests answered 503 UPSTREAM_UNAVAILABLE at once because no target could take them, by reason: circuit-open, no-healthy-target.',
    labelNames: ['api', 'version', 'reason'],
    registers: [registry],
  });
  const upstreamCircuitState = new Gauge({
    name: 'accord_upstream_circuit_state',
    help: 'Circuit breaker state of each upstream target: 0 closed, 1 open, 2 half-open (a probe in flight).',
    labelNames: ['api', 'version', 'target'],
    registers: [registry],
  });
  const upstreamTargetEjected = new Gauge({
    name: 'accord_upstream_target_ejected',
    help: 'Whether an upstream target is ejected from balancing by passive health (outlierDetection): 1 ejected, 0 in balancing.',
    labelNames: ['api', 'version', 'target'],
    registers: [registry],
  });
  const upstreamEjections = new Counter({
    name: 'accord_upstream_ejections_total',
    help: 'Ejections of an upstream target by passive health (outlierDetection) after consecutive failures.',
    labelNames: ['api', 'version', 'target'],
    registers: [registry],
  });
  const upstreamTargetHealthy = new Gauge({
    name: 'accord_upstream_target_healthy',
    help: 'Whether an upstream target passes its active health checks (healthCheck): 1 healthy, 0 out of balancing.',
    labelNames: ['api', 'version', 'target'],
    registers: [registry],
  });
  usageDroppedRecords.inc({ reason: 'capacity' }, 0);
  usageDroppedRecords.inc({ reason: 'store-unavailable' }, 0);
  // Label objects made once per served API version (and status and code), reused by every request.
  const series = new WeakMap<ApiLabels, ApiSeries>();
  const newSeries = (api: string, version: string): ApiSeries => ({ api, version, latency: { api, version }, requests: new Map() });
  const noApi = newSeries('', '');
  const seriesOf = (api: ApiLabels | undefined): ApiSeries => {
    if (!api) return noApi;
    let labels = series.get(api);
    if (!labels) series.set(api, (labels = newSeries(api.apiId, api.version)));
    return labels;
  };
  const requestLabels = (labels: ApiSeries, status: number, code: string): RequestLabels => {
    let byCode = labels.requests.get(status);
    if (!byCode) labels.requests.set(status, (byCode = new Map()));
    let found = byCode.get(code);
    if (!found) byCode.set(code, (found = { api: labels.api, version: labels.version, status: String(status), code }));
    return found;
  };
  return {
    registry,
    requests,
    duration,
    upstreamDuration,
    responseViolations,
    upstreamFailures,
    limitRejections,
    apiKeyFailures,
    apiKeyStoreErrors,
    configReloads,
    configLastReloadSuccess,
    limiterDegraded,
    limiterFallbacks,
    mtlsRejections,
    tlsHandshakeFailures,
    tlsReloads,
    usageFlushFailures,
    usageDroppedRecords,
    deprecatedCalls,
    registryUpdates,
    registryUnservable,
    registryAutoRetired,
    registryRetiredInUse,
    lifecycleWebhooks,
    lifecycleWebhookAttemptFailures,
    registryImports,
    upstreamAttempts,
    upstreamRetries,
    upstreamRetryBudgetExhausted,
    upstreamUnavailable,
    upstreamCircuitState,
    upstreamTargetEjected,
    upstreamEjections,
    upstreamTargetHealthy,
    observe(api, status, code, latencyMs, upstreamLatencyMs) {
      const labels = seriesOf(api);
      requests.inc(requestLabels(labels, status, code ?? ''));
      duration.observe(labels.latency, latencyMs / 1000);
      if (upstreamLatencyMs !== undefined) upstreamDuration.observe(labels.latency, upstreamLatencyMs / 1000);
    },
  };
}
