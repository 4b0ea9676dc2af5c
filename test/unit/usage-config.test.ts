/** The `usage` and `admin` config sections: defaults, and invalid cases located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { assertConfigIssue, ordersConfigDir } from '../support/config-dir.js';

describe('usage and admin config', () => {
  it('defaults: usage off in memory, admin on at 127.0.0.1:9080 with scope accord:admin and no provider', () => {
    const { config } = loadConfig(ordersConfigDir(''));
    assert.deepEqual(config.usage, {
      enabled: false,
      store: 'memory',
      redis: { keyPrefix: 'accord:usage:' },
      flushIntervalSeconds: 10,
      retentionDays: 90,
      maxPendingRecords: 50000,
      maxRetainedBatches: 30,
      fingerprint: { enabled: true, maxLocations: 256, maxDepth: 16, maxNodes: 512, arrayElements: 8, stableAfter: 64, sampleEvery: 10 },
    });
    assert.deepEqual(config.admin, { enabled: true, listen: { host: '127.0.0.1', port: 9080 }, auth: { providers: [], scope: 'accord:admin' }, owners: [], maxDocumentBytes: 5 * 1024 * 1024 });
  });

  it('accepts the dev issuer as admin provider', () => {
    const { config } = loadConfig(ordersConfigDir('devIssuer:\n  enabled: true\nadmin:\n  auth:\n    providers: [dev]\nusage:\n  enabled: true\n  store: redis\n'));
    assert.deepEqual(config.admin.auth.providers, ['dev']);
    assert.equal(config.usage.store, 'redis');
  });

  const invalid: Array<{ name: string; yaml: string; pointer: string; line: number; message: RegExp }> = [
    { name: 'an unknown admin provider', yaml: 'admin:\n  auth:\n    providers: [corp]\n', pointer: '/admin/auth/providers/0', line: 10, message: /^unknown identity provider "corp" \(declared: none\)$/ },
    { name: 'an unknown store', yaml: 'usage:\n  store: postgres\n', pointer: '/usage/store', line: 9, message: /^must be one of "memory", "redis"$/ },
    { name: 'a key prefix with spaces', yaml: 'usage:\n  redis:\n    keyPrefix: "a b"\n', pointer: '/usage/redis/keyPrefix', line: 10, message: /must match pattern/ },
    { name: 'a zero retention', yaml: 'usage:\n  retentionDays: 0\n', pointer: '/usage/retentionDays', line: 9, message: /must be >= 1/ },
    { name: 'an unknown fingerprint field', yaml: 'usage:\n  fingerprint:\n    maxPointers: 3\n', pointer: '/usage/fingerprint/maxPointers', line: 10, message: /^unknown property "maxPointers"$/ },
    { name: 'an admin port out of range', yaml: 'admin:\n  listen:\n    port: 70000\n', pointer: '/admin/listen/port', line: 10, message: /must be <= 65535/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => assertConfigIssue(c.yaml, c));
  }
});
