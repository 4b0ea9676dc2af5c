/**
 * Composition root of the data plane: loads the configuration, builds the routing table with its
 * policies, starts the listener, reloads on change, and shuts down gracefully on SIGTERM/SIGINT.
 */
import { upstreamMetricEvents, type UpstreamEventsFactory } from './upstreams/upstream-events.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import { watchConfig, type ConfigWatcher } from '../config/config-watcher.js';
import { ContractError } from '../contracts/openapi-document.js';
import { SourceError } from '../contracts/source.js';
import type { Logger } from '../observability/logger.js';
import { createJwtAuthenticator, type JwtAuthenticator } from './policies/jwt-auth/index.js';
import type { IdentityProviderInput, PublicJwk } from './policies/jwt-auth/schema.js';
import { ensureDevKeys } from '../dev/dev-issuer.js';
import { withDevKeyHint } from '../dev/dev-key-hint.js';
import { buildRouteTable, type RouteTable } from './pipeline/build-routes.js';
import { Gateway } from './gateway.js';
import { startServer, type RunningServer } from './server.js';
import { createMetrics, type CertificateExpiry, type GatewayMetrics } from '../observability/metrics.js';
import type { UpstreamFailure } from './proxy/upstream-proxy.js';
import type { RequestContext } from './pipeline/request-context.js';
import type { Violation } from '../contracts/compile/types.js';
import { responseViolationKind, type RequestViolationKind } from '../observability/violation-kinds.js';
import type { LimiterStore } from './policies/rate-limit/index.js';
import { openLimiterStore } from './open-limiter-store.js';
import { openIdempotencyStores, type OpenIdempotencyStores } from './open-idempotency-stores.js';
import type { IdempotencyEvents } from './policies/idempotency/index.js';
import { ApiKeyVerifier } from './policies/auth/api-key-verifier.js';
import { openKeyStore } from './policies/auth/stores/open-store.js';
import { ClientCertificates, TlsFileError, TlsMaterial } from './policies/mtls/index.js';
import { certificateNotAfter } from './policies/mtls/tls-material.js';
import { createUsageRecorder, type UsageRecorder } from '../usage/index.js';
import { startAdminServer, type RunningAdminServer } from '../admin/server.js';
import { openRegistry, type RegistryRuntime } from './registry-runtime.js';
import { readAdminTls } from '../admin/admin-tls.js';
import type { GatewayTracing } from '../observability/tracing.js';
import { tracingSettingsFromEnv } from '../observability/tracing-settings.js';
import { createDriftRecorder } from '../observability/drift-setup.js';
import type { DriftRecorder } from '../observability/drift-recorder.js';
import { LogLevelControl } from '../observability/log-level-control.js';

