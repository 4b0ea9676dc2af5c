/** Development convenience for `accord serve --mock-upstreams`: a contract mock on each loopback upstream. */
import type { LoadedConfig } from '../config/load-config.js';
import { findContractFile } from '../config/load-config.js';
import { ConfigError } from '../config/config-error.js';
import { toPointer } from '../contracts/json-pointer.js';
import { servedVersions } from '../gateway/pipeline/served-contracts.js';
import type { ApiConfig, ApiVersionConfig } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import { startMockServer } from './mock-server.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why a port could not be had, in words a newcomer can act on. */
function listenFailure(code: string | undefined, port: string): string | undefined {
  if (code === 'EADDRINUSE') return `port ${port} is in use (EADDRINUSE): another program (perhaps another \`accord serve --mock-upstreams\` or \`npm start\`) listens there; stop it or choose another port here`;
  if (code === 'EACCES') return `port ${port} cannot be opened (EACCES): ports below 1024 need privileges; choose another port here`;
  if (code === 'EADDRNOTAVAIL') return `the address cannot be bound on this machine (EADDRNOTAVAIL)`;
  return undefined;
}

/** The upstream URLs of a served version with the pointer of each in the configuration. */
function mockedTargets(api: ApiConfig, v: ApiVersionConfig, i: number, j: number): Array<{ url: string; pointer: string }> {
  if (v.targets) return v.targets.map((t, k) => ({ url: t.url, pointer: toPointer(['apis', i, 'versions', j, 'targets', k, 'url']) }));
  if (v.upstream !== undefined) return [{ url: v.upstream, pointer: toPointer(['apis', i, 'versions', j, 'upstream']) }];
  if (api.upstream.targets) return api.upstream.targets.map((t, k) => ({ url: t.url, pointer: toPointer(['apis', i, 'upstream', 'targets', k, 'url']) }));
  return [{ url: api.upstream.url!, pointer: toPointer(['apis', i, 'upstream', 'url']) }];
}

/**
 * Starts one mock per served API version target whose upstream is a loopback URL; others are left alone.
 * The mocks log through `logger`, so that stdout stays one JSON object per line. A port that
 * cannot be had is a ConfigError naming the upstream field, its file and line.
 */
export async function startMockUpstreams(loaded: LoadedConfig, logger: Logger): Promise<{ close(): Promise<void> }> {
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    for (const [i, api] of loaded.config.apis.entries()) {
      for (const v of servedVersions(api)) {
        const j = api.versions.findIndex((entry) => entry.version === v.version);
        for (const { url, pointer } of mockedTargets(api, v, i, j)) {
          const target = new URL(url);
          if (!LOOPBACK.has(target.hostname)) {
            logger.warn({ api: api.id, version: v.version, upstream: target.href }, 'not mocking a non-loopback upstream');
            continue;
          }
          const contractFile = findContractFile(loaded.contractsDir, api.id, v.version)!;
          const mockLogger = logger.child({ component: 'mock', api: api.id, version: v.version });
          const port = target.port || (target.protocol === 'https:' ? '443' : '80');
          let mock;
          try {
            mock = await startMockServer({ contractFile, port: Number(port), host: target.hostname.replace(/^\[|\]$/g, ''), log: (line) => mockLogger.info(line) });
          } catch (error) {
            const reason = listenFailure((error as NodeJS.ErrnoException).code, port);
            if (reason === undefined) throw error;
            throw new ConfigError([{ file: loaded.file, pointer, line: loaded.lineOf(pointer), message: reason }]);
          }
          logger.info({ api: api.id, version: v.version, url: mock.url }, 'mock upstream listening');
          started.push(mock);
        }
      }
    }
  } catch (error) {
    await Promise.all(started.map((m) => m.close()));
    throw error;
  }
  return { close: async () => void (await Promise.all(started.map((m) => m.close()))) };
}
