/**
 * The registry as the gateway uses it when `registry.enabled`: the store the config names, the
 * service governance runs in, the import of the contract files on start, what the registry holds
 * for the served APIs (read before every routing table), the follow of its changes, and the
 * retirement of versions past their sunset.
 */
import { join, resolve, dirname } from 'node:path';
import type { LoadedConfig } from '../config/load-config.js';
import { loadRuleset } from '../governance/lint/index.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { importContracts } from '../registry/import-contracts.js';
import { RegistryService } from '../registry/registry-service.js';
import { createBreakingChangeJudge } from '../registry/breaking-change-gate.js';
import { breakingChangePolicyOf } from '../registry/schema.js';
import { FileRegistryStore } from '../registry/store/file-store.js';
import { PostgresRegistryStore } from '../registry/store/postgres-store.js';
import type { RegistryStore } from '../registry/store/registry-store.js';
import { CompiledContracts } from './pipeline/compiled-contracts.js';
import { startLifecycle, type LifecycleRuntime } from './lifecycle-runtime.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { readRegistrySnapshot, type RegistrySnapshot } from './pipeline/served-contracts.js';

/** The registry of a running gateway. */
export interface RegistryRuntime {
  readonly service: RegistryService;
  /** Registered contracts compiled by earlier routing tables. */
  readonly compiled: CompiledContracts;
  /** What the registry holds now for the APIs `loaded` serves. */
  snapshot(loaded: LoadedConfig): Promise<RegistrySnapshot>;
  /** Usage-aware lifecycle: retirement refusal, webhooks and their sunset reminders. */
  readonly lifecycle: LifecycleRuntime;
  /** Calls `onChange` after every change by any process, and after a reconnection (changes may have been missed). */
  follow(onChange: () => void): void;
  close(): Promise<void>;
}

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions {
  loaded: LoadedConfig;
  dataDir: string;
  logger: Logger;
  metrics: GatewayMetrics;
  /** The wall clock of sunsets and usage windows (ms since the epoch); tests inject one. */
  now?: () => number;
  /** The usage records block-if-used policies read (undefined while none are kept). */
  usage?: () => UsageRecorder | undefined;
  /** The configuration in service (governance policies and consumer contacts follow reloads). */
  config?: () => LoadedConfig;
}

async function openStore(loaded: LoadedConfig, dataDir: string, logger: Logger, metrics: GatewayMetrics): Promise<RegistryStore> {
  const settings = loaded.config.registry;
  if (settings.store === 'file') return new FileRegistryStore(join(dataDir, 'registry'));
  // load-config refused a postgres store without DATABASE_URL.
  let following = true;
  const store = await PostgresRegistryStore.open({
    connectionString: process.env.DATABASE_URL!,
    schema: settings.postgres.schema,
    onListenerState: (state, error) => {
      following = state !== 'lost';
      metrics.registryFollowing.set({ store: 'postgres' }, following ? 1 : 0);
      if (state === 'lost') logger.warn({ store: 'postgres', err: error ? { message: error.message } : undefined }, 'registry: lost the PostgreSQL notifications; reconnecting (the routing table keeps serving)');
      else logger.info({ store: 'postgres' }, 'registry: notifications restored; re-reading the registry');
    },
  });
  metrics.registryFollowing.set({ store: 'postgres' }, following ? 1 : 0);
  return store;
}

/** Opens the registry, imports the contract files when configured, and starts the sunset timer when configured. */
export async function openRegistry(options: OpenRegistryOptions): Promise<RegistryRuntime> {
  const { loaded, logger, metrics } = options;
  const settings = loaded.config.registry;
  const ruleset = await loadRuleset(settings.ruleset !== undefined ? resolve(dirname(loaded.file), settings.ruleset) : undefined);
  const store = await openStore(loaded, options.dataDir, logger, metrics);
  const now = options.now ?? Date.now;
  const current = options.config ?? (() => loaded);
  const judge = createBreakingChangeJudge({
    policy: (api) => breakingChangePolicyOf(current().config.registry.governance, api),
    usage: options.usage ?? (() => undefined),
    consumers: () => current().config.consumers,
    now,
    onDecision: (api, decision) => {
      metrics.registryBreakingChangeGate.inc({ api, outcome: decision.outcome });
      const fields = { api, outcome: decision.outcome, breakingChanges: decision.breakingChanges, consumers: decision.consumers.map((c) => c.id), reasons: decision.reasons, window: decision.window, coverage: decision.coverage };
      if (decision.accepted) logger.info(fields, 'registry: breaking changes within the major accepted: unused in the window (block-if-used)');
      else logger.warn(fields, 'registry: breaking changes within the major refused by the usage gate (block-if-used)');
    },
  });
  const service = new RegistryService(store, ruleset, () => new Date(now()), judge, (action, outcome) => metrics.registryEvents.inc({ action, outcome }));
  const served = (config: LoadedConfig): Set<string> => new Set(config.config.apis.map((a) => a.id));
  try {
    if (settings.importOnStart) {
      const outcomes = await importContracts(service, loaded.contractsDir, served(loaded), logger);
      for (const o of outcomes) metrics.registryImports.inc({ outcome: o.result });
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  let lifecycle: LifecycleRuntime;
  try {
    lifecycle = startLifecycle({ loaded, service, store, usage: options.usage?.(), consumers: () => (options.config?.() ?? loaded).config.consumers, logger, metrics, now });
  } catch (error) {
    await store.close();
    throw error;
  }
  let timer: NodeJS.Timeout | undefined;
  if (settings.autoRetire.enabled) {
    let running = false;
    const retireDue = async (): Promise<void> => {
      if (running) return;
      running = true;
      try {
        // Several instances may try at once: the store applies a retirement only to a version still deprecated.
        for (const { record, consumers } of await service.retireAtSunset()) {
          metrics.registryAutoRetired.inc({ api: record.api });
          if (consumers.length === 0) logger.info({ api: record.api, version: record.version, sunset: record.sunset }, 'registry: version retired at its sunset');
          else {
            // The sunset was announced: the version is retired anyway, and who still called it is on record.
            metrics.registryRetiredInUse.inc({ api: record.api, trigger: 'sunset' }, consumers.length);
            logger.warn({ api: record.api, version: record.version, sunset: record.sunset, consumers: consumers.map((c) => ({ consumer: c.consumer, calls: c.calls, lastSeen: c.lastSeen })) }, 'registry: version retired at its sunset while consumers still called it');
          }
        }
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message } }, 'registry: retiring versions past their sunset failed; retried at the next interval');
      } finally {
        running = false;
      }
    };
    timer = setInterval(() => void retireDue(), settings.autoRetire.intervalSeconds * 1000);
    timer.unref();
    await retireDue();
  }
  let unsubscribe: (() => void) | undefined;
  return {
    service,
    lifecycle,
    compiled: new CompiledContracts(),
    snapshot: (config) => readRegistrySnapshot(store, served(config)),
    follow(onChange) {
      unsubscribe?.();
      unsubscribe = store.watch(onChange);
    },
    async close() {
      if (timer) clearInterval(timer);
      await lifecycle.close();
      unsubscribe?.();
      await store.close();
    },
  };
}