/** Options of a gateway start. */
export interface StartOptions {
  configPath: string;
  dataDir: string;
  logger: Logger;
  port?: number;
  /** Admin listener port (overrides admin.listen.port; ADMIN_PORT in `accord serve`; 0 picks a free one). */
  adminPort?: number;
  /** Overrides `admin.enabled` (a cluster worker without a fixed admin port runs none). */
  adminEnabled?: boolean;
  /** Reload config and contracts when their files change (default true). */
  watch?: boolean;
  /** Quiet time that ends a burst of file changes before a reload (default 200 ms). */
  watchDebounceMs?: number;
  /** The wall clock of calendar quotas (default Date.now); tests inject one to cross a period boundary. */
  now?: () => number;
  /** Cluster workers sharing this listener, this process among them (`accord serve --workers N`; default 1). */
  workers?: number;
  /**
   * Tracing made by the caller (tests: an in-memory exporter); the caller shuts it down. Without
   * it, tracing follows the OTEL_* variables of `env`, and stop() flushes it.
   */
  tracing?: GatewayTracing;
  /** Where the OTEL_* variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** What started a reload, for its log line. */
export type ReloadTrigger = 'file-change' | 'SIGHUP' | 'manual' | 'registry-change';

/** A running gateway. */
export interface RunningGateway {
  gateway: Gateway;
  server: RunningServer;
  /** The admin listener, unless `admin.enabled` is false. */
  admin: RunningAdminServer | undefined;
  /** The usage recorder, when `usage.enabled`. */
  usage: UsageRecorder | undefined;
  /** The registry served from, when `registry.enabled`. */
  registry: RegistryRuntime | undefined;
  /** The tracing in use, undefined when tracing is off. */
  tracing: GatewayTracing | undefined;
  loaded: LoadedConfig;
  /** The TLS files in service, when listen.tls is configured. */
  tls: TlsMaterial | undefined;
  /** Response-validation violations by site and time (kept across reloads). */
  drift: DriftRecorder;
  /** The process's log level, changed at runtime through the admin API. */
  logLevel: LogLevelControl;
  /**
   * Rebuilds from disk; a bad new config is rejected and the old table keeps serving. Resolves
   * true when the new configuration is in service. Calls during a reload are served by one more
   * reload after it, so a change made while a reload runs is never lost.
   */
  reload(trigger?: ReloadTrigger): Promise<boolean>;
  stop(): Promise<void>;
}

async function identityProviders(loaded: LoadedConfig, dataDir: string): Promise<IdentityProviderInput[]> {
  const providers: IdentityProviderInput[] = [...loaded.config.identityProviders];
  const dev = loaded.config.devIssuer;
  if (dev.enabled) {
    if (process.env.NODE_ENV === 'production') throw new Error('devIssuer.enabled is refused when NODE_ENV=production');
    const keys = await ensureDevKeys(dataDir);
    providers.push({ id: dev.id, issuer: keys.issuer, jwks: keys.publicJwks as { keys: PublicJwk[] }, audiences: dev.audiences, algorithms: [keys.algorithm] });
  }
  return providers;
}

/** Builds everything a routing table needs from a loaded configuration. */
/** The key verifier of a configuration's `apiKeys`; its store is opened only once an operation takes keys. */
function keyVerifier(loaded: LoadedConfig, dataDir: string, logger: Logger, metrics: GatewayMetrics): ApiKeyVerifier {
  const settings = loaded.config.apiKeys;
  return new ApiKeyVerifier(
    () => {
      const store = openKeyStore(settings, dataDir, {
        onError: (error) => {
          metrics.apiKeyStoreErrors.inc();
          logger.warn({ store: store.description, err: { message: error.message } }, 'API key store could not be read; the last view of the keys stays in use until apiKeys.maxStalenessMs');
        },
      });
      return store;
    },
    { maxStalenessMs: settings.maxStalenessMs },
  );
}

async function build(loaded: LoadedConfig, dataDir: string, logger: Logger, metrics: GatewayMetrics, upstreamEvents: UpstreamEventsFactory, limiterStore: LimiterStore, apiKeys: ApiKeyVerifier, now: (() => number) | undefined, clientCertificates: ClientCertificates | undefined, recordUsage: boolean, registry: RegistryRuntime | undefined, idempotencyStores: OpenIdempotencyStores, tracing: GatewayTracing | undefined, drift: DriftRecorder): Promise<{ table: RouteTable; authenticator: JwtAuthenticator | undefined }> {
  // Read first: a registry that cannot be read leaves the table in service untouched.
  const snapshot = registry ? await registry.snapshot(loaded) : undefined;
  const providers = await identityProviders(loaded, dataDir);
  const created = providers.length > 0 ? createJwtAuthenticator(providers, { logger }) : undefined;
  const authenticator = created && loaded.config.devIssuer.enabled ? withDevKeyHint(created, loaded.config.devIssuer.id) : created;
  const operationOf = (ctx: RequestContext): string => ctx.operation?.operationId ?? ctx.operation?.template ?? '';
  const onResponseInvalid = (ctx: RequestContext, mode: 'enforce' | 'report', violations: readonly Violation[]): void => {
    metrics.responseViolations.inc({ api: ctx.api?.apiId ?? '', version: ctx.api?.version ?? '', operation: operationOf(ctx), mode, kind: responseViolationKind(violations) });
    const operation = ctx.operation ? (ctx.operation.operationId ?? `${ctx.req.method} ${ctx.operation.template}`) : '';
    drift.record({ api: ctx.api?.apiId ?? '', version: ctx.api?.version ?? '', operation, target: ctx.upstreamTarget?.label ?? '' }, mode, violations);
  };
  const onRequestInvalid = (ctx: RequestContext, kind: RequestViolationKind): void => {
    metrics.requestViolations.inc({ api: ctx.api?.apiId ?? '', version: ctx.api?.version ?? '', operation: operationOf(ctx), kind });
  };
  const onUpstreamFailure = (ctx: RequestContext, reason: UpstreamFailure): void => {
    metrics.upstreamFailures.inc({ api: ctx.api?.apiId ?? '', version: ctx.api?.version ?? '', reason });
  };
  const onLimitRejected = (apiId: string, policy: 'rate' | 'burst' | 'quota'): void => {
    metrics.limitRejections.inc({ api: apiId, policy });
  };
  // One labelled child per (API, version, consumer): the consumers are declared ones or two labels, so few.
  const deprecatedSeries = new Map<string, { inc(): void }>();
  const onDeprecatedCall = (api: string, version: string, consumer: string): void => {
    const key = `${api}\u0000${version}\u0000${consumer}`;
    let series = deprecatedSeries.get(key);
    if (!series) deprecatedSeries.set(key, (series = metrics.deprecatedCalls.labels({ api, version, consumer })));
    series.inc();
  };
  const idempotencyEvents: IdempotencyEvents = {
    onOutcome: (api, outcome) => metrics.idempotency.requests.inc({ api, outcome }),
    onStoreError: (store, operation) => metrics.idempotency.storeErrors.inc({ store, operation }),
  };
  try {
    const onKeyFailure = (reason: string): void => metrics.apiKeyFailures.inc({ reason });
    const table = buildRouteTable(loaded, { logger, authenticator, limiterStore, idempotencyStores, idempotencyEvents, now, onLimitRejected, apiKeys, onKeyFailure, clientCertificates, onResponseInvalid, onRequestInvalid, onUpstreamFailure, upstreamEvents, recordUsage, onDeprecatedCall, registry: snapshot, compiled: registry?.compiled, onUnservableVersion: (api, version) => metrics.registryUnservable.inc({ api, version }), tracing });
    registry?.compiled.sweep();
    try {
      await apiKeys.ready();
    } catch (error) {
      table.close();
      throw new Error(`API key store ${apiKeys.description} cannot be read: ${(error as Error).message}`);
    }
    if (apiKeys.isRequired) logger.info({ store: apiKeys.description }, 'API keys followed');
    return { table, authenticator };
  } catch (error) {
    authenticator?.close();
    throw error;
  }
}

/** Starts the gateway. Throws ConfigError/ContractError/SourceError when the config is unusable. */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const { logger } = options;
  let loaded = loadConfig(options.configPath);
  // Like usage and admin, the metrics settings are read once.
  const metrics = createMetrics({ topConsumers: loaded.config.metrics.consumers.top, consumerPeriodSeconds: loaded.config.metrics.consumers.periodSeconds, now: options.now });
  const upstreamEvents = upstreamMetricEvents(metrics);
  // Read once, before anything is opened: an unusable OTEL_* value stops the start with its name.
  const tracingSettings = options.tracing === undefined ? tracingSettingsFromEnv(options.env ?? process.env) : undefined;
  // The OpenTelemetry SDK and exporter are loaded only when tracing is on: off, they cost not even their load time.
  const ownedTracing = tracingSettings ? (await import('../observability/tracing-export.js')).createTracingFromSettings(tracingSettings, { logger, registry: metrics.registry }) : undefined;
  const tracing = options.tracing ?? ownedTracing;
  // Owned by the instance, not by a routing table: drift counts survive reloads.
  const drift = createDriftRecorder(metrics, logger, options.now);
  const logLevel = new LogLevelControl(logger);
  // One store for the life of the process: limits that survive a reload keep their counters.
  const limiterStore = await openLimiterStore(loaded, options.workers ?? 1, logger, metrics);
  // Likewise for Idempotency-Key records: a reload keeps every key.
  let idempotencyStores: OpenIdempotencyStores;
  try {
    idempotencyStores = await openIdempotencyStores(loaded, options.now, logger);
  } catch (error) {
    await limiterStore.close?.();
    throw error;
  }
  // TLS files and the client-certificate verifier live for the process; the files reload on their own.
  const tlsConfig = loaded.config.listen.tls;
  let tls: TlsMaterial | undefined;
  if (tlsConfig) {
    try {
      tls = new TlsMaterial(tlsConfig, loaded.dir, logger, { onReload: (kind, outcome) => metrics.tlsReloads.inc({ kind, outcome }) });
      // Zeros from the start, so that an alert on failures sees the series before the first reload.
      for (const kind of ['listener', 'ca', 'crl'] as const) for (const outcome of ['success', 'failure'] as const) metrics.tlsReloads.inc({ kind, outcome }, 0);
    } catch (error) {
      if (error instanceof TlsFileError) throw new ConfigError([{ file: loaded.file, pointer: error.pointer, line: loaded.lineOf(error.pointer), message: error.message }]);
      throw error;
    }
  }
  const material = tls;
  const clientCertificates = material
    ? new ClientCertificates({
        trust: () => material.trust,
        trustedProxies: loaded.config.listen.trustedProxies,
        certificateHeader: tlsConfig?.certificateHeader,
        logger,
        onRejection: (reason) => metrics.mtlsRejections.inc({ reason }),
      })
    : undefined;
  // Usage and admin settings are read once: like the listener's, they take effect at the next restart.
  const usageConfig = loaded.config.usage;
  const adminConfig = options.adminEnabled === undefined ? loaded.config.admin : { ...loaded.config.admin, enabled: options.adminEnabled };
  // One key verifier per apiKeys setting: a reload that leaves it alone keeps the followed store and its cache.
  // Like usage and admin, the registry settings are read once.
  // Usage comes before the registry: a block-if-used policy reads it from the import on start on.
  const usage = usageConfig.enabled ? await createUsageRecorder(usageConfig, { logger, metrics, now: options.now }) : undefined;
  let registry: RegistryRuntime | undefined;
  if (loaded.config.registry.enabled) {
    try {
      registry = await openRegistry({ loaded, dataDir: options.dataDir, logger, metrics, now: options.now, usage: () => usage, config: () => loaded });
    } catch (error) {
      await usage?.close();
      await limiterStore.close?.();
      await idempotencyStores.close();
      throw error;
    }
  }
  let keys = { setting: JSON.stringify(loaded.config.apiKeys), verifier: keyVerifier(loaded, options.dataDir, logger, metrics) };
  let built: Awaited<ReturnType<typeof build>>;
  try {
    built = await build(loaded, options.dataDir, logger, metrics, upstreamEvents, limiterStore, keys.verifier, options.now, clientCertificates, usageConfig.enabled, registry, idempotencyStores, tracing, drift);
  } catch (error) {
    await ownedTracing?.shutdown();
    await keys.verifier.close();
    await registry?.close();
    await usage?.close();
    await limiterStore.close?.();
    await idempotencyStores.close();
    throw error;
  }
  const gateway = new Gateway(logger, { maxHeaderCount: loaded.config.listen.maxHeaderCount, trustedProxies: loaded.config.listen.trustedProxies, clientAddressHeader: loaded.config.listen.clientAddressHeader }, metrics, usage, tracing);
  gateway.swap(built.table);
  const port = options.port ?? loaded.config.listen.port;
  let server: RunningServer;
  let admin: RunningAdminServer | undefined;
  let adminCertificateExpiry: CertificateExpiry | undefined;
  // Read at each scrape, so that reloaded TLS files show at once.
  metrics.setCertificateSource(() => [...(tls?.certificateExpiries() ?? []), ...(adminCertificateExpiry ? [adminCertificateExpiry] : [])]);
  // The admin API issues and revokes keys in the store the gateway verifies against; the consumers
  // that may hold one are those of the configuration in service (it follows reloads).
  const adminKeys = adminConfig.enabled ? { store: openKeyStore(loaded.config.apiKeys, options.dataDir), isDeclaredConsumer: (id: string) => loaded.config.consumers.some((c) => c.id === id) } : undefined;
  try {
    if (adminConfig.enabled) {
      const adminTls = readAdminTls(adminConfig.listen.tls, loaded);
      const adminNotAfter = adminTls ? certificateNotAfter(adminTls.cert) : undefined;
      if (adminNotAfter !== undefined) adminCertificateExpiry = { kind: 'admin-listener', notAfterSeconds: adminNotAfter / 1000 };
      admin = await startAdminServer({
        host: adminConfig.listen.host,
        port: options.adminPort ?? adminConfig.listen.port,
        auth: { authenticator: () => built.authenticator, providers: () => loaded.config.admin.auth.providers, scope: () => loaded.config.admin.auth.scope, owners: () => loaded.config.admin.owners },
        deps: { logger, usage, keys: adminKeys, metrics, maxDocumentBytes: () => loaded.config.admin.maxDocumentBytes, registry: registry?.service, consumers: () => loaded.config.consumers, now: options.now, logLevel, drift },
        tls: adminTls,
      }).catch((error: unknown) => {
        // Tagged, so that `accord serve` names the admin port rather than the data-plane one.
        throw Object.assign(error as Error, { listener: 'admin', port: options.adminPort ?? adminConfig.listen.port });
      });
      if (adminConfig.auth.providers.length === 0) logger.warn({ url: admin.url }, 'admin listener: admin.auth.providers is empty, so every admin request is refused (401)');
    }
    server = await startServer(gateway, loaded.config.listen, logger, port, {
      readiness: () => ({ limiter: limiterStore.health?.() ?? { store: limiterStore.kind, degraded: false } }),
      tls: material ? { material, onHandshakeFailure: (reason) => metrics.tlsHandshakeFailures.inc({ reason }) } : undefined,
    });
  } catch (error) {
    await admin?.close(0);
    await adminKeys?.store.close();
    await usage?.close();
    await registry?.close();
    await limiterStore.close?.();
    await idempotencyStores.close();
    // A port in use: nothing serves, so the upstream pools, key fetches and timers must not keep the process alive.
    built.table.close();
    built.authenticator?.close();
    await keys.verifier.close();
    await ownedTracing?.shutdown();
    throw error;
  }
  if (admin) logger.info({ url: admin.url }, 'admin listener listening');
  if (usage) logger.info({ store: usage.storeKind, flushIntervalSeconds: usageConfig.flushIntervalSeconds }, 'usage records enabled');
  const describeServed = (table: RouteTable): string[] => table.served.map((s) => `${s.prefix} -> ${s.apiId}@${s.version}`);
  logger.info({ url: server.url, apis: describeServed(built.table) }, 'gateway listening');
  metrics.configLastReloadSuccess.set(Date.now() / 1000);

