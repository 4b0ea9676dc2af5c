/** accord-oauth2-scopes-defined: failing and passing fixtures (test/unit/fixtures/lint/accord-oauth2-scopes-defined/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

describeRule('accord-oauth2-scopes-defined', [
  {
    name: 'a global requirement asks for an undefined scope (the apiKey alternative is not checked)',
    fixture: 'fail-global-scope.yaml',
    expected: [
      { severity: 'error', line: 5, pointer: '/security/1/oauth/0', message: 'scope "admin" is not defined in the flows of OAuth2 scheme "oauth"' },
    ],
  },
  {
    name: 'an operation asks for a scope no flow defines',
    fixture: 'fail-operation-scope.yaml',
    expected: [
      { severity: 'error', line: 8, pointer: '/paths/~1orders/get/security/0/oauth/1', message: 'scope "orders:list" is not defined in the flows of OAuth2 scheme "oauth"', operation: 'GET /orders' },
    ],
  },
  {
    name: 'openIdConnect scopes are not declared in the document, so they are not checked',
    fixture: 'pass-openid-connect.yaml',
    expected: [],
  },
  {
    name: 'scopes defined in any flow of the scheme pass',
    fixture: 'pass-scope-of-any-flow.yaml',
    expected: [],
  },
]);
