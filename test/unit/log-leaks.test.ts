/** The suite's log-leak check itself: it must catch each shape and each registered credential, and pass clean lines. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { leaksOf, rememberSecret, assertNoLeaks } from '../support/log-leaks.js';

const registered = rememberSecret('opaque-session-0f9e8d7c');

describe('log-leak check', () => {
  const table: Array<[string, string, string[]]> = [
    ['a JWT', '{"msg":"got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"}', ['a JWT']],
    ['an Accord key with its secret', `{"key":"acc_0123456789abcdef_${'x'.repeat(43)}"}`, ['an Accord API key with its secret']],
    ['Basic credentials', '{"h":"Basic YWNtZTpzM2NyM3Q="}', ['Basic credentials']],
    ['a credential a test registered', `{"cookie":"${registered}"}`, ['a credential the test used (opaque…)']],
    ['a masked line', '{"msg":"Bearer [redacted] acc_0123456789abcdef_[redacted]","authorization":"[redacted]"}', []],
    ['a Basic challenge', '{"wwwAuthenticate":"Basic realm=\\"accord\\""}', []],
  ];
  for (const [name, line, expected] of table) it(name, () => assert.deepEqual(leaksOf(line), expected));

  it('names the leaking lines', () => {
    assert.throws(() => assertNoLeaks(['{"ok":1}', `{"c":"${registered}"}`], 'a gateway'), /a gateway logged credentials:\na credential the test used/);
  });
});