  /** One reload attempt; logs and counts its outcome whatever happens. */
  const attempt = async (trigger: ReloadTrigger, changed: readonly string[]): Promise<boolean> => {
    try {
      const next = loadConfig(options.configPath);
      const setting = JSON.stringify(next.config.apiKeys);
      const nextKeys = setting === keys.setting ? keys : { setting, verifier: keyVerifier(next, options.dataDir, logger, metrics) };
      let nextBuilt: Awaited<ReturnType<typeof build>>;
      try {
        nextBuilt = await build(next, options.dataDir, logger, metrics, upstreamEvents, limiterStore, nextKeys.verifier, options.now, clientCertificates, usageConfig.enabled, registry, idempotencyStores, tracing, drift);
      } catch (error) {
        if (nextKeys !== keys) await nextKeys.verifier.close();
        throw error;
      }
      const oldKeys = keys;
      keys = nextKeys;
      const old = built;
      gateway.swap(nextBuilt.table);
      built = nextBuilt;
      const previous = loaded;
      loaded = next;
      // Let in-flight requests on the old table finish before closing its upstream pools.
      setTimeout(() => {
        old.table.close();
        old.authenticator?.close();
        if (oldKeys !== nextKeys) void oldKeys.verifier.close();
      }, next.config.listen.shutdownGraceMs).unref();
      // The stamp comes before the log line: both read the same clock, in that order.
      metrics.configLastReloadSuccess.set(Date.now() / 1000);
      if (trigger === 'registry-change') {
        metrics.registryUpdates.inc({ outcome: 'success' });
        logger.info({ trigger, outcome: 'success', apis: describeServed(nextBuilt.table) }, 'registry change in service');
      } else {
        metrics.configReloads.inc({ outcome: 'success' });
        logger.info({ trigger, outcome: 'success', changed, apis: describeServed(nextBuilt.table) }, 'configuration reloaded');
      }
      if (JSON.stringify(previous.config.listen) !== JSON.stringify(next.config.listen)) {
        logger.warn({ trigger }, 'listen settings changed: they take effect at the next restart');
      }
      if (JSON.stringify(previous.config.metrics) !== JSON.stringify(next.config.metrics)) {
        logger.warn({ trigger }, 'metrics settings changed: they take effect at the next restart');
      }
      if (JSON.stringify(previous.config.limits) !== JSON.stringify(next.config.limits)) {
        logger.warn({ trigger }, 'limits settings changed: they take effect at the next restart');
      }
      if (JSON.stringify(previous.config.idempotency) !== JSON.stringify(next.config.idempotency)) {
        logger.warn({ trigger }, 'idempotency store settings changed: they take effect at the next restart');
      }
      if (JSON.stringify(previous.config.usage) !== JSON.stringify(next.config.usage) || JSON.stringify(previous.config.admin.listen) !== JSON.stringify(next.config.admin.listen) || previous.config.admin.enabled !== next.config.admin.enabled) {
        logger.warn({ trigger }, 'usage or admin listener settings changed: they take effect at the next restart (admin.auth applies now)');
      }
      return true;
    } catch (error) {
      const problems = error instanceof ConfigError ? error.message.split('\n') : error instanceof ContractError || error instanceof SourceError ? [error.describe()] : [(error as Error).message];
      if (trigger === 'registry-change') {
        metrics.registryUpdates.inc({ outcome: 'rejected' });
        logger.error({ trigger, outcome: 'rejected', problems }, 'registry change not served; the previous routing table keeps serving');
      } else {
        metrics.configReloads.inc({ outcome: 'rejected' });
        logger.error({ trigger, outcome: 'rejected', changed, problems }, 'configuration reload rejected; the previous configuration keeps serving');
      }
      return false;
    }
  };

