import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddressSet, parseCidr, parseIp } from '../../src/gateway/edge/ip-address.js';
import { AddressRules } from '../../src/gateway/policies/ip-rules/address-rules.js';

describe('IP addresses: IPv4-mapped IPv6 is IPv4', () => {
  const cases: Array<[string, string, { address: string; family: 4 | 6 } | undefined]> = [
    ['IPv4', '10.0.0.1', { address: '10.0.0.1', family: 4 }],
    ['IPv6', '2001:db8::1', { address: '2001:db8::1', family: 6 }],
    ['mapped, dotted (Node dual-stack peers)', '::ffff:10.0.0.1', { address: '10.0.0.1', family: 4 }],
    ['mapped, upper case', '::FFFF:10.0.0.1', { address: '10.0.0.1', family: 4 }],
    ['mapped, hex words', '::ffff:a00:1', { address: '10.0.0.1', family: 4 }],
    ['mapped, written out', '0:0:0:0:0:ffff:c000:0201', { address: '192.0.2.1', family: 4 }],
    ['not mapped: ffff elsewhere', 'ffff::1', { address: 'ffff::1', family: 6 }],
    ['IPv4-compatible (deprecated) stays IPv6', '::10.0.0.1', { address: '::10.0.0.1', family: 6 }],
    ['zone refused', 'fe80::1%eth0', undefined],
    ['leading zero refused', '010.0.0.1', undefined],
    ['with a port refused', '10.0.0.1:80', undefined],
    ['empty', '', undefined],
  ];
  for (const [name, text, expected] of cases) it(name, () => assert.deepEqual(parseIp(text), expected));
});

describe('CIDR ranges checked at load', () => {
  const valid: Array<[string, string, { network: string; prefix: number; family: 4 | 6 }]> = [
    ['single IPv4', '192.0.2.7', { network: '192.0.2.7', prefix: 32, family: 4 }],
    ['IPv4 /0', '0.0.0.0/0', { network: '0.0.0.0', prefix: 0, family: 4 }],
    ['IPv4 /32', '192.0.2.7/32', { network: '192.0.2.7', prefix: 32, family: 4 }],
    ['IPv4 /8', '10.0.0.0/8', { network: '10.0.0.0', prefix: 8, family: 4 }],
    ['single IPv6', '2001:db8::1', { network: '2001:db8::1', prefix: 128, family: 6 }],
    ['IPv6 /0', '::/0', { network: '::', prefix: 0, family: 6 }],
    ['IPv6 /128', '2001:DB8:0:0:0:0:0:1/128', { network: '2001:db8::1', prefix: 128, family: 6 }],
    ['IPv6 /32', '2001:db8::/32', { network: '2001:db8::', prefix: 32, family: 6 }],
    ['mapped range is the IPv4 range', '::ffff:10.0.0.0/104', { network: '10.0.0.0', prefix: 8, family: 4 }],
    ['mapped /96 is every IPv4 address', '::ffff:0:0/96', { network: '0.0.0.0', prefix: 0, family: 4 }],
    ['mapped single address', '::ffff:192.0.2.7', { network: '192.0.2.7', prefix: 32, family: 4 }],
  ];
  for (const [name, text, expected] of valid) it(`accepts ${name}`, () => assert.deepEqual(parseCidr(text), expected));

  const invalid: Array<[string, string, string]> = [
    ['not an address', 'example.com', '"example.com" is not an IPv4 or IPv6 address or CIDR'],
    ['IPv4 octet too large', '10.0.0.256/8', '"10.0.0.256/8" is not an IPv4 or IPv6 address or CIDR'],
    ['IPv4 prefix too long', '10.0.0.0/33', '"10.0.0.0/33": the prefix /33 is longer than an IPv4 address (/32)'],
    ['IPv6 prefix too long', '2001:db8::/129', '"2001:db8::/129": the prefix /129 is longer than an IPv6 address (/128)'],
    ['prefix not a number', '10.0.0.0/x', '"10.0.0.0/x": the prefix length must be a number'],
    ['negative prefix', '10.0.0.0/-1', '"10.0.0.0/-1": the prefix length must be a number'],
    ['IPv4 host bits', '192.168.1.10/24', '"192.168.1.10/24" has host bits set after its /24 prefix: write the network 192.168.1.0/24, or the single address without a prefix'],
    ['IPv6 host bits', '2001:db8::1/32', '"2001:db8::1/32" has host bits set after its /32 prefix: write the network 2001:db8::/32, or the single address without a prefix'],
    ['host bits at /0', '10.0.0.0/0', '"10.0.0.0/0" has host bits set after its /0 prefix: write the network 0.0.0.0/0, or the single address without a prefix'],
    ['mapped range shorter than /96', '::ffff:0:0/95', '"::ffff:0:0/95" has host bits set after its /95 prefix: write the network ::fffe:0:0/95, or the single address without a prefix'],
    ['zone', 'fe80::1%eth0', '"fe80::1%eth0" is not an IPv4 or IPv6 address or CIDR'],
  ];
  for (const [name, text, message] of invalid) it(`refuses ${name}`, () => assert.equal(parseCidr(text), message));
});

