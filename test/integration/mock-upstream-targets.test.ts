/** `accord serve --mock-upstreams` with several upstream targets: one mock on each loopback target, a port in use named by its target. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { createLogger } from '../../src/observability/logger.js';
import { startMockUpstreams } from '../../src/mock/mock-upstreams.js';
import { freePort, occupyPort } from '../support/free-port.js';
import { rawRequest } from '../support/raw-request.js';

const FRAMING = join(import.meta.dirname, 'fixtures', 'gateway', 'framing-1.0.0.yaml');

function configWithTargets(ports: number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-mock-targets-'));
  mkdirSync(join(dir, 'contracts', 'items'), { recursive: true });
  copyFileSync(FRAMING, join(dir, 'contracts', 'items', '1.0.0.yaml'));
  mkdirSync(join(dir, 'policies'));
  const targets = ports.map((p) => `        - url: http://127.0.0.1:${p}\n`).join('');
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), `version: 1\ncontractsDir: ../contracts\napis:\n  - id: items\n    basePath: /items\n    versions: [{version: 1.0.0}]\n    upstream:\n      targets:\n${targets}`);
  return join(dir, 'policies');
}

const quiet = createLogger({ level: 'error', destination: new Writable({ write: (_c, _e, done) => done() }) });

describe('mock upstreams with several targets', () => {
  it('starts a mock on every loopback target', async () => {
    const ports = [await freePort(), await freePort()];
    const mocks = await startMockUpstreams(loadConfig(configWithTargets(ports)), quiet);
    try {
      for (const port of ports) {
        const res = await rawRequest(`http://127.0.0.1:${port}`, 'GET', '/items/abc');
        assert.notEqual(res.status, 0);
        assert.notEqual(res.status, 404, `mock on ${port}: ${res.text}`);
      }
    } finally {
      await mocks.close();
    }
  });

  it('a target port in use is a ConfigError naming that target', async () => {
    const held = await occupyPort();
    try {
      await assert.rejects(startMockUpstreams(loadConfig(configWithTargets([await freePort(), held.port])), quiet), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.issues[0]!.pointer, '/apis/0/upstream/targets/1/url');
        assert.equal(error.issues[0]!.line, 10);
        assert.match(error.issues[0]!.message, /is in use \(EADDRINUSE\)/);
        return true;
      });
    } finally {
      await held.close();
    }
  });
});
