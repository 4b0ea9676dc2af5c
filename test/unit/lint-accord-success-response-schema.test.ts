/** accord-success-response-schema: failing and passing fixtures (test/unit/fixtures/lint/accord-success-response-schema/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-success-response-schema', [
  {
    name: 'a 200 without content',
    fixture: 'fail-no-content.yaml',
    expected: [
      { severity: 'warn', line: 8, pointer: '/paths/~1orders/get/responses/200', message: '200 response declares no content (declare its schema, or answer 204 when there is none)', operation: 'GET /orders' },
    ],
  },
  {
    name: 'a 201 and a 2XX media type without schema',
    fixture: 'fail-no-schema.yaml',
    expected: [
      { severity: 'warn', line: 11, pointer: '/paths/~1orders/post/responses/201/content/application~1json', message: '201 response media type application/json has no schema', operation: 'POST /orders' },
      { severity: 'warn', line: 17, pointer: '/paths/~1orders/post/responses/2XX/content/text~1csv', message: '2XX response media type text/csv has no schema', operation: 'POST /orders' },
    ],
  },
  {
    name: '204, 205, 304 and HEAD need no content; a 200 with a schema passes',
    fixture: 'pass-bodiless-and-schemas.yaml',
    expected: [],
  },
]);
