/** The `metrics` config section: defaults, and invalid cases located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';

function configDir(extra: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-metrics-cfg-'));
  mkdirSync(join(dir, 'policies'));
  mkdirSync(join(dir, 'contracts', 'orders'), { recursive: true });
  writeFileSync(join(dir, 'contracts', 'orders', '1.0.0.yaml'), 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n');
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), `version: 1\napis:\n  - id: orders\n    basePath: /orders\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:4011\n${extra}`);
  return join(dir, 'policies');
}

describe('metrics config', () => {
  it('defaults: the 10 busiest consumers of each hour keep their own label', () => {
    assert.deepEqual(loadConfig(configDir('')).config.metrics, { consumers: { top: 10, periodSeconds: 3600 } });
  });

  it('takes 0 (every identified caller is (other)) and a day-long period', () => {
    assert.deepEqual(loadConfig(configDir('metrics:\n  consumers:\n    top: 0\n    periodSeconds: 86400\n')).config.metrics, { consumers: { top: 0, periodSeconds: 86400 } });
  });

  const invalid: Array<{ name: string; yaml: string; pointer: string; line: number; message: RegExp }> = [
    { name: 'a negative top', yaml: 'metrics:\n  consumers:\n    top: -1\n', pointer: '/metrics/consumers/top', line: 10, message: /must be >= 0/ },
    { name: 'a top beyond 1000', yaml: 'metrics:\n  consumers:\n    top: 5000\n', pointer: '/metrics/consumers/top', line: 10, message: /must be <= 1000/ },
    { name: 'a period under a minute', yaml: 'metrics:\n  consumers:\n    periodSeconds: 5\n', pointer: '/metrics/consumers/periodSeconds', line: 10, message: /must be >= 60/ },
    { name: 'an unknown field', yaml: 'metrics:\n  histogramBuckets: [1]\n', pointer: '/metrics/histogramBuckets', line: 9, message: /^unknown property "histogramBuckets"$/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => {
      let issues: Array<{ pointer: string; line: number | undefined; message: string }> = [];
      try {
        loadConfig(configDir(c.yaml));
        assert.fail('expected a ConfigError');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        issues = error.issues;
      }
      const issue = issues.find((i) => i.pointer === c.pointer);
      assert.ok(issue, `no issue at ${c.pointer}: ${JSON.stringify(issues)}`);
      assert.equal(issue.line, c.line);
      assert.match(issue.message, c.message);
    });
  }
});
