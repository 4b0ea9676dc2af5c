/** accord-operation-id-unique: failing and passing fixtures (test/unit/fixtures/lint/accord-operation-id-unique/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-operation-id-unique', [
  {
    name: 'every reuse of an operationId is reported, naming its first owner',
    fixture: 'fail-duplicate.yaml',
    expected: [
      { severity: 'error', line: 11, pointer: '/paths/~1orders~1{id}/get/operationId', message: 'operationId "getOrders" of GET /orders/{id} is already used by GET /orders', operation: 'GET /orders/{id}' },
      { severity: 'error', line: 17, pointer: '/paths/~1orders~1{id}/delete/operationId', message: 'operationId "getOrders" of DELETE /orders/{id} is already used by GET /orders', operation: 'DELETE /orders/{id}' },
    ],
  },
  {
    name: 'an operation without operationId is reported at the operation',
    fixture: 'fail-missing.yaml',
    expected: [
      { severity: 'error', line: 9, pointer: '/paths/~1orders/post', message: 'POST /orders has no operationId', operation: 'POST /orders' },
    ],
  },
  {
    name: 'distinct operationIds pass',
    fixture: 'pass-unique.yaml',
    expected: [],
  },
]);
