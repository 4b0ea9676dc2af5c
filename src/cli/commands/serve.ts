/** `accord serve`: runs the gateway on a configuration folder until SIGTERM/SIGINT. */
import cluster from 'node:cluster';
import type { Command } from 'commander';
import { createLogger } from '../../observability/logger.js';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway.js';
import { ConfigError, formatIssue } from '../../config/config-error.js';
import { resolveDataDir } from '../data-dir.js';
import { displayPath } from '../display-path.js';
import { UsageError } from '../exit-codes.js';
import { TracingSettingsError } from '../../observability/tracing-settings.js';
import { loadConfig, type LoadedConfig } from '../../config/load-config.js';
import { isReloadMessage, type ListeningMessage } from '../../gateway/workers/worker-messages.js';

function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${name} must be a port number, got "${value}"`);
  return port;
}

function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new UsageError(`--workers must be a whole number from 1 to 256, got "${value}"`);
  return workers;
}

/** The configuration's problems, one line each, with paths as the user typed them. */
function describeConfigError(error: ConfigError): string[] {
  return error.issues.map((issue) => formatIssue({ ...issue, file: displayPath(issue.file) }));
}

/** Where the data-plane port came from, to name it when it cannot be had. */
type PortSource = { kind: 'flag' | 'env'; port: number } | { kind: 'config' };

/** One line naming the setting whose port cannot be had, or undefined for other failures. */
function listenFailure(error: unknown, source: PortSource, loaded: LoadedConfig, adminSource: PortSource): string | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return undefined;
  if ((error as { listener?: string }).listener === 'admin') return adminListenFailure(code, adminSource, loaded);
  const port = source.kind === 'config' ? loaded.config.listen.port : source.port;
  const why =
    code === 'EADDRINUSE'
      ? `port ${port} is in use (EADDRINUSE): another program (perhaps another \`accord serve\` or \`npm start\`) listens there; stop it or choose another port`
      : code === 'EACCES'
        ? `port ${port} cannot be opened (EACCES): ports below 1024 need privileges; choose another port`
        : `address ${loaded.config.listen.host} cannot be bound on this machine (EADDRNOTAVAIL)`;
  if (source.kind === 'flag') return `--port ${port}: ${why}`;
  if (source.kind === 'env') return `PORT=${port}: ${why}`;
  const pointer = code === 'EADDRNOTAVAIL' ? '/listen/host' : '/listen/port';
  return formatIssue({ file: displayPath(loaded.file), pointer, line: loaded.lineOf(pointer), message: why });
}

/** Throws the usage error of an unusable configuration (its problems on stderr when several). */
function configUsageError(error: ConfigError): UsageError {
  const lines = describeConfigError(error);
  // One problem (a port in use, one bad field) is the one-line reason itself.
  if (lines.length === 1) return new UsageError(lines[0]!);
  process.stderr.write(`${lines.join('\n')}\n`);
  return new UsageError(`configuration invalid (${lines.length} problems)`);
}

/**
 * The primary of `--workers N`: checks the configuration, forks the workers (which run this same
 * command line), and stays until SIGTERM/SIGINT, when it drains them all and exits 0.
 */
async function servePrimary(opts: { config: string; watch: boolean }, workers: number): Promise<void> {
  const logger = createLogger();
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(opts.config);
  } catch (error) {
    if (error instanceof ConfigError) throw configUsageError(error);
    throw error;
  }
  const { startPrimary, WorkerStartError } = await import('../../gateway/workers/cluster-primary.js');
  const primary = await startPrimary({ workers, loaded, logger, watch: opts.watch });
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping: draining every worker');
    await primary.stop();
    logger.info({ signal }, 'all workers stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => primary.reload('SIGHUP'));
  try {
    await primary.listening;
  } catch (error) {
    // The worker said why on stderr; exit as it did.
    if (!(error instanceof WorkerStartError)) throw error;
    await primary.stop();
    logger.flush();
    process.exit(error.exitCode);
  }
}

