/** accord-operation-security-declared: failing and passing fixtures (test/unit/fixtures/lint/accord-operation-security-declared/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-operation-security-declared', [
  {
    name: 'an operation without security in a document without global security',
    fixture: 'fail-undeclared.yaml',
    expected: [
      { severity: 'error', line: 11, pointer: '/paths/~1orders/post', message: 'POST /orders declares no security and the document has no global security (use security: [] for a public operation)', operation: 'POST /orders' },
    ],
  },
  {
    name: 'security: [] on the operation marks it public',
    fixture: 'pass-explicit-public.yaml',
    expected: [],
  },
  {
    name: 'a global security: [] marks the API public',
    fixture: 'pass-global-public.yaml',
    expected: [],
  },
  {
    name: 'a global security requirement covers every operation',
    fixture: 'pass-global-security.yaml',
    expected: [],
  },
  {
    name: 'security on the operation passes',
    fixture: 'pass-operation-security.yaml',
    expected: [],
  },
]);
