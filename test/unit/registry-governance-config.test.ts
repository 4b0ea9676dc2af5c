/** The `registry.governance` config section: defaults, per-API merge, and invalid cases located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { assertConfigIssue, ordersConfigDir } from '../support/config-dir.js';
import { breakingChangePolicyOf } from '../../src/registry/schema.js';

describe('registry.governance config', () => {
  it('defaults: every API blocks breaking changes within a major', () => {
    const { config } = loadConfig(ordersConfigDir(''));
    assert.deepEqual(config.registry.governance, { breakingChanges: { mode: 'block', window: '30d', minRequests: 100, excludeConsumers: [], threshold: 0 }, apis: [] });
    assert.deepEqual(breakingChangePolicyOf(config.registry.governance, 'orders'), { mode: 'block', window: '30d', minRequests: 100, excludeConsumers: [], threshold: 0 });
  });

  it('a per-API entry overrides only the fields it sets', () => {
    const yaml = 'usage:\n  enabled: true\nregistry:\n  enabled: true\n  governance:\n    breakingChanges:\n      window: 60d\n      excludeConsumers: [qa]\n    apis:\n      - api: orders\n        breakingChanges:\n          mode: block-if-used\n          threshold: 0.01\n';
    const { config } = loadConfig(ordersConfigDir(yaml));
    const cases = [
      { api: 'orders', policy: { mode: 'block-if-used', window: '60d', minRequests: 100, excludeConsumers: ['qa'], threshold: 0.01 } },
      { api: 'payments', policy: { mode: 'block', window: '60d', minRequests: 100, excludeConsumers: ['qa'], threshold: 0 } },
    ];
    for (const c of cases) assert.deepEqual(breakingChangePolicyOf(config.registry.governance, c.api), c.policy, c.api);
  });

  const invalid: Array<{ name: string; yaml: string; pointer: string; line: number; message: RegExp }> = [
    { name: 'an unknown mode', yaml: 'registry:\n  governance:\n    breakingChanges:\n      mode: warn\n', pointer: '/registry/governance/breakingChanges/mode', line: 11, message: /^must be one of "block", "block-if-used"$/ },
    { name: 'a window in weeks', yaml: 'registry:\n  governance:\n    breakingChanges:\n      window: 4w\n', pointer: '/registry/governance/breakingChanges/window', line: 11, message: /must match pattern/ },
    { name: 'a threshold above 1', yaml: 'registry:\n  governance:\n    breakingChanges:\n      threshold: 5\n', pointer: '/registry/governance/breakingChanges/threshold', line: 11, message: /must be <= 1/ },
    { name: 'a negative minRequests', yaml: 'registry:\n  governance:\n    apis:\n      - api: orders\n        breakingChanges:\n          minRequests: -1\n', pointer: '/registry/governance/apis/0/breakingChanges/minRequests', line: 13, message: /must be >= 0/ },
    { name: 'two entries for one API', yaml: 'registry:\n  governance:\n    apis:\n      - api: orders\n      - api: orders\n', pointer: '/registry/governance/apis/1/api', line: 12, message: /^API "orders" has two governance entries$/ },
    { name: 'block-if-used without usage records', yaml: 'registry:\n  enabled: true\n  governance:\n    breakingChanges:\n      mode: block-if-used\n', pointer: '/registry/governance/breakingChanges/mode', line: 12, message: /set usage\.enabled: true$/ },
    { name: 'a per-API block-if-used without usage records', yaml: 'registry:\n  enabled: true\n  governance:\n    apis:\n      - api: orders\n        breakingChanges: {mode: block-if-used}\n', pointer: '/registry/governance/apis/0/breakingChanges/mode', line: 13, message: /^block-if-used for API "orders" judges/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => assertConfigIssue(c.yaml, c));
  }
});