/** The same for the admin listener. */
function adminListenFailure(code: string, source: PortSource, loaded: LoadedConfig): string {
  const port = source.kind === 'config' ? loaded.config.admin.listen.port : source.port;
  const why =
    code === 'EADDRINUSE'
      ? `admin port ${port} is in use (EADDRINUSE): another program (perhaps another \`accord serve\`) listens there; choose another port (ADMIN_PORT) or set admin.enabled: false`
      : code === 'EACCES'
        ? `admin port ${port} cannot be opened (EACCES): ports below 1024 need privileges; choose another port`
        : `address ${loaded.config.admin.listen.host} cannot be bound on this machine (EADDRNOTAVAIL)`;
  if (source.kind === 'env') return `ADMIN_PORT=${port}: ${why}`;
  const pointer = code === 'EADDRNOTAVAIL' ? '/admin/listen/host' : '/admin/listen/port';
  return formatIssue({ file: displayPath(loaded.file), pointer, line: loaded.lineOf(pointer), message: why });
}

/** Registers `serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway (default port 8080; PORT overrides) and its admin listener (default 127.0.0.1:9080; ADMIN_PORT overrides)')
    .option('--config <dir>', 'configuration folder or file', 'policies')
    .option('--port <port>', 'data-plane port (overrides PORT and the config)')
    .option('--data-dir <dir>', 'data directory (ACCORD_DATA_DIR; default .accord/)')
    .option('--mock-upstreams', 'also serve each contract with `accord mock` on its loopback upstream port (development)')
    .option('--no-watch', 'do not reload when config or contract files change')
    .option('--workers <n>', 'node cluster workers sharing the listener (limits stay exact across them)', '1')
    .action(async (opts: { config: string; port?: string; dataDir?: string; mockUpstreams?: boolean; watch: boolean; workers: string }) => {
      const workers = parseWorkers(opts.workers);
      if (workers > 1 && cluster.isPrimary) return servePrimary(opts, workers);
      // A worker: its lines name it; the primary watches the files and tells it when to reload.
      const worker = cluster.worker;
      const logger = createLogger(worker ? { fields: { worker: worker.id } } : {});
      const flagPort = parsePort(opts.port, '--port');
      const envPort = parsePort(process.env.PORT, 'PORT');
      const port = flagPort ?? envPort;
      const source: PortSource = flagPort !== undefined ? { kind: 'flag', port: flagPort } : envPort !== undefined ? { kind: 'env', port: envPort } : { kind: 'config' };
      const adminPort = parsePort(process.env.ADMIN_PORT, 'ADMIN_PORT');
      const adminSource: PortSource = adminPort !== undefined ? { kind: 'env', port: adminPort } : { kind: 'config' };
      const dataDir = resolveDataDir(opts.dataDir);
      let mocks: { close(): Promise<void> } | undefined;
      let loaded: LoadedConfig | undefined;
      let running: RunningGateway;
      try {
        loaded = loadConfig(opts.config);
        if (opts.mockUpstreams) {
          // Loaded only when asked for: the mock pulls in express-openapi-validator and a sampler.
          const { startMockUpstreams } = await import('../../mock/mock-upstreams.js');
          mocks = await startMockUpstreams(loaded, logger);
        }
        // Cluster workers share listeners by (address, port): an ephemeral admin port (0) would share the
        // data plane's socket when both are port 0 on one address, so workers run the admin listener
        // only on a fixed port.
        const workerAdminOff = worker !== undefined && (adminPort ?? loaded.config.admin.listen.port) === 0;
        running = await startGateway({ configPath: opts.config, dataDir, logger, port, adminPort, adminEnabled: workerAdminOff ? false : undefined, watch: opts.watch && !worker, workers });
      } catch (error) {
        await mocks?.close();
        // The IPC channel would keep a worker that failed to start alive; once the reason is out, let it go.
        if (worker) setImmediate(() => worker.disconnect());
        if (error instanceof ConfigError) throw configUsageError(error);
        if (error instanceof TracingSettingsError) throw new UsageError(error.message);
        const reason = loaded && listenFailure(error, source, loaded, adminSource);
        if (reason) throw new UsageError(reason);
        throw error;
      }
      const stop = async (signal: string): Promise<void> => {
        logger.info({ signal }, 'stopping');
        await running.stop();
        await mocks?.close();
        logger.flush();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGHUP', () => void running.reload('SIGHUP'));
      if (worker) {
        const listening: ListeningMessage = { accord: 'listening', url: running.server.url };
        process.send?.(listening);
      }
      if (!worker) {
        process.once('SIGINT', () => void stop('SIGINT'));
        return;
      }
      // Ctrl-C reaches the whole process group: the primary answers it by draining every worker.
      process.on('SIGINT', () => undefined);
      process.on('message', (message) => {
        if (isReloadMessage(message)) void running.reload(message.trigger);
      });
    });
}
