/** The Idempotency-Key field value: one sf-string (RFC 8941 §3.3.3) of bounded length. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIdempotencyKey } from '../../src/gateway/policies/idempotency/key-syntax.js';

const SCENARIOS: Array<{ name: string; value: string; max?: number; key: string | undefined }> = [
  { name: 'a UUID', value: '"8e03978e-40d5-43e8-bc93-6894a57f9324"', key: '8e03978e-40d5-43e8-bc93-6894a57f9324' },
  { name: 'one character', value: '"k"', key: 'k' },
  { name: 'spaces around the string', value: '  "k1"  ', key: 'k1' },
  { name: 'spaces inside the string', value: '"a b"', key: 'a b' },
  { name: 'escaped quote and backslash', value: '"a\\"b\\\\c"', key: 'a"b\\c' },
  { name: 'exactly the maximum length', value: `"${'x'.repeat(8)}"`, max: 8, key: 'x'.repeat(8) },
  { name: 'escapes count once toward the length', value: `"${'\\"'.repeat(8)}"`, max: 8, key: '"'.repeat(8) },
  { name: 'one over the maximum', value: `"${'x'.repeat(9)}"`, max: 8, key: undefined },
  { name: 'empty string', value: '""', key: undefined },
  { name: 'no quotes (a token)', value: 'abc', key: undefined },
  { name: 'a missing closing quote', value: '"abc', key: undefined },
  { name: 'an unescaped quote inside', value: '"a"b"', key: undefined },
  { name: 'an escape other than \\" or \\\\', value: '"a\\nb"', key: undefined },
  { name: 'an escaped closing quote', value: '"abc\\"', key: undefined },
  { name: 'a non-ASCII character', value: '"café"', key: undefined },
  { name: 'a control character', value: '"a\tb"', key: undefined },
  { name: 'a parameter after the string', value: '"abc";p=1', key: undefined },
  { name: 'two values joined by node:http', value: '"one", "two"', key: undefined },
  { name: 'a byte sequence (sf-binary)', value: ':YWJj:', key: undefined },
];

describe('Idempotency-Key syntax', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: ${s.key === undefined ? 'refused' : `key ${JSON.stringify(s.key)}`}`, () => assert.equal(parseIdempotencyKey(s.value, s.max ?? 255), s.key));
  }

  it('a very long value is refused without reading it all', () => {
    assert.equal(parseIdempotencyKey(`"${'x'.repeat(1_000_000)}"`, 255), undefined);
  });
});
