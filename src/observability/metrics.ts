/** Prometheus metrics of the data plane (prom-client), one registry per gateway instance. */
import { Registry, Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { ApiLabels, OperationLabels, RequestContext } from '../gateway/pipeline/request-context.js';
import { ConsumerLabels } from './consumer-labels.js';

/** Latency buckets in seconds, from 1 ms to 10 s: the range a gateway and its upstreams live in. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The gateway's metric instruments. */
export interface GatewayMetrics {
  registry: Registry;
  /** Requests by API, version, operation, consumer (bounded, see ConsumerLabels) and status class. */
  requests: Counter<RequestLabelName>;
  /** Request latency with the labels of `requests`. */
  duration: Histogram<RequestLabelName>;
  /** Responses the gateway answered itself with an error code (problem+json), by API, version and code. */
  rejections: Counter<'api' | 'version' | 'code'>;
  upstreamDuration: Histogram<'api' | 'version'>;
  /** Requests refused by request validation, by operation and kind (body, query, path, header, cookie, media-type, malformed). */
  requestViolations: Counter<'api' | 'version' | 'operation' | 'kind'>;
  /** Upstream responses that broke their contract (drift), by operation, validation mode and kind (status, media-type, body-syntax, body-schema). */
  responseViolations: Counter<'api' | 'version' | 'operation' | 'mode' | 'kind'>;
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
  /** Registrations, deprecations and retirements requested on this instance, by action and outcome. */
  registryEvents: Counter<'action' | 'outcome'>;
  /** 1 while the registry store's change notifications are followed, 0 while they are lost (PostgreSQL). */
  registryFollowing: Gauge<'store'>;
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
  /** Breaking changes within a major judged by a block-if-used policy, by API and outcome (accepted, in-use, unproven). */
  registryBreakingChangeGate: Counter<'api' | 'outcome'>;
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
  /** Idempotency-Key: what became of each request carrying (or lacking) a key, and store errors. */
  idempotency: IdempotencyMetrics;
  /** Earliest notAfter (Unix seconds) of the certificates in service, by kind (listener, client-ca, admin-listener). */
  certificateExpiry: Gauge<'kind'>;
  /** Names where the certificate expiry gauge reads its values at each scrape (the TLS material in service). */
  setCertificateSource(source: () => Iterable<CertificateExpiry>): void;
  /** Records one finished request: its API, operation and consumer come from the context. */
  observe(ctx: RequestContext, status: number, latencyMs: number): void;
}

/** The instruments of the idempotency policy. */
export interface IdempotencyMetrics {
  /** Requests by outcome: stored, unreplayable, released, replayed, mismatch, in-flight, completed, missing, invalid, unprotected. */
  requests: Counter<'api' | 'outcome'>;
  /** Failed claims, stores and releases of the key store. */
  storeErrors: Counter<'store' | 'operation'>;
}

/** Creates the idempotency instruments on `registry`. */
function idempotencyMetrics(registry: Registry): IdempotencyMetrics {
  const requests = new Counter({
    name: 'accord_idempotency_requests_total',
    help:
      'Requests to operations honouring Idempotency-Key, by outcome: stored (response kept for replay), unreplayable (completed, not kept), released (no final answer: key free again), replayed, mismatch (422), in-flight (409), completed (409, not replayable), missing (400), invalid (400), unprotected (store unreachable, forwarded anyway).',
    labelNames: ['api', 'outcome'],
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'accord_idempotency_store_errors_total',
    help: 'Key store operations that failed (store memory or redis; operation claim, complete or release). A failed claim is 503 IDEMPOTENCY_STORE_UNAVAILABLE or an unprotected request (onStoreError); a failed complete or release leaves the claim until it expires.',
    labelNames: ['store', 'operation'],
    registers: [registry],
  });
  for (const operation of ['claim', 'complete', 'release']) storeErrors.inc({ store: 'redis', operation }, 0);
  return { requests, storeErrors };
}

/** The expiry of one kind of certificate in service. */
export interface CertificateExpiry {
  kind: string;
  /** The earliest notAfter among the certificates of that kind, in Unix seconds. */
  notAfterSeconds: number;
}

/** Options of the metrics. */
export interface MetricsOptions {
  /** Node process metrics (default true). */
  processMetrics?: boolean;
  /** How many consumers keep their own `consumer` label (default 10). */
  topConsumers?: number;
  /** The period over which the busiest consumers are counted, in seconds (default 3600). */
  consumerPeriodSeconds?: number;
  /** The wall clock in milliseconds (default Date.now); tests inject one to end a consumer period. */
  now?: () => number;
}

type RequestLabelName = 'api' | 'version' | 'operation' | 'consumer' | 'status_class';
type RequestLabels = Record<RequestLabelName, string>;
/** The series of one (API, version, operation): label objects by consumer label, then by status class (index 1-5). */
type OperationSeries = { api: string; version: string; operation: string; byConsumer: Map<string, Array<RequestLabels | undefined>> };
type ApiSeries = { latency: { api: string; version: string }; rejections: Map<string, { api: string; version: string; code: string }> };

const STATUS_CLASSES = ['', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** Creates the instruments on a fresh registry (plus Node process metrics). */
export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'accord_' });
  const requestLabelNames: RequestLabelName[] = ['api', 'version', 'operation', 'consumer', 'status_class'];
  const requests = new Counter({
    name: 'accord_requests_total',
    help: 'Requests handled, by API, served version, operation (operationId, else the path template; "" when none matched), consumer (bounded: metrics.consumers.top, "(other)", "(anonymous)") and status class (1xx-5xx).',
    labelNames: requestLabelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'accord_request_duration_seconds',
    help: 'Time from request received to response finished, with the labels of accord_requests_total.',
    labelNames: requestLabelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'accord_rejections_total',
    help: 'Responses the gateway answered itself with a problem+json error, by API, version and error code (ROUTE_NOT_FOUND, RATE_LIMITED, UPSTREAM_TIMEOUT, ...).',
    labelNames: ['api', 'version', 'code'],
    registers: [registry],
  });
  const requestViolations = new Counter({
    name: 'accord_request_validation_failures_total',
    help: 'Requests refused by request validation, by operation and kind: body, query, path, header, cookie, media-type (415), malformed.',
    labelNames: ['api', 'version', 'operation', 'kind'],
    registers: [registry],
  });
  const certificateExpiry = new Gauge({
    name: 'accord_tls_certificate_expiry_timestamp_seconds',
    help: 'Earliest notAfter (Unix time) of the certificates in service, by kind: listener (data-plane certificate chain), client-ca (the bundle client certificates are verified against), admin-listener.',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { kind, notAfterSeconds } of certificateSource()) this.set({ kind }, notAfterSeconds);
    },
  });
  let certificateSource: () => Iterable<CertificateExpiry> = () => [];
  const upstreamDuration = new Histogram({
    name: 'accord_upstream_duration_seconds',
    help: 'Time from the upstream request sent to its response head received.',
    labelNames: ['api', 'version'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const responseViolations = new Counter({
    name: 'accord_response_contract_violations_total',
    help: 'Upstream responses that broke their contract (drift of an upstream), by operation, validation mode (enforce, report) and kind: status (not declared), media-type, body-syntax (not JSON, a repeated member), body-schema.',
    labelNames: ['api', 'version', 'operation', 'mode', 'kind'],
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
  const registryEvents = new Counter({
    name: 'accord_registry_events_total',
    help: 'Registry changes requested on this instance (admin API, import on start), by action (register, deprecate, retire) and outcome: created, identical, conflict, rejected (governance), invalid; changed, not-found, wrong-state.',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  const registryFollowing = new Gauge({
    name: 'accord_registry_following',
    help: 'Whether this instance follows the registry store\'s change notifications (store postgres): 1 following, 0 lost and reconnecting (the routing table in service keeps serving, but registrations made meanwhile are not picked up until they are restored).',
    labelNames: ['store'],
    registers: [registry],
  });
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
  const registryBreakingChangeGate = new Counter({
    name: 'accord_registry_breaking_change_gate_total',
    help: 'Registrations whose breaking changes within a major a block-if-used policy judged, by API and outcome: accepted, in-use (a consumer used them), unproven (too little usage evidence).',
    labelNames: ['api', 'outcome'],
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
  // Label objects made once per operation, consumer label and status class, reused by every request;
  // the operation series are shared by key so that a reload does not make new ones.
  const operationSeries = new Map<string, OperationSeries>();
  const seriesByOperation = new WeakMap<OperationLabels, OperationSeries>();
  const seriesByApi = new WeakMap<ApiLabels, OperationSeries>();
  const seriesOfKey = (api: string, version: string, operation: string): OperationSeries => {
    const key = `${api}\u0000${version}\u0000${operation}`;
    let found = operationSeries.get(key);
    if (!found) operationSeries.set(key, (found = { api, version, operation, byConsumer: new Map() }));
    return found;
  };
  const noApi = seriesOfKey('', '', '');
  const seriesOf = (api: ApiLabels | undefined, operation: OperationLabels | undefined): OperationSeries => {
    if (!api) return noApi;
    if (operation) {
      let found = seriesByOperation.get(operation);
      if (!found) seriesByOperation.set(operation, (found = seriesOfKey(api.apiId, api.version, operation.operationId ?? operation.template)));
      return found;
    }
    let found = seriesByApi.get(api);
    if (!found) seriesByApi.set(api, (found = seriesOfKey(api.apiId, api.version, '')));
    return found;
  };
  const apiSeries = new Map<string, ApiSeries>();
  const apiSeriesByApi = new WeakMap<ApiLabels, ApiSeries>();
  const noApiSeries: ApiSeries = { latency: { api: '', version: '' }, rejections: new Map() };
  const apiSeriesOf = (api: ApiLabels | undefined): ApiSeries => {
    if (!api) return noApiSeries;
    let found = apiSeriesByApi.get(api);
    if (!found) {
      const key = `${api.apiId}\u0000${api.version}`;
      found = apiSeries.get(key);
      if (!found) apiSeries.set(key, (found = { latency: { api: api.apiId, version: api.version }, rejections: new Map() }));
      apiSeriesByApi.set(api, found);
    }
    return found;
  };
  // Which operation series hold cells of a consumer label, so that the label's series can go when it loses its slot.
  const holders = new Map<string, Set<OperationSeries>>();
  const consumers = new ConsumerLabels({
    top: options.topConsumers ?? 10,
    periodMs: (options.consumerPeriodSeconds ?? 3600) * 1000,
    now: options.now ?? Date.now,
    onDropped: (dropped) => {
      for (const consumer of dropped) {
        for (const held of holders.get(consumer) ?? []) {
          for (const labels of held.byConsumer.get(consumer) ?? []) {
            if (!labels) continue;
            requests.remove(labels);
            duration.remove(labels);
          }
          held.byConsumer.delete(consumer);
        }
        holders.delete(consumer);
      }
    },
  });
  const cellsOf = (held: OperationSeries, consumer: string): Array<RequestLabels | undefined> => {
    let cells = held.byConsumer.get(consumer);
    if (!cells) {
      held.byConsumer.set(consumer, (cells = []));
      let set = holders.get(consumer);
      if (!set) holders.set(consumer, (set = new Set()));
      set.add(held);
    }
    return cells;
  };
  return {
    registry,
    requests,
    duration,
    rejections,
    upstreamDuration,
    requestViolations,
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
    registryFollowing,
    registryEvents,
    registryUnservable,
    registryAutoRetired,
    registryRetiredInUse,
    lifecycleWebhooks,
    lifecycleWebhookAttemptFailures,
    registryImports,
    registryBreakingChangeGate,
    upstreamAttempts,
    upstreamRetries,
    upstreamRetryBudgetExhausted,
    upstreamUnavailable,
    upstreamCircuitState,
    upstreamTargetEjected,
    upstreamEjections,
    upstreamTargetHealthy,
    idempotency: idempotencyMetrics(registry),
    certificateExpiry,
    setCertificateSource(source) {
      certificateSource = source;
    },
    observe(ctx, status, latencyMs) {
      const held = seriesOf(ctx.api, ctx.operation);
      const consumer = consumers.label(ctx.consumerId);
      const cells = cellsOf(held, consumer);
      const statusClass = status >= 100 && status < 600 ? Math.floor(status / 100) : 5;
      let labels = cells[statusClass];
      if (!labels) cells[statusClass] = labels = { api: held.api, version: held.version, operation: held.operation, consumer, status_class: STATUS_CLASSES[statusClass]! };
      requests.inc(labels);
      duration.observe(labels, latencyMs / 1000);
      const code = ctx.errorCode;
      if (ctx.upstreamLatencyMs === undefined && code === undefined) return;
      const perApi = apiSeriesOf(ctx.api);
      if (ctx.upstreamLatencyMs !== undefined) upstreamDuration.observe(perApi.latency, ctx.upstreamLatencyMs / 1000);
      if (code !== undefined) {
        let rejection = perApi.rejections.get(code);
        if (!rejection) perApi.rejections.set(code, (rejection = { api: perApi.latency.api, version: perApi.latency.version, code }));
        rejections.inc(rejection);
      }
    },
  };
}
