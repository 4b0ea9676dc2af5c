/** accord-request-body-schema: failing and passing fixtures (test/unit/fixtures/lint/accord-request-body-schema/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-request-body-schema', [
  {
    name: 'a media type without schema beside one with',
    fixture: 'fail-missing-schema.yaml',
    expected: [
      { severity: 'error', line: 12, pointer: '/paths/~1orders/post/requestBody/content/application~1x-www-form-urlencoded', message: 'request body media type application/x-www-form-urlencoded has no schema', operation: 'POST /orders' },
    ],
  },
  {
    name: 'a request body with empty content',
    fixture: 'fail-no-content.yaml',
    expected: [
      { severity: 'error', line: 7, pointer: '/paths/~1orders/put/requestBody', message: 'request body declares no content (media type with a schema)', operation: 'PUT /orders' },
    ],
  },
  {
    name: 'inline and referenced bodies with schemas pass',
    fixture: 'pass-schemas.yaml',
    expected: [],
  },
]);
