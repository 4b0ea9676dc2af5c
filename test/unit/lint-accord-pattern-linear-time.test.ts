/** accord-pattern-linear-time: failing and passing fixtures (test/unit/fixtures/lint/accord-pattern-linear-time/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-pattern-linear-time', [
  {
    name: 'a lookahead, a backreference and a lookbehind in a patternProperties name',
    fixture: 'fail-lookaround-backreference.yaml',
    expected: [
      {
        severity: 'error',
        line: 13,
        pointer: '/paths/~1accounts/post/requestBody/content/application~1json/schema/properties/password/pattern',
        message: 'pattern "^(?=.*\\d).{8,}$" uses a lookahead, which the gateway\'s linear-time engine (RE2) cannot evaluate: the contract is refused at load',
        operation: 'POST /accounts',
      },
      {
        severity: 'error',
        line: 14,
        pointer: '/paths/~1accounts/post/requestBody/content/application~1json/schema/properties/code/pattern',
        message: 'pattern "^(\\w)\\1$" uses a backreference, which the gateway\'s linear-time engine (RE2) cannot evaluate: the contract is refused at load',
        operation: 'POST /accounts',
      },
      {
        severity: 'error',
        line: 16,
        pointer: '/paths/~1accounts/post/requestBody/content/application~1json/schema/patternProperties/^(?<!x)y$',
        message: 'pattern "^(?<!x)y$" uses a lookbehind, which the gateway\'s linear-time engine (RE2) cannot evaluate: the contract is refused at load',
        operation: 'POST /accounts',
      },
    ],
  },
  {
    name: 'look-alikes inside a class, an escaped backslash, a non-capturing group and an example pass',
    fixture: 'pass-linear-patterns.yaml',
    expected: [],
  },
]);
