/** accord-path-no-trailing-slash: failing and passing fixtures (test/unit/fixtures/lint/accord-path-no-trailing-slash/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-path-no-trailing-slash', [
  {
    name: 'paths ending in a slash, with and without a parameter',
    fixture: 'fail-trailing-slash.yaml',
    expected: [
      { severity: 'error', line: 4, pointer: '/paths/~1orders~1', message: 'path /orders/ ends with a slash' },
      { severity: 'error', line: 9, pointer: '/paths/~1orders~1{id}~1', message: 'path /orders/{id}/ ends with a slash' },
    ],
  },
  {
    name: 'the root path and plain paths pass',
    fixture: 'pass-no-trailing-slash.yaml',
    expected: [],
  },
]);
