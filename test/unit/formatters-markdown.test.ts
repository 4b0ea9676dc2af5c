/** Markdown changelog: per file, breaking changes, deprecations, other changes, each grouped by operation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFindings, type Report } from '../../src/cli/formatters/index.js';
import { CWD, ORDERS, USERS, sampleReport } from './fixtures/formatters/sample-report.js';

const scenarios: Array<{ name: string; report: Report; expected: string }> = [
  {
    name: 'sections in order, grouped by operation; lint and policy findings apart; unchanged files listed last',
    report: sampleReport(),
    expected: [
      '# API changelog',
      '',
      '## contracts/orders/2.0.0.yaml',
      '',
      '### Breaking changes',
      '',
      '- `GET /orders/{id}`',
      '  - Query parameter "limit" became required (`request-parameter-became-required`, line 14)',
      '',
      '### Deprecations',
      '',
      '- `GET /orders`',
      '  - Operation GET /orders was deprecated (sunset 2027-01-01) (`endpoint-deprecated`, line 8)',
      '',
      '### Additions and other changes',
      '',
      '- `GET /orders/{id}`',
      '  - Response property "status" may now be "refunded" (possibly breaking, `response-property-enum-value-added`, line 30)',
      '- `POST /refunds`',
      '  - Operation POST /refunds was added (`endpoint-added`, line 60)',
      '',
      '## contracts/users/1.1.0.yaml',
      '',
      '### Lint and policy findings',
      '',
      '- Published version 1.1.0 was edited in place; publish the change as a new version (error, `contract-version-edited-in-place`)',
      '- `GET /users`',
      '  - Operation "description" must be present: 50% of \\<ops\\> & more, see docs\\* (warn, `operation-description`, line 5)',
      '',
      'No changes in: `contracts/billing/1.0.0.yaml`.',
      '',
    ].join('\n'),
  },
  {
    name: 'a diff without changes',
    report: { tool: 'diff', files: [ORDERS], findings: [], failThreshold: 'error' },
    expected: '# API changelog\n\nNo changes in: `contracts/orders/2.0.0.yaml`.\n',
  },
  {
    name: 'nothing examined at all',
    report: { tool: 'check', files: [], findings: [], failThreshold: 'error' },
    expected: '# API changelog\n\nNo changes.\n',
  },
  {
    name: 'a lint report',
    report: {
      tool: 'lint',
      files: [USERS],
      failThreshold: 'error',
      findings: [{ id: 'info-contact', severity: 'warn', message: 'Info has no _contact_', source: 'lint', location: { file: USERS, line: 2, pointer: '/info' } }],
    },
    expected: '# Lint report\n\n## contracts/users/1.1.0.yaml\n\n### Lint and policy findings\n\n- Info has no \\_contact\\_ (warn, `info-contact`, line 2)\n',
  },
  {
    name: 'a breaking change the gate accepted (warn, within a new major) stays under Breaking changes',
    report: {
      tool: 'check',
      files: [ORDERS],
      failThreshold: 'error',
      rules: [{ id: 'request-parameter-removed', severity: 'error', description: 'A request parameter was removed.' }],
      findings: [
        { id: 'request-parameter-removed', severity: 'warn', message: 'Query parameter "page" was removed (allowed: 2.0.0 is a new major version)', source: 'diff', operation: 'GET /orders', location: { file: ORDERS, line: 9, pointer: '/paths/~1orders/get' } },
        { id: 'response-property-enum-value-added', severity: 'warn', message: 'm', source: 'diff', operation: 'GET /orders', location: { file: ORDERS, line: 20, pointer: '/paths/~1orders/get/responses' } },
      ],
    },
    expected: [
      '# API changelog',
      '',
      '## contracts/orders/2.0.0.yaml',
      '',
      '### Breaking changes',
      '',
      '- `GET /orders`',
      '  - Query parameter "page" was removed (allowed: 2.0.0 is a new major version) (`request-parameter-removed`, line 9)',
      '',
      '### Additions and other changes',
      '',
      '- `GET /orders`',
      '  - m (possibly breaking, `response-property-enum-value-added`, line 20)',
      '',
    ].join('\n'),
  },
];

for (const scenario of scenarios) {
  test(`markdown: ${scenario.name}`, () => {
    assert.equal(renderFindings(scenario.report, 'markdown', { cwd: CWD }), scenario.expected);
  });
}
