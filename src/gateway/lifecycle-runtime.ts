/**
 * Lifecycle changes joined to usage and notifications in a running gateway: the callers of a
 * version (from the usage records) that deprecations record and retirements are refused over, the
 * metric and log of a version retired while in use, and the signed webhooks with their sunset
 * reminder timer (`registry.webhooks`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load-config.js';
import { VersionUsage } from '../impact/version-callers.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { LifecycleEvent, RegistryService } from '../registry/registry-service.js';
import type { RegistryStore } from '../registry/store/registry-store.js';
import { LifecycleNotifier } from '../registry/webhooks/lifecycle-notifier.js';
import { WebhookSender } from '../registry/webhooks/webhook-sender.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';

/** Options of {@link startLifecycle}. */
export interface LifecycleRuntimeOptions {
  readonly loaded: LoadedConfig;
  readonly service: RegistryService;
  readonly store: RegistryStore;
  readonly usage: Pick<UsageRecorder, 'query'> | undefined;
  /** Declared consumers and contacts of the configuration in service (follows reloads). */
  readonly consumers: () => ReadonlyArray<{ readonly id: string; readonly contact?: string }>;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
  /** Tests: the webhook sender's waits between attempts and jitter. */
  readonly webhookTiming?: { wait?: (ms: number) => Promise<void>; random?: () => number };
}

/** The running lifecycle hooks. */
export interface LifecycleRuntime {
  /** Sends the sunset reminders due now (the timer calls it; tests call it with their clock). */
  remindSunsets(): Promise<number>;
  /** Resolves when every queued webhook has ended. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

function readSecret(loaded: LoadedConfig): string {
  const hooks = loaded.config.registry.webhooks;
  // load-config checked that the file exists or the variable is set.
  if (hooks.secretFile !== undefined) return readFileSync(resolve(dirname(loaded.file), hooks.secretFile), 'utf8').replace(/\r?\n$/, '');
  return process.env[hooks.secretEnv] ?? '';
}

/** Connects the registry's lifecycle to usage and webhooks; starts the reminder timer when webhooks are on. */
export function startLifecycle(options: LifecycleRuntimeOptions): LifecycleRuntime {
  const { loaded, service, logger, metrics } = options;
  const settings = loaded.config.registry;
  const windowDays = settings.lifecycle.inUseWindowDays;
  const versionUsage = options.usage ? new VersionUsage(options.usage, options.now) : undefined;
  const callers = versionUsage ? (api: string, version: string) => versionUsage.callers(api, version, windowDays) : undefined;
  let sender: WebhookSender | undefined;
  let notifier: LifecycleNotifier | undefined;
  if (settings.webhooks.enabled && callers) {
    const hooks = settings.webhooks;
    sender = new WebhookSender(
      { secret: readSecret(loaded), timeoutMs: hooks.timeoutMs, attempts: hooks.attempts, backoffMs: hooks.backoffMs, maxBackoffMs: hooks.maxBackoffMs },
      {
        logger,
        now: options.now,
        ...options.webhookTiming,
        onAttemptFailure: (type) => metrics.lifecycleWebhookAttemptFailures.inc({ event: type }),
        onOutcome: (type, outcome) => metrics.lifecycleWebhooks.inc({ event: type, outcome }),
      },
    );
    const queue = sender;
    notifier = new LifecycleNotifier({ send: (d) => queue.send(d), contacts: options.consumers, callers, store: options.store, reminderDays: hooks.sunsetReminderDays, logger, now: options.now });
  }
  const changed = (event: LifecycleEvent): void => {
    try {
      if (event.kind === 'retired' && event.trigger === 'manual' && event.consumers.length > 0) {
        metrics.registryRetiredInUse.inc({ api: event.record.api, trigger: 'manual' }, event.consumers.length);
        logger.warn({ api: event.record.api, version: event.record.version, consumers: event.consumers.map((c) => c.consumer) }, 'registry: version retired by force while consumers still called it');
      }
      notifier?.changed(event);
    } catch (error) {
      logger.error({ err: { message: (error as Error).message } }, 'lifecycle notification failed');
    }
  };
  service.useLifecycleHooks({ inUseWindowDays: windowDays, ...(callers ? { callers } : {}), changed });

  // One check at a time: a call during one waits for it, then checks again.
  let current: Promise<number> | undefined;
  const check = async (): Promise<number> => {
    try {
      return await notifier!.remindSunsets();
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'lifecycle webhooks: checking sunsets failed; retried at the next interval');
      return 0;
    }
  };
  const remindSunsets = async (): Promise<number> => {
    if (!notifier) return 0;
    while (current) await current;
    current = check();
    try {
      return await current;
    } finally {
      current = undefined;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  if (notifier) {
    timer = setInterval(() => void remindSunsets(), settings.webhooks.intervalSeconds * 1000);
    timer.unref();
    void remindSunsets();
  }
  return {
    remindSunsets,
    webhooksIdle: async () => sender?.idle(),
    async close() {
      if (timer) clearInterval(timer);
      await sender?.close();
    },
  };
}
