/** `accord mock`: serves a contract as a stand-in upstream, answering from its examples and schemas. */
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';

/** Prism's customary port, so partners' habits carry over. */
const DEFAULT_PORT = 4010;

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || port > 65535) throw new UsageError(`--port must be a port number, got "${value}"`);
  return port;
}

/** Registers `mock`. */
export function registerMock(program: Command): void {
  program
    .command('mock')
    .description('serve CONTRACT as a mock upstream: validates requests, answers with examples (Prefer: code=, example=, dynamic=true)')
    .argument('<contract>', 'OpenAPI 3.0/3.1 file (YAML or JSON)')
    .option('--port <port>', 'port to listen on', String(DEFAULT_PORT))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(async (contract: string, opts: { port: string; host: string }) => {
      const port = parsePort(opts.port);
      // Loaded here, not at the top: Express and the validator would otherwise slow every other command's start.
      const { startMockServer } = await import('../../mock/mock-server.js');
      let mock;
      try {
        mock = await startMockServer({ contractFile: contract, port, host: opts.host });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`${opts.host}:${port} is already in use`);
        if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${opts.host}:${port} (${code})`);
        throw error;
      }
      process.stderr.write(`accord mock: ${contract} (${mock.operationCount} operations) on ${mock.url}\n`);
      const running = mock;
      const stop = (): void => {
        void running.close().finally(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