describe('matching addresses against ranges', () => {
  const set = AddressSet.from(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1/128']);
  const cases: Array<[string, string, 4 | 6, boolean]> = [
    ['inside an IPv4 range', '10.255.255.255', 4, true],
    ['just outside an IPv4 range', '11.0.0.0', 4, false],
    ['the single IPv4 address', '192.0.2.7', 4, true],
    ['its neighbour', '192.0.2.8', 4, false],
    ['inside an IPv6 range', '2001:db8:ffff::1', 6, true],
    ['outside an IPv6 range', '2001:db9::1', 6, false],
    ['IPv6 /128', '::1', 6, true],
    ['IPv6 network address itself', '2001:db8::', 6, true],
    ['IPv6 last address of the range', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 6, true],
    ['IPv6 written out with upper case', '2001:0DB8:0000:0000:0000:0000:0000:0001', 6, true],
    ['IPv6 with an embedded IPv4 tail', '2001:db8::192.0.2.1', 6, true],
    ['IPv6 unspecified address', '::', 6, false],
    ['IPv6 with a trailing gap', '2001:db8:1:2:3:4:5::', 6, true],
    ['IPv6 with a leading gap', '::2001:db8:1:2:3:4:5', 6, false],
    ['IPv6 with six words and an IPv4 tail', '2001:db8:0:0:0:0:1.2.3.4', 6, true],
    ['IPv4 network address itself', '10.0.0.0', 4, true],
    ['IPv4 last address', '255.255.255.255', 4, false],
  ];
  for (const [name, address, family, expected] of cases) it(name, () => assert.equal(set.has(address, family), expected));

  it('nested and overlapping ranges merge', () => {
    const merged = AddressSet.from(['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/9', '11.0.0.0/8', '2001:db8::/32', '2001:db8:1::/48']);
    assert.equal(merged.has('11.255.255.255', 4), true);
    assert.equal(merged.has('12.0.0.0', 4), false);
    assert.equal(merged.has('9.255.255.255', 4), false);
    assert.equal(merged.has('2001:db8:1::5', 6), true);
  });

  it('/0 of a family holds every address of that family and none of the other', () => {
    const v6all = AddressSet.from(['::/0']);
    assert.equal(v6all.has('2001:db8::1', 6), true);
    assert.equal(v6all.has('10.0.0.1', 4), false);
    const v4all = AddressSet.from(['0.0.0.0/0']);
    assert.equal(v4all.has('10.0.0.1', 4), true);
    assert.equal(v4all.has('::1', 6), false);
  });

  it('a mapped rule matches the IPv4 client, and a mapped client the IPv4 rule', () => {
    const rules = new AddressRules({ allow: ['::ffff:10.0.0.0/104'], deny: [] });
    const client = parseIp('::ffff:10.1.2.3')!;
    assert.equal(rules.admits(client.address, client.family), true);
    assert.equal(new AddressRules({ allow: ['10.0.0.0/8'], deny: [] }).admits(client.address, client.family), true);
  });
});

describe('allow and deny lists', () => {
  const cases: Array<[string, { allow: string[]; deny: string[] }, string, 0 | 4 | 6, boolean]> = [
    ['empty allow admits what is not denied', { allow: [], deny: ['192.0.2.0/24'] }, '198.51.100.1', 4, true],
    ['denied', { allow: [], deny: ['192.0.2.0/24'] }, '192.0.2.9', 4, false],
    ['allowed', { allow: ['10.0.0.0/8'], deny: [] }, '10.1.1.1', 4, true],
    ['not on the allow list', { allow: ['10.0.0.0/8'], deny: [] }, '11.1.1.1', 4, false],
    ['deny wins over allow', { allow: ['10.0.0.0/8'], deny: ['10.9.0.0/16'] }, '10.9.1.1', 4, false],
    ['IPv6 allowed', { allow: ['2001:db8::/32'], deny: [] }, '2001:db8::5', 6, true],
    ['unknown address never allowed', { allow: ['0.0.0.0/0', '::/0'], deny: [] }, 'unknown', 0, false],
    ['obfuscated address refused by a deny-only list', { allow: [], deny: ['192.0.2.0/24'] }, '_hidden', 0, false],
  ];
  for (const [name, config, address, family, expected] of cases) {
    it(name, () => assert.equal(new AddressRules(config).admits(address, family), expected));
  }
  it('rules that refuse nobody compile to nothing', () => {
    assert.equal(AddressRules.compile(undefined), undefined);
    assert.equal(AddressRules.compile({ allow: [], deny: [] }), undefined);
  });
  it('an invalid entry is misuse at construction', () => {
    assert.throws(() => new AddressRules({ allow: ['10.0.0.1/8'], deny: [] }), TypeError);
  });
});

describe('the interval matcher agrees with node:net BlockList on the same family', () => {
  // A fixed seed: the same addresses on every run.
  let seed = 0x5eed;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const byte = (): number => Math.floor(random() * 256);
  // Few distinct leading bytes, so that addresses fall inside and next to the ranges.
  const v4 = (): string => [10 + Math.floor(random() * 2), byte(), byte(), byte()].join('.');
  const v6 = (): string => ['2001', 'db8', ...Array.from({ length: 6 }, () => (random() < 0.5 ? '0' : Math.floor(random() * 65536).toString(16)))].join(':');
  const network = (address: string, prefix: number): string => {
    // Clear the host bits through the error message's suggested network, or keep it when none are set.
    const parsed = parseCidr(`${address}/${prefix}`);
    if (typeof parsed !== 'string') return `${parsed.network}/${prefix}`;
    return /write the network (\S+),/.exec(parsed)![1]!;
  };

  it('2,000 IPv4 and 2,000 IPv6 lookups against 40 random ranges each', async () => {
    const { BlockList } = await import('node:net');
    const v4Ranges = Array.from({ length: 40 }, () => network(v4(), 8 + Math.floor(random() * 25)));
    const v6Ranges = Array.from({ length: 40 }, () => network(v6(), 40 + Math.floor(random() * 89)));
    const mine = AddressSet.from([...v4Ranges, ...v6Ranges]);
    const reference4 = new BlockList();
    for (const r of v4Ranges) reference4.addSubnet(r.split('/')[0]!, Number(r.split('/')[1]), 'ipv4');
    const reference6 = new BlockList();
    for (const r of v6Ranges) reference6.addSubnet(r.split('/')[0]!, Number(r.split('/')[1]), 'ipv6');
    let hits4 = 0;
    let hits6 = 0;
    for (let i = 0; i < 2000; i++) {
      const a4 = v4();
      assert.equal(mine.has(a4, 4), reference4.check(a4, 'ipv4'), `${a4} against ${v4Ranges.join(' ')}`);
      const a6 = v6();
      const expected6 = reference6.check(a6, 'ipv6');
      assert.equal(mine.has(parseIp(a6)!.address, 6), expected6, `${a6} against ${v6Ranges.join(' ')}`);
      if (expected6) hits6++;
      if (mine.has(a4, 4)) hits4++;
    }
    // The comparison means something only if both answers occur in both families.
    assert.ok(hits4 > 50 && hits4 < 1950, `IPv4 hits: ${hits4}`);
    assert.ok(hits6 > 50 && hits6 < 1950, `IPv6 hits: ${hits6}`);
  });
});
