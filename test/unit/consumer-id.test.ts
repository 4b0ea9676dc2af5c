/** Consumer ids: provider and claim in one unambiguous, header-safe form. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { qualifiedConsumerId } from '../../src/gateway/policies/jwt-auth/index.js';

describe('qualified consumer id', () => {
  const cases: Array<{ name: string; provider: string; claim: string; id: string }> = [
    { name: 'plain client id', provider: 'corp', claim: 'orders-app', id: 'corp/orders-app' },
    { name: 'unreserved characters stay', provider: 'corp', claim: 'A-z.0_9~', id: 'corp/A-z.0_9~' },
    { name: 'a slash cannot fake the provider part', provider: 'corp', claim: 'partners/acme', id: 'corp/partners%2Facme' },
    { name: 'a percent sign is encoded, so encoded-looking claims stay apart', provider: 'corp', claim: 'a%2Fb', id: 'corp/a%252Fb' },
    { name: 'an address-like claim', provider: 'test', claim: 'ip:127.0.0.1', id: 'test/ip%3A127.0.0.1' },
    { name: 'sub-delimiters encodeURIComponent would keep', provider: 'corp', claim: "!'()*", id: 'corp/%21%27%28%29%2A' },
    { name: 'spaces and line breaks', provider: 'corp', claim: 'a b\r\nX-Admin: 1', id: 'corp/a%20b%0D%0AX-Admin%3A%201' },
    { name: 'non-ASCII as UTF-8 octets', provider: 'corp', claim: 'café', id: 'corp/caf%C3%A9' },
  ];
  for (const c of cases) {
    it(`${c.name}: ${JSON.stringify(c.claim)} at ${c.provider} -> ${c.id}`, () => {
      assert.equal(qualifiedConsumerId(c.provider, c.claim), c.id);
    });
  }

  it('the same claim at two providers gives two ids', () => {
    assert.notEqual(qualifiedConsumerId('corp', 'acme'), qualifiedConsumerId('partners', 'acme'));
  });

  it('decoding the part after the first slash gives the claim back for every case', () => {
    for (const c of cases) {
      const id = qualifiedConsumerId(c.provider, c.claim)!;
      const slash = id.indexOf('/');
      assert.equal(id.slice(0, slash), c.provider);
      assert.equal(decodeURIComponent(id.slice(slash + 1)), c.claim);
      assert.match(id, /^[\x21-\x7e]+$/, 'visible ASCII only');
    }
  });

  it('a claim that is not well-formed Unicode has no id', () => {
    assert.equal(qualifiedConsumerId('corp', 'a\ud800b'), undefined);
  });
});
