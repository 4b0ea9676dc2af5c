/**
 * Composition root of the data plane: loads the configuration, builds the routing table with its
 * policies, starts the listener, reloads on change, and shuts down gracefully on SIGTERM/SIGINT.
 */
import { watch, type FSWatcher } from 'node:fs';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import { createJwtAuthenticator, type JwtAuthenticator } from './policies/jwt-auth/index.js';
import type { IdentityProviderInput, PublicJwk } from './policies/jwt-auth/schema.js';
import { ensureDevKeys } from '../dev/dev-issuer.js';
import { buildRouteTable, type RouteTable } from './pipeline/build-routes.js';
import { Gateway } from './gateway.js';
import { startServer, type RunningServer } from './server.js';
import { createMetrics, type GatewayMetrics } from '../observability/metrics.js';
import type { UpstreamFailure } from './proxy/upstream-proxy.js';
import type { RequestContext } from './pipeline/request-context.js';

/** Options of a gateway start. */
export interface StartOptions {
  configPath: string;
  dataDir: string;
  logger: Logger;
  port?: number;
  /** Reload config and contracts when their files change (default true). */
  watch?: boolean;
}

/** A running gateway. */
export interface RunningGateway {
  gateway: Gateway;
  server: RunningServer;
  loaded: LoadedConfig;
  /** Rebuilds from disk; a bad new config is rejected and the old table keeps serving. */
  reload(): Promise<boolean>;
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
async function build(loaded: LoadedConfig, dataDir: string, logger: Logger, metrics: GatewayMetrics): Promise<{ table: RouteTable; authenticator: JwtAuthenticator | undefined }> {
  const providers = await identityProviders(loaded, dataDir);
  const authenticator = providers.length > 0 ? createJwtAuthenticator(providers, { logger }) : undefined;
  const onResponseInvalid = (ctx: RequestContext, mode: 'enforce' | 'report'): void => {
    metrics.responseViolations.inc({ api: ctx.api?.apiId ?? '', version: ctx.api?.version ?? '', operation: ctx.operation?.operationId ?? ctx.operation?.template ?? '', mode });
  };
  const onUpstreamFailure = (ctx: RequestContext, reason: UpstreamFailure): void => {
    metrics.upstreamFailures.inc({ api: ctx.api?.apiId ?? '', version: ctx.api?.version ?? '', reason });
  };
  try {
    const table = buildRouteTable(loaded, { logger, authenticator, onResponseInvalid, onUpstreamFailure });
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
  const metrics = createMetrics();
  let built = await build(loaded, options.dataDir, logger, metrics);
  const gateway = new Gateway(logger, { maxHeaderCount: loaded.config.listen.maxHeaderCount, trustedProxies: loaded.config.listen.trustedProxies }, metrics);
  gateway.swap(built.table);
  const port = options.port ?? loaded.config.listen.port;
  const server = await startServer(gateway, loaded.config.listen, logger, port);
  logger.info({ url: server.url, apis: built.table.served.map((s) => `${s.prefix} -> ${s.apiId}@${s.version}`) }, 'gateway listening');

  let reloading: Promise<boolean> | undefined;
  const reload = (): Promise<boolean> => {
    reloading ??= (async () => {
      try {
        const next = loadConfig(options.configPath);
        const nextBuilt = await build(next, options.dataDir, logger, metrics);
        const old = built;
        gateway.swap(nextBuilt.table);
        built = nextBuilt;
        loaded = next;
        // Let in-flight requests on the old table finish before closing its upstream pools.
        setTimeout(() => {
          old.table.close();
          old.authenticator?.close();
        }, loaded.config.listen.shutdownGraceMs).unref();
        logger.info({ apis: nextBuilt.table.served.map((s) => `${s.prefix} -> ${s.apiId}@${s.version}`) }, 'configuration reloaded');
        return true;
      } catch (error) {
        logger.error({ err: { message: (error as Error).message } }, 'reload rejected; the previous configuration keeps serving');
        return false;
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };

  const watchers: FSWatcher[] = [];
  if (options.watch ?? true) {
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), 300);
      timer.unref();
    };
    for (const dir of [loaded.dir, loaded.contractsDir]) {
      try {
        const watcher = watch(dir, { recursive: true, persistent: false }, schedule);
        watcher.on('error', () => undefined);
        watchers.push(watcher);
      } catch {
        logger.warn({ dir }, 'cannot watch for changes; reload with SIGHUP');
      }
    }
  }

  return {
    gateway,
    server,
    get loaded() {
      return loaded;
    },
    reload,
    async stop() {
      for (const watcher of watchers) watcher.close();
      await server.shutdown();
      built.table.close();
      built.authenticator?.close();
    },
  };
}
