/** Text output: grouped by file then operation, aligned, summed up; colour only for a terminal without NO_COLOR. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colorFor, renderFindings, type Report } from '../../src/cli/formatters/index.js';
import { CWD, ORDERS, USERS, sampleReport } from './fixtures/formatters/sample-report.js';

const scenarios: Array<{ name: string; report: Report; expected: string }> = [
  {
    name: 'findings grouped by file then operation, document-level first, files without findings left out',
    report: sampleReport(),
    expected: [
      'contracts/orders/2.0.0.yaml',
      '  GET /orders',
      '    8   info   endpoint-deprecated                 Operation GET /orders was deprecated (sunset 2027-01-01)',
      '  GET /orders/{id}',
      '    14  error  request-parameter-became-required   Query parameter "limit" became required',
      '    30  warn   response-property-enum-value-added  Response property "status" may now be "refunded"',
      '  POST /refunds',
      '    60  info   endpoint-added                      Operation POST /refunds was added',
      '',
      'contracts/users/1.1.0.yaml',
      '  (document)',
      '    -    error  contract-version-edited-in-place  Published version 1.1.0 was edited in place; publish the change as a new version',
      '  GET /users',
      '    5:7  warn   operation-description             Operation "description" must be present: 50% of <ops> & more, see docs*',
      '',
      '6 findings (2 error, 2 warn, 2 info) in 2 of 3 files; failed: 2 at or above error.',
      '',
    ].join('\n'),
  },
  {
    name: 'no findings',
    report: { tool: 'lint', files: [ORDERS, USERS], findings: [], failThreshold: 'error' },
    expected: 'No findings in 2 files.\n',
  },
  {
    name: 'nothing to check (a gate run with no changed contract)',
    report: { tool: 'check', files: [], findings: [], failThreshold: 'error' },
    expected: 'No files to check.\n',
  },
  {
    name: 'findings below the threshold pass',
    report: {
      tool: 'lint',
      files: [USERS],
      failThreshold: 'error',
      findings: [{ id: 'info-contact', severity: 'warn', message: 'Info object has no contact', source: 'lint', location: { file: USERS, line: 2, pointer: '/info' } }],
    },
    expected: ['contracts/users/1.1.0.yaml', '  (document)', '    2  warn  info-contact  Info object has no contact', '', '1 finding (1 warn) in 1 of 1 file; passed: none at or above error.', ''].join('\n'),
  },
  {
    name: 'a lower threshold turns the same warning into a failure',
    report: {
      tool: 'lint',
      files: [USERS],
      failThreshold: 'warn',
      findings: [{ id: 'info-contact', severity: 'warn', message: 'Info object has no contact', source: 'lint', location: { file: USERS, line: 2, pointer: '/info' } }],
    },
    expected: ['contracts/users/1.1.0.yaml', '  (document)', '    2  warn  info-contact  Info object has no contact', '', '1 finding (1 warn) in 1 of 1 file; failed: 1 at or above warn.', ''].join('\n'),
  },
  {
    name: 'a file that is not under the working directory keeps its path',
    report: {
      tool: 'diff',
      files: ['git:main:contracts/a/1.0.0.yaml'],
      failThreshold: 'error',
      findings: [
        { id: 'api-path-removed-without-deprecation', severity: 'error', message: 'Path /a was removed', source: 'diff', location: { file: 'git:main:contracts/a/1.0.0.yaml', line: 7, pointer: '/paths/~1a' } },
      ],
    },
    expected: ['git:main:contracts/a/1.0.0.yaml', '  (document)', '    7  error  api-path-removed-without-deprecation  Path /a was removed', '', '1 finding (1 error) in 1 of 1 file; failed: 1 at or above error.', ''].join('\n'),
  },
];

for (const scenario of scenarios) {
  test(`text: ${scenario.name}`, () => {
    assert.equal(renderFindings(scenario.report, 'text', { cwd: CWD, color: false }), scenario.expected);
  });
}

test('text with colour: severities, file, operation and verdict are painted with ANSI codes', () => {
  const report: Report = {
    tool: 'lint',
    files: [USERS],
    failThreshold: 'error',
    findings: [{ id: 'x', severity: 'error', message: 'bad', source: 'lint', operation: 'GET /u', location: { file: USERS, line: 1, pointer: '' } }],
  };
  const expected = [
    '\u001b[1mcontracts/users/1.1.0.yaml\u001b[0m',
    '  \u001b[36mGET /u\u001b[0m',
    '    1  \u001b[31merror\u001b[0m  \u001b[2mx\u001b[0m  bad',
    '',
    '1 finding (1 error) in 1 of 1 file; \u001b[31mfailed: 1 at or above error\u001b[0m.',
    '',
  ].join('\n');
  assert.equal(renderFindings(report, 'text', { cwd: CWD, color: true }), expected);
});

const colourScenarios: Array<{ name: string; stream: { isTTY?: boolean }; env: NodeJS.ProcessEnv; expected: boolean }> = [
  { name: 'a terminal without NO_COLOR', stream: { isTTY: true }, env: {}, expected: true },
  { name: 'a terminal with NO_COLOR=1', stream: { isTTY: true }, env: { NO_COLOR: '1' }, expected: false },
  { name: 'a terminal with an empty NO_COLOR (unset per no-color.org)', stream: { isTTY: true }, env: { NO_COLOR: '' }, expected: true },
  { name: 'a pipe', stream: { isTTY: false }, env: {}, expected: false },
  { name: 'a stream that does not say', stream: {}, env: {}, expected: false },
];

for (const scenario of colourScenarios) {
  test(`colorFor: ${scenario.name} -> ${scenario.expected}`, () => {
    assert.equal(colorFor(scenario.stream, scenario.env), scenario.expected);
  });
}
