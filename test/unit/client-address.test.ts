import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrustedProxies, type ClientAddressHeader } from '../../src/gateway/edge/client-address.js';

const TRUSTED = ['10.0.0.0/8', '192.168.1.5', 'fd00::/8'];

describe('client address: hop selection', () => {
  const cases: Array<{
    name: string;
    header?: ClientAddressHeader;
    trusted?: string[];
    peer: string;
    xff?: string;
    forwarded?: string;
    ip: string;
    family: 0 | 4 | 6;
    forwardedFor: string;
  }> = [
    { name: 'no trusted proxies: the peer, whatever it sends', trusted: [], peer: '203.0.113.7', xff: '198.51.100.1', forwarded: 'for=198.51.100.1', ip: '203.0.113.7', family: 4, forwardedFor: '203.0.113.7' },
    { name: 'untrusted peer spoofing X-Forwarded-For', peer: '203.0.113.7', xff: '198.51.100.1', ip: '203.0.113.7', family: 4, forwardedFor: '203.0.113.7' },
    { name: 'untrusted peer spoofing Forwarded (forwarded mode)', header: 'forwarded', peer: '203.0.113.7', forwarded: 'for=198.51.100.1', ip: '203.0.113.7', family: 4, forwardedFor: '203.0.113.7' },
    { name: 'untrusted peer spoofing both', peer: '203.0.113.7', xff: '198.51.100.1', forwarded: 'for=198.51.100.2', ip: '203.0.113.7', family: 4, forwardedFor: '203.0.113.7' },
    { name: 'trusted peer without a header', peer: '10.0.0.1', ip: '10.0.0.1', family: 4, forwardedFor: '10.0.0.1' },
    { name: 'trusted peer, one hop', peer: '10.0.0.1', xff: '198.51.100.1', ip: '198.51.100.1', family: 4, forwardedFor: '198.51.100.1, 10.0.0.1' },
    {
      name: 'chain: right-most untrusted hop, the spoofed part left of it dropped upstream',
      peer: '10.1.2.3', xff: '198.51.100.1, 203.0.113.9, 192.168.1.5', ip: '203.0.113.9', family: 4, forwardedFor: '203.0.113.9, 192.168.1.5, 10.1.2.3',
    },
    { name: 'every hop trusted: the farthest', peer: '10.0.0.1', xff: '10.0.0.2, 192.168.1.5', ip: '10.0.0.2', family: 4, forwardedFor: '10.0.0.2, 192.168.1.5, 10.0.0.1' },
    { name: 'IPv4-mapped peer and hops are IPv4', peer: '::ffff:10.0.0.1', xff: '::ffff:198.51.100.1, ::ffff:10.0.0.9', ip: '198.51.100.1', family: 4, forwardedFor: '198.51.100.1, 10.0.0.9, 10.0.0.1' },
    { name: 'IPv6 proxy and client', peer: 'fd00::1', xff: '2001:db8::5', ip: '2001:db8::5', family: 6, forwardedFor: '2001:db8::5, fd00::1' },
    { name: 'empty elements are skipped', peer: '10.0.0.1', xff: '198.51.100.1, , 10.0.0.2,', ip: '198.51.100.1', family: 4, forwardedFor: '198.51.100.1, 10.0.0.2, 10.0.0.1' },
    { name: 'client garbage left of its real hop changes nothing', peer: '10.0.0.1', xff: 'not-an-ip, 198.51.100.1', ip: '198.51.100.1', family: 4, forwardedFor: '198.51.100.1, 10.0.0.1' },
    {
      name: 'an unreadable hop stops the walk: the address left of it cannot be promoted',
      peer: '10.0.0.1', xff: '198.51.100.1, garbage, 10.0.0.2', ip: 'unknown', family: 0, forwardedFor: '10.0.0.2, 10.0.0.1',
    },
    { name: 'ports in X-Forwarded-For are read', peer: '10.0.0.1', xff: '198.51.100.1:5000, [2001:db8::9]:443', ip: '2001:db8::9', family: 6, forwardedFor: '2001:db8::9, 10.0.0.1' },
    { name: 'forwarded mode ignores X-Forwarded-For', header: 'forwarded', peer: '10.0.0.1', xff: '198.51.100.1', ip: '10.0.0.1', family: 4, forwardedFor: '10.0.0.1' },
    { name: 'x-forwarded-for mode ignores Forwarded', peer: '10.0.0.1', forwarded: 'for=198.51.100.1', ip: '10.0.0.1', family: 4, forwardedFor: '10.0.0.1' },
    {
      name: 'Forwarded chain with quoted IPv6 and ports',
      header: 'forwarded', peer: '10.0.0.1', forwarded: 'for=198.51.100.1, for="[2001:db8::7]:4711";proto=https, for="10.0.0.3:80"', ip: '2001:db8::7', family: 6, forwardedFor: '2001:db8::7, 10.0.0.3, 10.0.0.1',
    },
    { name: 'Forwarded obfuscated client', header: 'forwarded', peer: '10.0.0.1', forwarded: 'for=198.51.100.1, for=_hidden', ip: '_hidden', family: 0, forwardedFor: '10.0.0.1' },
    { name: 'Forwarded unknown client', header: 'forwarded', peer: '10.0.0.1', forwarded: 'for=198.51.100.1, for=unknown, for=10.0.0.2', ip: 'unknown', family: 0, forwardedFor: '10.0.0.2, 10.0.0.1' },
    {
      name: 'Forwarded: a client quote cannot bring its own address to the right',
      header: 'forwarded', peer: '10.0.0.1', forwarded: 'for="198.51.100.1, for=203.0.113.9', ip: 'unknown', family: 0, forwardedFor: '10.0.0.1',
    },
    { name: 'Forwarded repeated fields read as one list', header: 'forwarded', peer: '10.0.0.1', forwarded: 'for=198.51.100.1, for=10.0.0.2', ip: '198.51.100.1', family: 4, forwardedFor: '198.51.100.1, 10.0.0.2, 10.0.0.1' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const proxies = new TrustedProxies(c.trusted ?? TRUSTED, c.header ?? 'x-forwarded-for');
      const headers: Record<string, string> = {};
      if (c.xff !== undefined) headers['x-forwarded-for'] = c.xff;
      if (c.forwarded !== undefined) headers.forwarded = c.forwarded;
      assert.deepEqual(proxies.resolve(c.peer, headers), { ip: c.ip, family: c.family, forwardedFor: c.forwardedFor });
    });
  }

  it('a peer without an address is unknown', () => {
    assert.deepEqual(new TrustedProxies(TRUSTED).resolve('', {}), { ip: 'unknown', family: 0, forwardedFor: 'unknown' });
  });

  it('misconfiguration fails at startup', () => {
    assert.throws(() => new TrustedProxies(['not-an-address']), /not an IPv4 or IPv6 address/);
  });
});
