/** Development convenience for `accord serve --mock-upstreams`: a contract mock on each loopback upstream. */
import type { LoadedConfig } from '../config/load-config.js';
import { findContractFile } from '../config/load-config.js';
import { servedVersions } from '../gateway/pipeline/build-routes.js';
import type { Logger } from '../observability/logger.js';
import { startMockServer } from './mock-server.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Starts one mock per served API version whose upstream is a loopback URL; others are left alone. */
export async function startMockUpstreams(loaded: LoadedConfig, logger: Logger): Promise<{ close(): Promise<void> }> {
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    for (const api of loaded.config.apis) {
      for (const v of servedVersions(api)) {
        const target = new URL(v.upstream ?? api.upstream.url!);
        if (!LOOPBACK.has(target.hostname)) {
          logger.warn({ api: api.id, version: v.version, upstream: target.href }, 'not mocking a non-loopback upstream');
          continue;
        }
        const contractFile = findContractFile(loaded.contractsDir, api.id, v.version)!;
        const mock = await startMockServer({ contractFile, port: Number(target.port || 80), host: target.hostname.replace(/^\[|\]$/g, '') });
        logger.info({ api: api.id, version: v.version, url: mock.url }, 'mock upstream listening');
        started.push(mock);
      }
    }
  } catch (error) {
    await Promise.all(started.map((m) => m.close()));
    throw error;
  }
  return { close: async () => void (await Promise.all(started.map((m) => m.close()))) };
}