  // One reload at a time; requests arriving meanwhile share one follow-up reload.
  let running: Promise<boolean> | undefined;
  let queued: { promise: Promise<boolean>; changed: Set<string> } | undefined;
  const start = (trigger: ReloadTrigger, changed: readonly string[]): Promise<boolean> => {
    const promise = attempt(trigger, changed).finally(() => {
      if (running === promise) running = undefined;
    });
    running = promise;
    return promise;
  };
  const requestReload = (trigger: ReloadTrigger, changed: readonly string[] = []): Promise<boolean> => {
    if (queued) {
      for (const path of changed) queued.changed.add(path);
      return queued.promise;
    }
    if (!running) return start(trigger, changed);
    const follow: { promise: Promise<boolean>; changed: Set<string> } = { promise: Promise.resolve(false), changed: new Set(changed) };
    follow.promise = running.then(() => {
      queued = undefined;
      return start(trigger, [...follow.changed]);
    });
    queued = follow;
    return follow.promise;
  };

  let watcher: ConfigWatcher | undefined;
  if (options.watch ?? true) {
    watcher = watchConfig({
      dirs: [...new Set([loaded.dir, loaded.contractsDir])],
      debounceMs: options.watchDebounceMs,
      onChange: (paths) => void requestReload('file-change', paths),
      onError: (error) => logger.warn({ err: { message: error.message } }, 'file watch failed; reload with SIGHUP'),
    });
    await watcher.ready;
    await tls?.watch(options.watchDebounceMs);
  }
  // The registry is followed whatever --no-watch says: it is how registrations reach every instance.
  registry?.follow(() => void requestReload('registry-change'));

  return {
    gateway,
    server,
    tls,
    admin,
    usage,
    registry,
    tracing,
    drift,
    logLevel,
    get loaded() {
      return loaded;
    },
    reload: (trigger: ReloadTrigger = 'manual') => {
      // SIGHUP re-reads the TLS files too (the way to pick them up under --no-watch); a new CA bundle reloads them all.
      if (trigger === 'SIGHUP') tls?.reload('ca');
      return requestReload(trigger);
    },
    async stop() {
      logLevel.close();
      await watcher?.close();
      await tls?.close();
      await server.shutdown();
      // After the drain, so that the last requests' usage is flushed too.
      await usage?.close();
      await admin?.close(loaded.config.listen.shutdownGraceMs);
      await adminKeys?.store.close();
      await registry?.close();
      built.table.close();
      built.authenticator?.close();
      await limiterStore.close?.();
      await idempotencyStores.close();
      await keys.verifier.close();
      // Last: the spans of the drained requests are exported before the process exits.
      await ownedTracing?.shutdown();
    },
  };
}
