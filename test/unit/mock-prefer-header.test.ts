/** parsePreferHeader: the Prism-style `Prefer` preferences the mock follows, and the ones it refuses. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePreferHeader, PreferenceError, type MockPreference } from '../../src/mock/prefer-header.js';

describe('parsePreferHeader', () => {
  const accepted: Array<{ name: string; header: string | string[] | undefined; expected: MockPreference }> = [
    { name: 'no header', header: undefined, expected: {} },
    { name: 'status only', header: 'code=404', expected: { code: 404 } },
    { name: 'status and example, comma separated', header: 'code=200, example=cancelled', expected: { code: 200, example: 'cancelled' } },
    { name: 'semicolon separated, odd spacing', header: 'code = 201 ;example=placed', expected: { code: 201, example: 'placed' } },
    { name: 'quoted example with an escaped quote and a comma-free space', header: 'example="the \\"big\\" one"', expected: { example: 'the "big" one' } },
    { name: 'dynamic without a value means true', header: 'dynamic', expected: { dynamic: true } },
    { name: 'dynamic=false', header: 'dynamic=false, code=200', expected: { dynamic: false, code: 200 } },
    { name: 'names are case-insensitive', header: 'Code=409, EXAMPLE=alreadyShipped', expected: { code: 409, example: 'alreadyShipped' } },
    { name: 'unknown preferences are ignored', header: 'return=minimal, respond-async, wait=10', expected: {} },
    { name: 'several Prefer headers are combined', header: ['code=404', 'example=orderNotFound'], expected: { code: 404, example: 'orderNotFound' } },
    { name: 'empty parts are skipped', header: ' , code=500,, ', expected: { code: 500 } },
  ];
  for (const c of accepted) {
    it(`reads ${c.name}`, () => {
      assert.deepEqual(parsePreferHeader(c.header), c.expected);
    });
  }

  const refused: Array<{ name: string; header: string; message: string }> = [
    { name: 'a status out of range', header: 'code=99', message: 'code must be an HTTP status between 100 and 599, got "99"' },
    { name: 'a status that is not a number', header: 'code=ok', message: 'code must be an HTTP status between 100 and 599, got "ok"' },
    { name: 'a 6xx status', header: 'code=600', message: 'code must be an HTTP status between 100 and 599, got "600"' },
    { name: 'an example without a name', header: 'example=', message: 'example needs a name: example=NAME' },
    { name: 'dynamic with another value', header: 'dynamic=yes', message: 'dynamic must be true or false, got "yes"' },
    { name: 'an unterminated quoted value', header: 'example="open', message: 'cannot read the preference "example="open"' },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => parsePreferHeader(c.header), (error: unknown) => error instanceof PreferenceError && error.message === c.message);
    });
  }
});
