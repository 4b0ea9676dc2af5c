/** `accord serve`: runs the gateway on a configuration folder until SIGTERM/SIGINT. */
import type { Command } from 'commander';
import { createLogger } from '../../observability/logger.js';
import { startGateway } from '../../gateway/start-gateway.js';
import { ConfigError } from '../../config/config-error.js';
import { resolveDataDir } from '../data-dir.js';
import { UsageError } from '../exit-codes.js';
import { loadConfig } from '../../config/load-config.js';

function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${name} must be a port number, got "${value}"`);
  return port;
}

/** Registers `serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the gateway (default port 8080; PORT overrides)')
    .option('--config <dir>', 'configuration folder or file', 'policies')
    .option('--port <port>', 'data-plane port (overrides PORT and the config)')
    .option('--data-dir <dir>', 'data directory (ACCORD_DATA_DIR; default .accord/)')
    .option('--mock-upstreams', 'also serve each contract with `accord mock` on its loopback upstream port (development)')
    .option('--no-watch', 'do not reload when config or contract files change')
    .action(async (opts: { config: string; port?: string; dataDir?: string; mockUpstreams?: boolean; watch: boolean }) => {
      const logger = createLogger();
      const port = parsePort(opts.port, '--port') ?? parsePort(process.env.PORT, 'PORT');
      const dataDir = resolveDataDir(opts.dataDir);
      let mocks: { close(): Promise<void> } | undefined;
      let running;
      try {
        if (opts.mockUpstreams) {
          // Loaded only when asked for: the mock pulls in express-openapi-validator and a sampler.
          const { startMockUpstreams } = await import('../../mock/mock-upstreams.js');
          mocks = await startMockUpstreams(loadConfig(opts.config), logger);
        }
        running = await startGateway({ configPath: opts.config, dataDir, logger, port, watch: opts.watch });
      } catch (error) {
        await mocks?.close();
        if (error instanceof ConfigError) {
          process.stderr.write(`${error.message}\n`);
          throw new UsageError(`configuration invalid (${error.issues.length} problem${error.issues.length === 1 ? '' : 's'})`);
        }
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
      process.once('SIGINT', () => void stop('SIGINT'));
      process.on('SIGHUP', () => void running.reload('SIGHUP'));
    });
}
