/** accord-problem-json-errors: failing and passing fixtures (test/unit/fixtures/lint/accord-problem-json-errors/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-problem-json-errors', [
  {
    name: 'a 404 with application/json and a 5XX without content',
    fixture: 'fail-error-responses.yaml',
    expected: [
      { severity: 'warn', line: 14, pointer: '/paths/~1orders~1{id}/get/responses/404', message: '404 response declares application/json, not application/problem+json', operation: 'GET /orders/{id}' },
      { severity: 'warn', line: 18, pointer: '/paths/~1orders~1{id}/get/responses/5XX', message: '5XX response declares no content, not application/problem+json', operation: 'GET /orders/{id}' },
    ],
  },
  {
    name: 'a referenced error response is reported where it is defined',
    fixture: 'fail-shared-response.yaml',
    expected: [
      { severity: 'warn', line: 12, pointer: '/components/responses/Unauthorized', message: '401 response declares text/plain, not application/problem+json' },
    ],
  },
  {
    name: 'problem+json with parameters, beside other types, and through a $ref; default is not an error status',
    fixture: 'pass-problem-json.yaml',
    expected: [],
  },
]);
