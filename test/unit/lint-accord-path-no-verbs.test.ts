/** accord-path-no-verbs: failing and passing fixtures (test/unit/fixtures/lint/accord-path-no-verbs/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-path-no-verbs', [
  {
    name: 'a verb segment, a verb-led kebab segment and a camelCase verb',
    fixture: 'fail-verbs.yaml',
    expected: [
      { severity: 'warn', line: 4, pointer: '/paths/~1orders~1create', message: 'path segment "create" of /orders/create starts with the verb "create" (let the HTTP method say what happens)' },
      { severity: 'warn', line: 9, pointer: '/paths/~1get-orders', message: 'path segment "get-orders" of /get-orders starts with the verb "get" (let the HTTP method say what happens)' },
      { severity: 'warn', line: 14, pointer: '/paths/~1users~1{id}~1deleteUser', message: 'path segment "deleteUser" of /users/{id}/deleteUser starts with the verb "delete" (let the HTTP method say what happens)' },
    ],
  },
  {
    name: 'nouns that begin like verbs and a parameter named list pass',
    fixture: 'pass-nouns.yaml',
    expected: [],
  },
]);
