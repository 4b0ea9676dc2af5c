import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { forwardedHops, xffHop } from '../../src/gateway/edge/forwarding-hops.js';

const U = { address: 'unknown', family: 0 };
const v4 = (address: string) => ({ address, family: 4 });
const v6 = (address: string) => ({ address, family: 6 });
const obf = (address: string) => ({ address, family: 0 });

describe('RFC 7239 Forwarded: one hop per element', () => {
  const cases: Array<[string, string, unknown[]]> = [
    ['IPv4', 'for=192.0.2.60', [v4('192.0.2.60')]],
    ['parameter name in any case', 'For=192.0.2.60', [v4('192.0.2.60')]],
    ['with other parameters', 'for=192.0.2.60;proto=http;by=203.0.113.43', [v4('192.0.2.60')]],
    ['for= after other parameters', 'proto=https; for=192.0.2.60', [v4('192.0.2.60')]],
    ['several elements', 'for=192.0.2.43, for=198.51.100.17', [v4('192.0.2.43'), v4('198.51.100.17')]],
    ['quoted IPv6 with port', 'For="[2001:db8:cafe::17]:4711"', [v6('2001:db8:cafe::17')]],
    ['quoted IPv6 without port', 'for="[2001:db8::1]"', [v6('2001:db8::1')]],
    ['quoted IPv4 with port', 'for="192.0.2.43:47011"', [v4('192.0.2.43')]],
    ['IPv4-mapped IPv6 is IPv4', 'for="[::ffff:10.0.0.1]"', [v4('10.0.0.1')]],
    ['unquoted bracketed IPv6 (lenient)', 'for=[2001:db8::1]:80', [v6('2001:db8::1')]],
    ['quoted-pair inside quotes', 'for="\\[2001:db8::1\\]"', [v6('2001:db8::1')]],
    ['obfuscated node', 'for="_gazonk"', [obf('_gazonk')]],
    ['obfuscated node with obfuscated port', 'for="_hidden:_port1"', [obf('_hidden')]],
    ['unknown', 'for=unknown', [U]],
    ['unknown with port', 'for="unknown:4711"', [U]],
    ['element without for=', 'by=203.0.113.43;proto=https, for=192.0.2.1', [U, v4('192.0.2.1')]],
    ['empty elements carry no hop', ', for=192.0.2.1,,', [v4('192.0.2.1')]],
    ['IPv6 without brackets', 'for="2001:db8::1"', [U]],
    ['IPv4 in brackets', 'for="[192.0.2.1]"', [U]],
    ['port out of form', 'for="192.0.2.1:http"', [U]],
    ['a host name', 'for=example.com', [U]],
    ['garbage value is one unknown hop', 'for=192.0.2.1, for=not-an-ip', [v4('192.0.2.1'), U]],
    ['for= twice in one element', 'for=192.0.2.1;for=192.0.2.2, for=198.51.100.1', [U]],
    ['unterminated quote swallows the rest', 'for="192.0.2.1, for=198.51.100.1', [U]],
    ['syntax error ends the reading', 'for=192.0.2.1, for 198.51.100.1, for=203.0.113.5', [v4('192.0.2.1'), U]],
    ['stray text after a value', 'for=192.0.2.1 x, for=203.0.113.5', [U]],
    ['client garbage before a proxy element', 'for="x, for=198.51.100.1', [U]],
    ['empty value', 'for=, for=198.51.100.1', [U]],
  ];
  for (const [name, value, hops] of cases) it(name, () => assert.deepEqual(forwardedHops(value), hops));
});

describe('X-Forwarded-For elements', () => {
  const cases: Array<[string, string, unknown]> = [
    ['IPv4', '192.0.2.1', v4('192.0.2.1')],
    ['IPv6', '2001:db8::1', v6('2001:db8::1')],
    ['IPv4-mapped', '::ffff:192.0.2.1', v4('192.0.2.1')],
    ['IPv4 with port', '192.0.2.1:8080', v4('192.0.2.1')],
    ['bracketed IPv6', '[2001:db8::1]', v6('2001:db8::1')],
    ['bracketed IPv6 with port', '[2001:db8::1]:443', v6('2001:db8::1')],
    ['garbage', 'not-an-ip', U],
    ['unknown', 'unknown', U],
    ['obfuscated ids are not X-Forwarded-For syntax', '_hidden', U],
    ['bad port', '192.0.2.1:x', U],
  ];
  for (const [name, text, hop] of cases) it(name, () => assert.deepEqual(xffHop(text), hop));
});
