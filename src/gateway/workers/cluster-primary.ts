/**
 * The primary process of `accord serve --workers N`: forks N workers that share one listener,
 * holds the counters of the in-memory limits for all of them, watches the configuration and tells
 * every worker to reload, restarts a worker that dies, and on SIGTERM drains every worker.
 */
import cluster, { type Worker } from 'node:cluster';
import { watchConfig, type ConfigWatcher } from '../../config/config-watcher.js';
import type { LoadedConfig } from '../../config/load-config.js';
import type { Logger } from '../../observability/logger.js';
import { startClusterLimiterPrimary } from '../policies/rate-limit/stores/cluster-store.js';
import type { ReloadTrigger } from '../start-gateway.js';
import { isListeningMessage, type ReloadMessage } from './worker-messages.js';

/** Options of the primary. */
export interface PrimaryOptions {
  workers: number;
  loaded: LoadedConfig;
  logger: Logger;
  /** Watch config and contracts, and tell the workers when they change (default true). */
  watch?: boolean;
  watchDebounceMs?: number;
}

/** A running primary. */
export interface RunningPrimary {
  /** Resolves once every worker listens; rejects with the exit code of a worker that died before it did. */
  readonly listening: Promise<void>;
  /** Tells every worker to reload. */
  reload(trigger: ReloadTrigger): void;
  /** SIGTERMs every worker and resolves once all have exited (each drains its in-flight requests first). */
  stop(): Promise<void>;
}

/** A worker that dies within this time of starting is replaced after a pause, so a crash loop does not spin. */
const EARLY_DEATH_MS = 2000;
const RESTART_PAUSE_MS = 1000;

/** Thrown (through `listening`) when a worker exits before listening: the start failed. */
export class WorkerStartError extends Error {
  constructor(readonly exitCode: number) {
    super(`a worker exited with code ${exitCode} before listening`);
    this.name = 'WorkerStartError';
  }
}

/** Starts the primary (call in the cluster primary; the workers run the same command line). */
export async function startPrimary(options: PrimaryOptions): Promise<RunningPrimary> {
  const { logger, workers: count } = options;
  // Always, whatever `limits.store` says now: a worker restarted after an edit may read `memory`.
  startClusterLimiterPrimary();
  // The live workers and when each started (cluster.workers may still list a worker that exited).
  const startedAt = new Map<Worker, number>();
  let stopping = false;
  let listeningCount = 0;
  let resolveListening!: () => void;
  let rejectListening!: (error: Error) => void;
  const listening = new Promise<void>((resolve, reject) => {
    resolveListening = resolve;
    rejectListening = reject;
  });
  let allListening = false;
  let exitsWhileStopping: (() => void) | undefined;

  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isListeningMessage(message)) return;
    if (allListening) {
      logger.info({ worker: worker.id, pid: worker.process.pid }, 'replacement worker listening');
      return;
    }
    if (++listeningCount < count) return;
    allListening = true;
    const pids = [...startedAt.keys()].map((w) => w.process.pid);
    logger.info({ url: message.url, workers: count, pids }, 'workers listening');
    resolveListening();
  });

  cluster.on('exit', (worker, code, signal) => {
    const started = startedAt.get(worker) ?? 0;
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) exitsWhileStopping?.();
      return;
    }
    if (!allListening) {
      // A worker that cannot start (port in use, unusable config) would fail the same way again.
      stopping = true;
      for (const w of startedAt.keys()) w.process.kill('SIGTERM');
      rejectListening(new WorkerStartError(code ?? 1));
      return;
    }
    const pause = Date.now() - started < EARLY_DEATH_MS ? RESTART_PAUSE_MS : 0;
    logger.warn({ worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: pause }, 'worker exited; starting a replacement');
    setTimeout(() => {
      if (!stopping) fork();
    }, pause).unref();
  });

  const reload = (trigger: ReloadTrigger): void => {
    const message: ReloadMessage = { accord: 'reload', trigger };
    for (const worker of startedAt.keys()) if (worker.isConnected()) worker.send(message);
  };

  for (let i = 0; i < count; i++) fork();

  let watcher: ConfigWatcher | undefined;
  if (options.watch ?? true) {
    // One watcher for all the workers: they reload on the same change, once each.
    watcher = watchConfig({
      dirs: [...new Set([options.loaded.dir, options.loaded.contractsDir])],
      debounceMs: options.watchDebounceMs,
      onChange: () => reload('file-change'),
      onError: (error) => logger.warn({ err: { message: error.message } }, 'file watch failed; reload with SIGHUP'),
    });
    await watcher.ready;
  }

  let stopped: Promise<void> | undefined;
  return {
    listening,
    reload,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await watcher?.close();
        const remaining = [...startedAt.keys()];
        if (remaining.length === 0) return;
        const allExited = new Promise<void>((resolve) => (exitsWhileStopping = resolve));
        for (const worker of remaining) worker.process.kill('SIGTERM');
        // Each worker closes whatever is left once its grace period is over; this is the backstop.
        const backstop = setTimeout(() => {
          for (const worker of startedAt.keys()) worker.process.kill('SIGKILL');
        }, options.loaded.config.listen.shutdownGraceMs + 5000);
        backstop.unref();
        await allExited;
        clearTimeout(backstop);
      })();
      return stopped;
    },
  };
}
