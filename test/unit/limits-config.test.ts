/** The `limits` config (where rate-limit counters live): defaults, and refusals located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { insurancePoints } from '../../src/gateway/policies/rate-limit/stores/redis-store.js';
import { configDir, configIssues } from '../support/config-dir.js';

const APIS = `apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
        upstream: http://127.0.0.1:4011
`;

const issuesOf = (limits: string): Array<[string, number | undefined, string]> => configIssues(`version: 1
limits:
${limits}${APIS}`).map((i) => [i.pointer, i.line, i.message]);

describe('limits config', () => {
  it('defaults: memory store, one instance, REDIS_URL, prefix accord, bounded timeouts', () => {
    const loaded = loadConfig(configDir(`version: 1\n${APIS}`));
    assert.deepEqual(loaded.config.limits, {
      store: 'memory',
      instances: 1,
      redis: { urlEnv: 'REDIS_URL', keyPrefix: 'accord', connectTimeoutMs: 1000, commandTimeoutMs: 500 },
    });
  });

  const REFUSED: Array<{ name: string; limits: string; issue: [string, number | undefined, string] }> = [
    { name: 'an unknown store', limits: '  store: memcached\n', issue: ['/limits/store', 3, 'must be one of "memory", "redis"'] },
    { name: 'no instances', limits: '  instances: 0\n', issue: ['/limits/instances', 3, 'must be >= 1'] },
    { name: 'a URL where the variable name goes (secrets never in YAML)', limits: '  redis:\n    urlEnv: "redis://:secret@host:6379"\n', issue: ['/limits/redis/urlEnv', 4, 'must match pattern "^[A-Za-z_][A-Za-z0-9_]*$"'] },
    { name: 'a key prefix with a space', limits: '  redis:\n    keyPrefix: "my app"\n', issue: ['/limits/redis/keyPrefix', 4, 'must match pattern "^[A-Za-z0-9._:-]{1,64}$"'] },
    { name: 'an unknown field', limits: '  redis:\n    url: redis://127.0.0.1\n', issue: ['/limits/redis/url', 4, 'unknown property "url"'] },
  ];
  for (const c of REFUSED) {
    it(`refuses ${c.name}`, () => assert.deepEqual(issuesOf(c.limits), [c.issue]));
  }

  it('insurance share: the limit divided by the processes, rounded down, never 0', () => {
    const table: Array<[number, number, number]> = [
      [100, 1, 100],
      [100, 3, 33],
      [10, 2, 5],
      [2, 6, 1],
    ];
    for (const [points, processes, share] of table) assert.equal(insurancePoints(points, processes), share, `${points} / ${processes}`);
  });
});
