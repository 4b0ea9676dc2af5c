/** Reading and stripping credentials (query parameters, cookies, basic credentials) and the key format, as tables of named scenarios. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basicCredentials, cookieValues, queryValues, withoutCookie, withoutQueryParameter } from '../../src/gateway/policies/auth/credentials.js';
import { generateKey, keyIdOf, keyMatches } from '../../src/gateway/policies/auth/api-key-format.js';
import { parseExpiry } from '../../src/gateway/policies/auth/key-expiry.js';

describe('query parameters', () => {
  const cases: Array<{ name: string; query: string; values: string[]; stripped: string }> = [
    { name: 'alone', query: 'api_key=k1', values: ['k1'], stripped: '' },
    { name: 'among others, order kept', query: 'a=1&api_key=k1&b=2', values: ['k1'], stripped: 'a=1&b=2' },
    { name: 'percent-encoded name', query: 'api%5Fkey=k1&a=1', values: ['k1'], stripped: 'a=1' },
    { name: 'percent-encoded value', query: 'api_key=acc%5Fx', values: ['acc_x'], stripped: '' },
    { name: 'repeated: every occurrence', query: 'api_key=k1&api_key=k2', values: ['k1', 'k2'], stripped: '' },
    { name: 'without a value', query: 'api_key&a=1', values: [''], stripped: 'a=1' },
    { name: 'a longer name is another parameter', query: 'api_key2=k1', values: [], stripped: 'api_key2=k1' },
    { name: 'none', query: '', values: [], stripped: '' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(queryValues(c.query, 'api_key'), c.values);
      assert.equal(withoutQueryParameter(c.query, 'api_key'), c.stripped);
    });
  }
});

describe('cookies', () => {
  const cases: Array<{ name: string; header: string | undefined; values: string[]; stripped: string | undefined }> = [
    { name: 'alone', header: 'accord_key=k1', values: ['k1'], stripped: undefined },
    { name: 'among others', header: 'theme=dark; accord_key=k1; lang=en', values: ['k1'], stripped: 'theme=dark; lang=en' },
    { name: 'quoted value', header: 'accord_key="k1"', values: ['k1'], stripped: undefined },
    { name: 'twice', header: 'accord_key=k1; accord_key=k2', values: ['k1', 'k2'], stripped: undefined },
    { name: 'another cookie only', header: 'theme=dark', values: [], stripped: 'theme=dark' },
    { name: 'no header', header: undefined, values: [], stripped: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(cookieValues(c.header, 'accord_key'), c.values);
      if (c.header !== undefined) assert.equal(withoutCookie(c.header, 'accord_key'), c.stripped);
    });
  }
});

describe('basic credentials', () => {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const cases: Array<{ name: string; header: string; expect: { user: string; password: string } | undefined }> = [
    { name: 'user-id and password', header: `Basic ${b64('acme:secret')}`, expect: { user: 'acme', password: 'secret' } },
    { name: 'a colon in the password', header: `Basic ${b64('acme:a:b')}`, expect: { user: 'acme', password: 'a:b' } },
    { name: 'empty password', header: `Basic ${b64('key:')}`, expect: { user: 'key', password: '' } },
    { name: 'no colon', header: `Basic ${b64('acme')}`, expect: undefined },
    { name: 'not base64', header: 'Basic %%%', expect: undefined },
    { name: 'nothing after the scheme', header: 'Basic ', expect: undefined },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(basicCredentials(c.header), c.expect));
});

describe('key format', () => {
  it('generates acc_<16 hex>_<43 base64url> with a salted HMAC that only the key matches', () => {
    const a = generateKey();
    const b = generateKey();
    assert.match(a.key, /^acc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.salt, b.salt);
    assert.equal(keyIdOf(a.key), a.id);
    assert.ok(keyMatches(a.key, a.salt, Buffer.from(a.hash, 'base64url')));
    assert.ok(!keyMatches(b.key, a.salt, Buffer.from(a.hash, 'base64url')));
    assert.ok(!keyMatches(a.key, b.salt, Buffer.from(a.hash, 'base64url')));
  });
  const malformed = ['', 'acc_', `acc_0123456789ABCDEF_${'A'.repeat(43)}`, `acc_0123456789abcdef_${'A'.repeat(42)}`, `acc_0123456789abcdef_${'A'.repeat(42)}=`, `xyz_0123456789abcdef_${'A'.repeat(43)}`];
  for (const text of malformed) it(`refuses the shape of ${JSON.stringify(text)}`, () => assert.equal(keyIdOf(text), undefined));
});

describe('key expiry', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const cases: Array<{ text: string; expect: string }> = [
    { text: '30d', expect: '2027-01-02T12:00:00.000Z' },
    { text: '12h', expect: '2026-12-04T00:00:00.000Z' },
    { text: '90m', expect: '2026-12-03T13:30:00.000Z' },
    { text: '2027-06-01', expect: '2027-06-01T00:00:00.000Z' },
    { text: '2027-06-01T08:00:00Z', expect: '2027-06-01T08:00:00.000Z' },
    { text: '2026-01-01', expect: 'problem: 2026-01-01 is not in the future' },
    { text: '0d', expect: 'problem: "0d" is neither a duration such as 30d, 12h or 90m nor an ISO 8601 date' },
    { text: 'tomorrow', expect: 'problem: "tomorrow" is neither a duration such as 30d, 12h or 90m nor an ISO 8601 date' },
  ];
  for (const c of cases) {
    it(c.text, () => {
      const parsed = parseExpiry(c.text, now);
      assert.equal('date' in parsed ? parsed.date.toISOString() : `problem: ${parsed.problem}`, c.expect);
    });
  }
});
