/** The idempotency config (`apis[].idempotency` and `idempotency`): defaults, and refusals located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { openIdempotencyStores } from '../../src/gateway/open-idempotency-stores.js';
import { ConfigError } from '../../src/config/config-error.js';
import { createLogger } from '../../src/observability/logger.js';
import { configDir, configIssues } from '../support/config-dir.js';

const api = (idempotency: string): string => `apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
        upstream: http://127.0.0.1:4011
    idempotency:
${idempotency}`;

const issuesOf = (yaml: string): Array<[string, number | undefined, string]> => configIssues(`version: 1\n${yaml}`).map((i) => [i.pointer, i.line, i.message]);

describe('idempotency config', () => {
  it('defaults: enabled, optional, a day, memory, 1 MiB responses, 255-character keys, refuse on store errors', () => {
    const loaded = loadConfig(configDir(`version: 1\n${api('      store: memory\n')}`));
    assert.deepEqual(loaded.config.apis[0]!.idempotency, { enabled: true, required: false, expirySeconds: 86400, store: 'memory', maxResponseBytes: 1048576, maxKeyLength: 255, onStoreError: 'refuse' });
    assert.deepEqual(loaded.config.idempotency, { memory: { maxBytes: 67108864 }, redis: { urlEnv: 'REDIS_URL', keyPrefix: 'accord', connectTimeoutMs: 1000, commandTimeoutMs: 500 } });
  });

  const REFUSED: Array<{ name: string; yaml: string; issue: [string, number | undefined, string] }> = [
    { name: 'an unknown store', yaml: api('      store: memcached\n'), issue: ['/apis/0/idempotency/store', 9, 'must be one of "memory", "redis"'] },
    { name: 'a zero expiry', yaml: api('      expirySeconds: 0\n'), issue: ['/apis/0/idempotency/expirySeconds', 9, 'must be >= 1'] },
    { name: 'an expiry over 30 days', yaml: api('      expirySeconds: 2592001\n'), issue: ['/apis/0/idempotency/expirySeconds', 9, 'must be <= 2592000'] },
    { name: 'an unknown onStoreError', yaml: api('      onStoreError: ignore\n'), issue: ['/apis/0/idempotency/onStoreError', 9, 'must be one of "refuse", "pass"'] },
    { name: 'an unknown field of an operation', yaml: api('      operations:\n        createOrder:\n          store: redis\n'), issue: ['/apis/0/idempotency/operations/createOrder/store', 11, 'unknown property "store"'] },
    { name: 'a string where required takes a boolean', yaml: api('      required: "yes"\n'), issue: ['/apis/0/idempotency/required', 9, 'must be boolean'] },
    { name: 'a URL where the variable name goes (secrets never in YAML)', yaml: `idempotency:\n  redis:\n    urlEnv: "redis://:secret@host:6379"\n${api('      store: redis\n')}`, issue: ['/idempotency/redis/urlEnv', 4, 'must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"'] },
  ];
  for (const c of REFUSED) {
    it(`refuses ${c.name}`, () => assert.deepEqual(issuesOf(c.yaml), [c.issue]));
  }

  it('store redis without its URL variable is a ConfigError naming the API\'s store field', async () => {
    const loaded = loadConfig(configDir(`version: 1\nidempotency:\n  redis:\n    urlEnv: ACCORD_TEST_UNSET_URL\n${api('      store: redis\n')}`));
    await assert.rejects(openIdempotencyStores(loaded, undefined, createLogger({ level: 'silent' }), {}), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.issues.map((i) => [i.pointer, i.line]), [['/apis/0/idempotency/store', 12]]);
      assert.match(error.issues[0]!.message, /environment variable ACCORD_TEST_UNSET_URL is not set/);
      return true;
    });
  });
});
