/** accord-path-kebab-case: failing and passing fixtures (test/unit/fixtures/lint/accord-path-kebab-case/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-path-kebab-case', [
  {
    name: 'camelCase, snake_case, an upper-case segment and an empty segment',
    fixture: 'fail-segments.yaml',
    expected: [
      { severity: 'warn', line: 4, pointer: '/paths/~1orderItems', message: 'path segment "orderItems" of /orderItems is not kebab-case' },
      { severity: 'warn', line: 9, pointer: '/paths/~1orders~1{orderId}~1line_items', message: 'path segment "line_items" of /orders/{orderId}/line_items is not kebab-case' },
      { severity: 'warn', line: 16, pointer: '/paths/~1orders~1~1Drafts', message: 'path /orders//Drafts has an empty segment' },
      { severity: 'warn', line: 16, pointer: '/paths/~1orders~1~1Drafts', message: 'path segment "Drafts" of /orders//Drafts is not kebab-case' },
    ],
  },
  {
    name: 'kebab-case segments, the root and template segments pass',
    fixture: 'pass-kebab.yaml',
    expected: [],
  },
]);
