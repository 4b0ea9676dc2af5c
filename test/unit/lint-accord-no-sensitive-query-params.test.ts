/** accord-no-sensitive-query-params: failing and passing fixtures (test/unit/fixtures/lint/accord-no-sensitive-query-params/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-no-sensitive-query-params', [
  {
    name: 'path-level, operation-level and referenced query parameters, name variants included',
    fixture: 'fail-query-params.yaml',
    expected: [
      { severity: 'error', line: 6, pointer: '/paths/~1orders/parameters/0/name', message: 'query parameter "access_token" carries sensitive data (URLs are logged): send it in a header or the body' },
      { severity: 'error', line: 11, pointer: '/paths/~1orders/get/parameters/1/name', message: 'query parameter "apiKey" carries sensitive data (URLs are logged): send it in a header or the body', operation: 'GET /orders' },
      { severity: 'error', line: 17, pointer: '/components/parameters/Email/name', message: 'query parameter "E-Mail" carries sensitive data (URLs are logged): send it in a header or the body' },
    ],
  },
  {
    name: 'sensitive names outside the query and harmless query names pass',
    fixture: 'pass-headers-and-body.yaml',
    expected: [],
  },
]);
