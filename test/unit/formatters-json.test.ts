/** JSON output: the `diff` shape fixed by the command-line contract, its `check` superset, and lint's shape. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFindings, type Report } from '../../src/cli/formatters/index.js';
import { CWD, ORDERS, sampleReport } from './fixtures/formatters/sample-report.js';

function json(report: Report): unknown {
  const text = renderFindings(report, 'json', { cwd: CWD, color: false });
  assert.ok(text.endsWith('}\n'));
  return JSON.parse(text);
}

const diffReport: Report = {
  tool: 'diff',
  files: [ORDERS],
  failThreshold: 'error',
  findings: sampleReport().findings.filter((f) => f.source === 'diff'),
};

test('json for diff: exactly {breaking, changes[{id, severity, message, operation, path, location{file, line, pointer}}]} in file/line order', () => {
  assert.deepEqual(json(diffReport), {
    breaking: true,
    changes: [
      {
        id: 'endpoint-deprecated',
        severity: 'info',
        message: 'Operation GET /orders was deprecated (sunset 2027-01-01)',
        operation: 'GET /orders',
        path: '/orders',
        location: { file: 'contracts/orders/2.0.0.yaml', line: 8, pointer: '/paths/~1orders/get/deprecated' },
        affects: [{ operation: 'GET /orders', where: null, path: null }],
      },
      {
        id: 'request-parameter-became-required',
        severity: 'error',
        message: 'Query parameter "limit" became required',
        operation: 'GET /orders/{id}',
        path: '/orders/{id}',
        location: { file: 'contracts/orders/2.0.0.yaml', line: 14, pointer: '/paths/~1orders~1{id}/get/parameters/0' },
        affects: [{ operation: 'GET /orders/{id}', where: null, path: null }],
      },
      {
        id: 'response-property-enum-value-added',
        severity: 'warn',
        message: 'Response property "status" may now be "refunded"',
        operation: 'GET /orders/{id}',
        path: '/orders/{id}',
        location: { file: 'contracts/orders/2.0.0.yaml', line: 30, pointer: '/components/schemas/Order/properties/status/enum/3' },
        affects: [{ operation: 'GET /orders/{id}', where: null, path: null }],
      },
      {
        id: 'endpoint-added',
        severity: 'info',
        message: 'Operation POST /refunds was added',
        operation: 'POST /refunds',
        path: '/refunds',
        location: { file: 'contracts/orders/2.0.0.yaml', line: 60, pointer: '/paths/~1refunds/post' },
        affects: [{ operation: 'POST /refunds', where: null, path: null }],
      },
    ],
  });
});

const breakingScenarios: Array<{ name: string; report: Report; expected: unknown }> = [
  {
    name: 'no change at all',
    report: { tool: 'diff', files: [ORDERS], failThreshold: 'error', findings: [] },
    expected: { breaking: false, changes: [] },
  },
  {
    name: 'a possibly breaking (warn) change is not breaking; path comes from the pointer when there is no operation',
    report: {
      tool: 'diff',
      files: [ORDERS],
      failThreshold: 'error',
      findings: [{ id: 'api-path-parameter-renamed', severity: 'warn', message: 'm', source: 'diff', location: { file: ORDERS, pointer: '/paths/~1a~1{b}' } }],
    },
    expected: {
      breaking: false,
      changes: [{ id: 'api-path-parameter-renamed', severity: 'warn', message: 'm', operation: null, path: '/a/{b}', location: { file: 'contracts/orders/2.0.0.yaml', line: null, pointer: '/paths/~1a~1{b}' }, affects: [] }],
    },
  },
  {
    name: 'a removed path located at /paths of the revision takes its API path from the base location',
    report: {
      tool: 'diff',
      files: [ORDERS],
      failThreshold: 'error',
      findings: [
        {
          id: 'api-path-removed-without-deprecation',
          severity: 'error',
          message: 'm',
          source: 'diff',
          location: { file: ORDERS, line: 5, pointer: '/paths' },
          baseLocation: { file: '/repo/contracts/orders/1.0.0.yaml', line: 40, pointer: '/paths/~1gone' },
        },
      ],
    },
    expected: {
      breaking: true,
      changes: [{ id: 'api-path-removed-without-deprecation', severity: 'error', message: 'm', operation: null, path: '/gone', location: { file: 'contracts/orders/2.0.0.yaml', line: 5, pointer: '/paths' }, affects: [] }],
    },
  },
  {
    name: 'a document-level change has a null path',
    report: {
      tool: 'diff',
      files: [ORDERS],
      failThreshold: 'error',
      findings: [{ id: 'api-security-removed', severity: 'error', message: 'm', source: 'diff', location: { file: ORDERS, line: 1, pointer: '/security' } }],
    },
    expected: {
      breaking: true,
      changes: [{ id: 'api-security-removed', severity: 'error', message: 'm', operation: null, path: null, location: { file: 'contracts/orders/2.0.0.yaml', line: 1, pointer: '/security' }, affects: [] }],
    },
  },
  {
    name: 'a breaking check accepted at warn (a new major version) still makes the report breaking',
    report: {
      tool: 'check',
      files: [ORDERS],
      failThreshold: 'error',
      rules: [{ id: 'request-parameter-removed', severity: 'error', description: 'A request parameter was removed.' }],
      findings: [{ id: 'request-parameter-removed', severity: 'warn', message: 'm', source: 'diff', operation: 'GET /a', location: { file: ORDERS, line: 3, pointer: '/paths/~1a/get' } }],
    },
    expected: {
      breaking: true,
      passed: true,
      changes: [{ id: 'request-parameter-removed', severity: 'warn', message: 'm', source: 'diff', operation: 'GET /a', path: '/a', location: { file: 'contracts/orders/2.0.0.yaml', line: 3, pointer: '/paths/~1a/get' }, affects: [{ operation: 'GET /a', where: null, path: null }] }],
    },
  },
];

for (const scenario of breakingScenarios) {
  test(`json for ${scenario.report.tool}: ${scenario.name}`, () => {
    assert.deepEqual(json(scenario.report), scenario.expected);
  });
}

test('json for check: the diff shape plus passed and the source of each entry; lint errors fail but are not breaking', () => {
  const report: Report = {
    tool: 'check',
    files: [ORDERS],
    failThreshold: 'error',
    findings: [
      { id: 'oas3-schema', severity: 'error', message: 'bad schema', source: 'lint', location: { file: ORDERS, line: 3, pointer: '/info' } },
      { id: 'contract-info-version-mismatch', severity: 'error', message: 'info.version is 1.0.0', source: 'policy', location: { file: ORDERS, line: 4, pointer: '/info/version' } },
    ],
  };
  assert.deepEqual(json(report), {
    breaking: false,
    passed: false,
    changes: [
      { id: 'oas3-schema', severity: 'error', message: 'bad schema', source: 'lint', operation: null, path: null, location: { file: 'contracts/orders/2.0.0.yaml', line: 3, pointer: '/info' }, affects: [] },
      { id: 'contract-info-version-mismatch', severity: 'error', message: 'info.version is 1.0.0', source: 'policy', operation: null, path: null, location: { file: 'contracts/orders/2.0.0.yaml', line: 4, pointer: '/info/version' }, affects: [] },
    ],
  });
});

test('json for lint: {passed, findings} with the same entry shape', () => {
  const report: Report = {
    tool: 'lint',
    files: [ORDERS],
    failThreshold: 'error',
    findings: [{ id: 'operation-tags', severity: 'warn', message: 'no tags', source: 'lint', operation: 'GET /a', location: { file: ORDERS, line: 9, column: 5, pointer: '/paths/~1a/get' } }],
  };
  assert.deepEqual(json(report), {
    passed: true,
    findings: [{ id: 'operation-tags', severity: 'warn', message: 'no tags', source: 'lint', operation: 'GET /a', path: '/a', location: { file: 'contracts/orders/2.0.0.yaml', line: 9, pointer: '/paths/~1a/get' } }],
  });
});
