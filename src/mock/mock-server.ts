/** Starts a contract mock on a port: the in-process entry point of `accord mock` and `accord serve --mock-upstreams`. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockApp, type MockLog } from './mock-app.js';
import { loadMockContract } from './mock-contract.js';
import { expressMessageClasses } from '../gateway/express-messages.js';

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /** The OpenAPI 3.0/3.1 contract to serve. */
  contractFile: string;
  /** Port to listen on; 0 picks a free one (default 0). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Receives one line per request and load-time remarks (default: standard error). */
  log?: MockLog;
}

/** A listening mock. */
export interface RunningMock {
  /** Base URL, e.g. `http://127.0.0.1:4011`. */
  url: string;
  /** The operations served, for a start-up banner. */
  operationCount: number;
  /** Stops accepting connections and closes idle ones; resolves when the server is closed. */
  close(): Promise<void>;
}

const stderrLog: MockLog = (line) => void process.stderr.write(`${line}\n`);

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Loads the contract, then listens. Rejects with SourceError/ContractError for an unusable contract
 * and with the listen error (EADDRINUSE, EACCES) when the port cannot be had.
 */
export async function startMockServer(options: MockServerOptions): Promise<RunningMock> {
  const log = options.log ?? stderrLog;
  const host = options.host ?? '127.0.0.1';
  const contract = await loadMockContract(options.contractFile);
  for (const warning of contract.warnings) log(`mock: ${contract.file}#${warning.pointer}: ${warning.message}`);
  const app = createMockApp(contract, log);
  const server = createServer({ ...expressMessageClasses(app) }, app);
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostInUrl}:${port}`,
    operationCount: contract.operations.length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
