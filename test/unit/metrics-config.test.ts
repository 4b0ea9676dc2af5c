/** The `metrics` config section: defaults, and invalid cases located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { assertConfigIssue, ordersConfigDir } from '../support/config-dir.js';

describe('metrics config', () => {
  it('defaults: the 10 busiest consumers of each hour keep their own label', () => {
    assert.deepEqual(loadConfig(ordersConfigDir('')).config.metrics, { consumers: { top: 10, periodSeconds: 3600 } });
  });

  it('takes 0 (every identified caller is (other)) and a day-long period', () => {
    assert.deepEqual(loadConfig(ordersConfigDir('metrics:\n  consumers:\n    top: 0\n    periodSeconds: 86400\n')).config.metrics, { consumers: { top: 0, periodSeconds: 86400 } });
  });

  const invalid: Array<{ name: string; yaml: string; pointer: string; line: number; message: RegExp }> = [
    { name: 'a negative top', yaml: 'metrics:\n  consumers:\n    top: -1\n', pointer: '/metrics/consumers/top', line: 10, message: /must be >= 0/ },
    { name: 'a top beyond 1000', yaml: 'metrics:\n  consumers:\n    top: 5000\n', pointer: '/metrics/consumers/top', line: 10, message: /must be <= 1000/ },
    { name: 'a period under a minute', yaml: 'metrics:\n  consumers:\n    periodSeconds: 5\n', pointer: '/metrics/consumers/periodSeconds', line: 10, message: /must be >= 60/ },
    { name: 'an unknown field', yaml: 'metrics:\n  histogramBuckets: [1]\n', pointer: '/metrics/histogramBuckets', line: 9, message: /^unknown property "histogramBuckets"$/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => assertConfigIssue(c.yaml, c));
  }
});
