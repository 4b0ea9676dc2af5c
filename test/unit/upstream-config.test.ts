/** apis[].upstream: targets, balancing, timeouts, retries, health and breakers; every error located by file, pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { targetsOf } from '../../src/gateway/pipeline/served-contracts.js';

function configDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-upcfg-'));
  mkdirSync(join(dir, 'policies'));
  mkdirSync(join(dir, 'contracts', 'orders'), { recursive: true });
  writeFileSync(join(dir, 'contracts', 'orders', '1.0.0.yaml'), 'openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths: {}\n');
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), yaml);
  return join(dir, 'policies');
}

/** A config whose apis[0].upstream block is `upstream` (YAML lines indented by 6), version 1.0.0 with `version` lines. */
function yamlWith(upstream: string, version = ''): string {
  return `version: 1
apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
${version}    upstream:
${upstream}`;
}

function issuesOf(yaml: string): Array<{ pointer: string; line: number | undefined; message: string; file: string }> {
  try {
    loadConfig(configDir(yaml));
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('upstream configuration errors', () => {
  const cases: Array<{ name: string; yaml: string; expect: Array<{ pointer: string; line: number; message: RegExp }> }> = [
    {
      name: 'a target URL with credentials',
      yaml: yamlWith('      targets:\n        - url: http://127.0.0.1:4011\n        - url: http://user:pw@127.0.0.1:4012\n'),
      expect: [{ pointer: '/apis/0/upstream/targets/1/url', line: 10, message: /credentials in an upstream URL are refused/ }],
    },
    {
      name: 'a target URL that is not http',
      yaml: yamlWith('      targets:\n        - url: ftp://127.0.0.1:4011\n'),
      expect: [{ pointer: '/apis/0/upstream/targets/0/url', line: 9, message: /scheme "ftp" is not supported/ }],
    },
    {
      name: 'the same target twice',
      yaml: yamlWith('      targets:\n        - url: http://127.0.0.1:4011\n        - url: http://127.0.0.1:4011/\n'),
      expect: [{ pointer: '/apis/0/upstream/targets/1/url', line: 10, message: /listed twice/ }],
    },
    {
      name: 'url and targets together',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      targets:\n        - url: http://127.0.0.1:4011\n'),
      expect: [{ pointer: '/apis/0/upstream/targets', line: 9, message: /set url \(one target\) or targets \(several\), not both/ }],
    },
    {
      name: 'a version with upstream and targets',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n', '        upstream: http://127.0.0.1:4011\n        targets:\n          - url: http://127.0.0.1:4012\n'),
      expect: [{ pointer: '/apis/0/versions/0/targets', line: 8, message: /set upstream \(one URL\) or targets \(several\), not both/ }],
    },
    {
      name: 'a bad URL among a version\'s targets',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n', '        targets:\n          - url: http://127.0.0.1:99999\n'),
      expect: [{ pointer: '/apis/0/versions/0/targets/0/url', line: 8, message: /port 99999 is not a port number/ }],
    },
    {
      name: 'a retry budget ratio above 1',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      retries:\n        budget:\n          ratio: 1.5\n'),
      expect: [{ pointer: '/apis/0/upstream/retries/budget/ratio', line: 11, message: /must be <= 1/ }],
    },
    {
      name: 'a negative retry budget ratio',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      retries:\n        budget:\n          ratio: -0.1\n'),
      expect: [{ pointer: '/apis/0/upstream/retries/budget/ratio', line: 11, message: /must be >= 0/ }],
    },
    {
      name: 'a max ejection percent above 100',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      outlierDetection:\n        maxEjectionPercent: 150\n'),
      expect: [{ pointer: '/apis/0/upstream/outlierDetection/maxEjectionPercent', line: 10, message: /must be <= 100/ }],
    },
    {
      name: 'an unknown retry condition',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      retries:\n        on: [reset, always]\n'),
      expect: [{ pointer: '/apis/0/upstream/retries/on/1', line: 10, message: /must be one of "connect-failure", "reset", "timeout", "gateway-error", "5xx"/ }],
    },
    {
      name: 'an unknown balancing method',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      balancing: random\n'),
      expect: [{ pointer: '/apis/0/upstream/balancing', line: 9, message: /must be one of "round-robin", "least-outstanding"/ }],
    },
    {
      name: 'a zero target weight',
      yaml: yamlWith('      targets:\n        - url: http://127.0.0.1:4011\n          weight: 0\n'),
      expect: [{ pointer: '/apis/0/upstream/targets/0/weight', line: 10, message: /must be >= 1/ }],
    },
    {
      name: 'a connect timeout not below the total',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      timeoutMs: 1000\n      connectTimeoutMs: 1000\n'),
      expect: [{ pointer: '/apis/0/upstream/connectTimeoutMs', line: 10, message: /must be less than upstream.timeoutMs \(1000\)/ }],
    },
    {
      name: 'a first-byte timeout above the total',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      timeoutMs: 1000\n      firstByteTimeoutMs: 2000\n'),
      expect: [{ pointer: '/apis/0/upstream/firstByteTimeoutMs', line: 10, message: /must be less than upstream.timeoutMs/ }],
    },
    {
      name: 'a backoff cap below its base',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      retries:\n        backoffBaseMs: 100\n        backoffMaxMs: 50\n'),
      expect: [{ pointer: '/apis/0/upstream/retries/backoffMaxMs', line: 11, message: /must not be less than retries.backoffBaseMs \(100\)/ }],
    },
    {
      name: 'a health check without a path',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      healthCheck:\n        intervalMs: 1000\n'),
      expect: [{ pointer: '/apis/0/upstream/healthCheck/path', line: 9, message: /required property "path" is missing/ }],
    },
    {
      name: 'a health check timeout not below its interval',
      yaml: yamlWith('      url: http://127.0.0.1:4010\n      healthCheck:\n        path: /health\n        intervalMs: 1000\n        timeoutMs: 1000\n'),
      expect: [{ pointer: '/apis/0/upstream/healthCheck/timeoutMs', line: 12, message: /must be less than healthCheck.intervalMs/ }],
    },
    {
      name: 'no upstream anywhere',
      yaml: yamlWith('      timeoutMs: 1000\n'),
      expect: [{ pointer: '/apis/0/versions/0', line: 6, message: /no upstream: set versions\[0\].upstream, versions\[0\].targets, upstream.url or upstream.targets/ }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml);
      assert.deepEqual(
        issues.map((i) => ({ pointer: i.pointer, line: i.line })),
        c.expect.map((e) => ({ pointer: e.pointer, line: e.line })),
        JSON.stringify(issues),
      );
      c.expect.forEach((e, k) => {
        assert.match(issues[k]!.message, e.message);
        assert.match(issues[k]!.file, /gateway\.yaml$/);
      });
    });
  }
});

describe('upstream configuration defaults and targets', () => {
  it('applies the defaults and keeps every resilience feature off unless configured', () => {
    const { config } = loadConfig(configDir(yamlWith('      url: http://127.0.0.1:4010\n')));
    const upstream = config.apis[0]!.upstream;
    assert.equal(upstream.balancing, 'round-robin');
    assert.deepEqual(upstream.pool, { maxFreeSockets: 256 });
    assert.equal(upstream.retries, undefined);
    assert.equal(upstream.outlierDetection, undefined);
    assert.equal(upstream.circuitBreaker, undefined);
    assert.equal(upstream.healthCheck, undefined);
  });

  it('fills the defaults of a configured feature', () => {
    const { config } = loadConfig(configDir(yamlWith('      url: http://127.0.0.1:4010\n      retries: {}\n      outlierDetection: {}\n      circuitBreaker: {}\n')));
    const upstream = config.apis[0]!.upstream;
    assert.deepEqual(upstream.retries, { attempts: 2, on: ['connect-failure', 'reset', 'timeout'], backoffBaseMs: 25, backoffMaxMs: 1000, budget: { ratio: 0.2, minRetriesPerSecond: 3, windowSeconds: 10 } });
    assert.deepEqual(upstream.outlierDetection, { consecutiveFailures: 5, ejectionMs: 30000, maxEjectionPercent: 50, on5xx: true });
    assert.deepEqual(upstream.circuitBreaker, { consecutiveFailures: 5, halfOpenAfterMs: 30000, on5xx: true });
  });

  const targetCases: Array<{ name: string; upstream: string; version: string; expect: Array<{ url: string; weight: number }> }> = [
    { name: 'url is one target', upstream: '      url: http://127.0.0.1:4010\n', version: '', expect: [{ url: 'http://127.0.0.1:4010', weight: 1 }] },
    {
      name: 'the API\'s targets, weights defaulted',
      upstream: '      targets:\n        - url: http://127.0.0.1:4011\n        - url: http://127.0.0.1:4012\n          weight: 3\n',
      version: '',
      expect: [{ url: 'http://127.0.0.1:4011', weight: 1 }, { url: 'http://127.0.0.1:4012', weight: 3 }],
    },
    { name: 'a version\'s upstream overrides the API\'s targets', upstream: '      targets:\n        - url: http://127.0.0.1:4011\n', version: '        upstream: http://127.0.0.1:4020\n', expect: [{ url: 'http://127.0.0.1:4020', weight: 1 }] },
    {
      name: 'a version\'s targets override the API\'s url',
      upstream: '      url: http://127.0.0.1:4010\n',
      version: '        targets:\n          - url: http://127.0.0.1:4021\n          - url: http://127.0.0.1:4022\n',
      expect: [{ url: 'http://127.0.0.1:4021', weight: 1 }, { url: 'http://127.0.0.1:4022', weight: 1 }],
    },
  ];
  for (const c of targetCases) {
    it(c.name, () => {
      const { config } = loadConfig(configDir(yamlWith(c.upstream, c.version)));
      const api = config.apis[0]!;
      assert.deepEqual(targetsOf(api, api.versions[0]), c.expect);
    });
  }
});
