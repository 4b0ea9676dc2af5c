import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TrustedProxies } from '../../src/gateway/edge/client-address.js';

describe('client address behind trusted proxies', () => {
  const none = new TrustedProxies([]);
  const proxies = new TrustedProxies(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);

  it('without trusted proxies the peer is the client and a sent X-Forwarded-For is dropped', () => {
    assert.equal(none.clientAddress('203.0.113.7', '198.51.100.1'), '203.0.113.7');
    assert.equal(none.forwardedFor('203.0.113.7', '198.51.100.1'), '203.0.113.7');
  });

  it('an untrusted peer cannot speak for the client', () => {
    assert.equal(proxies.clientAddress('203.0.113.7', '198.51.100.1'), '203.0.113.7');
    assert.equal(proxies.forwardedFor('203.0.113.7', '198.51.100.1'), '203.0.113.7');
  });

  it('behind a trusted proxy the nearest untrusted hop is the client and the hops are kept', () => {
    assert.equal(proxies.clientAddress('10.1.2.3', '198.51.100.1, 203.0.113.9, 192.168.1.5'), '203.0.113.9');
    assert.equal(proxies.forwardedFor('10.1.2.3', '198.51.100.1, 203.0.113.9, 192.168.1.5'), '198.51.100.1, 203.0.113.9, 192.168.1.5, 10.1.2.3');
  });

  it('IPv4-mapped peers, repeated headers and malformed hops', () => {
    assert.equal(proxies.clientAddress('::ffff:10.0.0.1', ['198.51.100.1', 'not-an-ip, 10.0.0.9']), '198.51.100.1');
    assert.equal(proxies.forwardedFor('::ffff:10.0.0.1', ['198.51.100.1', 'not-an-ip, 10.0.0.9']), '198.51.100.1, 10.0.0.9, 10.0.0.1');
    assert.equal(proxies.clientAddress('fd00::1', '2001:db8::5'), '2001:db8::5');
  });

  it('when every hop is trusted the farthest one is the client', () => {
    assert.equal(proxies.clientAddress('10.0.0.1', '10.0.0.2, 192.168.1.5'), '10.0.0.2');
  });

  it('misconfiguration fails at startup', () => {
    assert.throws(() => new TrustedProxies(['not-an-address']), /not an IP address/);
  });
});
