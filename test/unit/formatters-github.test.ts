/** GitHub workflow commands: one annotation per finding, severities mapped, values escaped per GitHub's rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFindings, type Report } from '../../src/cli/formatters/index.js';
import { escapeData, escapeProperty } from '../../src/cli/formatters/github.js';
import { CWD, ORDERS, sampleReport } from './fixtures/formatters/sample-report.js';

test('github: one workflow command per finding in file/line order, then a summary line', () => {
  assert.equal(
    renderFindings(sampleReport(), 'github', { cwd: CWD }),
    [
      '::notice file=contracts/orders/2.0.0.yaml,line=8,title=endpoint-deprecated::GET /orders: Operation GET /orders was deprecated (sunset 2027-01-01)',
      '::error file=contracts/orders/2.0.0.yaml,line=14,title=request-parameter-became-required::GET /orders/{id}: Query parameter "limit" became required',
      '::warning file=contracts/orders/2.0.0.yaml,line=30,title=response-property-enum-value-added::GET /orders/{id}: Response property "status" may now be "refunded"',
      '::notice file=contracts/orders/2.0.0.yaml,line=60,title=endpoint-added::POST /refunds: Operation POST /refunds was added',
      '::warning file=contracts/users/1.1.0.yaml,line=5,col=7,title=operation-description::GET /users: Operation "description" must be present: 50%25 of <ops> & more,%0Asee docs*',
      '::error file=contracts/users/1.1.0.yaml,title=contract-version-edited-in-place::Published version 1.1.0 was edited in place; publish the change as a new version',
      'accord check: 6 finding(s), 2 at or above error in 3 file(s)',
      '',
    ].join('\n'),
  );
});

test('github: hint maps to notice, and a file name with ":" and "," is escaped as a property', () => {
  const file = '/repo/contracts/a:b,c/1.0.0.yaml';
  const report: Report = {
    tool: 'lint',
    files: [file],
    failThreshold: 'error',
    findings: [{ id: 'tag:x,y', severity: 'hint', message: 'a:b,c\r\nd', source: 'lint', location: { file, line: 2, pointer: '/tags' } }],
  };
  assert.equal(
    renderFindings(report, 'github', { cwd: CWD }),
    '::notice file=contracts/a%3Ab%2Cc/1.0.0.yaml,line=2,title=tag%3Ax%2Cy::a:b,c%0D%0Ad\naccord lint: 1 finding(s), 0 at or above error in 1 file(s)\n',
  );
});

test('github: no findings prints only the summary line', () => {
  assert.equal(
    renderFindings({ tool: 'diff', files: [ORDERS], findings: [], failThreshold: 'error' }, 'github', { cwd: CWD }),
    'accord diff: 0 finding(s), 0 at or above error in 1 file(s)\n',
  );
});

const escapes: Array<{ name: string; input: string; data: string; property: string }> = [
  { name: 'percent first, so escapes are not escaped twice', input: '100%0A', data: '100%250A', property: '100%250A' },
  { name: 'CR and LF', input: 'a\r\nb', data: 'a%0D%0Ab', property: 'a%0D%0Ab' },
  { name: 'colon and comma only in properties', input: 'x:y,z', data: 'x:y,z', property: 'x%3Ay%2Cz' },
  { name: 'nothing to escape', input: 'plain text', data: 'plain text', property: 'plain text' },
];

for (const scenario of escapes) {
  test(`github escaping: ${scenario.name}`, () => {
    assert.equal(escapeData(scenario.input), scenario.data);
    assert.equal(escapeProperty(scenario.input), scenario.property);
  });
}
