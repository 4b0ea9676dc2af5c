/** JUnit XML: one testsuite per file, one testcase per rule and operation, failures at or above the threshold. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFindings, type Report } from '../../src/cli/formatters/index.js';
import { CWD, USERS, sampleReport } from './fixtures/formatters/sample-report.js';

test('junit: suites per file (clean files included), failures only for findings at or above error', () => {
  assert.equal(
    renderFindings(sampleReport(), 'junit', { cwd: CWD }),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="accord check" tests="7" failures="2" errors="0">',
      '  <testsuite name="contracts/orders/2.0.0.yaml" tests="4" failures="1" errors="0" skipped="0">',
      '    <testcase classname="contracts/orders/2.0.0.yaml" name="endpoint-deprecated: GET /orders">',
      '      <system-out>line 8: info: Operation GET /orders was deprecated (sunset 2027-01-01) (#/paths/~1orders/get/deprecated)</system-out>',
      '    </testcase>',
      '    <testcase classname="contracts/orders/2.0.0.yaml" name="request-parameter-became-required: GET /orders/{id}">',
      '      <failure type="error" message="Query parameter &quot;limit&quot; became required">line 14: error: Query parameter &quot;limit&quot; became required (#/paths/~1orders~1{id}/get/parameters/0)</failure>',
      '    </testcase>',
      '    <testcase classname="contracts/orders/2.0.0.yaml" name="response-property-enum-value-added: GET /orders/{id}">',
      '      <system-out>line 30: warn: Response property &quot;status&quot; may now be &quot;refunded&quot; (#/components/schemas/Order/properties/status/enum/3)</system-out>',
      '    </testcase>',
      '    <testcase classname="contracts/orders/2.0.0.yaml" name="endpoint-added: POST /refunds">',
      '      <system-out>line 60: info: Operation POST /refunds was added (#/paths/~1refunds/post)</system-out>',
      '    </testcase>',
      '  </testsuite>',
      '  <testsuite name="contracts/users/1.1.0.yaml" tests="2" failures="1" errors="0" skipped="0">',
      '    <testcase classname="contracts/users/1.1.0.yaml" name="operation-description: GET /users">',
      '      <system-out>line 5: warn: Operation &quot;description&quot; must be present: 50% of &lt;ops&gt; &amp; more,',
      'see docs* (#/paths/~1users/get)</system-out>',
      '    </testcase>',
      '    <testcase classname="contracts/users/1.1.0.yaml" name="contract-version-edited-in-place: (document)">',
      '      <failure type="error" message="Published version 1.1.0 was edited in place; publish the change as a new version">error: Published version 1.1.0 was edited in place; publish the change as a new version</failure>',
      '    </testcase>',
      '  </testsuite>',
      '  <testsuite name="contracts/billing/1.0.0.yaml" tests="1" failures="0" errors="0" skipped="0">',
      '    <testcase classname="contracts/billing/1.0.0.yaml" name="check: no findings"/>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'),
  );
});

test('junit: findings of one rule on one operation share a testcase; a warn threshold fails warnings; XML specials and control characters are made safe', () => {
  const report: Report = {
    tool: 'lint',
    files: [USERS],
    failThreshold: 'warn',
    findings: [
      { id: 'r', severity: 'warn', message: 'first <a href="x">\u0007', source: 'lint', operation: "GET /u's", location: { file: USERS, line: 3, pointer: '/a' } },
      { id: 'r', severity: 'info', message: 'second\nline', source: 'lint', operation: "GET /u's", location: { file: USERS, line: 4, pointer: '/b' } },
    ],
  };
  assert.equal(
    renderFindings(report, 'junit', { cwd: CWD }),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="accord lint" tests="1" failures="1" errors="0">',
      '  <testsuite name="contracts/users/1.1.0.yaml" tests="1" failures="1" errors="0" skipped="0">',
      '    <testcase classname="contracts/users/1.1.0.yaml" name="r: GET /u&apos;s">',
      '      <failure type="warn" message="first &lt;a href=&quot;x&quot;&gt;">line 3: warn: first &lt;a href=&quot;x&quot;&gt; (#/a)',
      'line 4: info: second',
      'line (#/b)</failure>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'),
  );
});

test('junit: a failure message attribute keeps line breaks as character references', () => {
  const report: Report = {
    tool: 'diff',
    files: [USERS],
    failThreshold: 'error',
    findings: [{ id: 'r', severity: 'error', message: 'a\nb', source: 'diff', location: { file: USERS, pointer: '' } }],
  };
  const out = renderFindings(report, 'junit', { cwd: CWD });
  assert.ok(out.includes('<failure type="error" message="a&#10;b">error: a\nb</failure>'), out);
});
