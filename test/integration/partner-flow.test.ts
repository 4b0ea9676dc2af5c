/**
 * A partner's journey: a real OAuth2 server (oidc-provider) issues a client-credentials JWT; the
 * partner calls the example orders contract through Accord to a real upstream. Hostile tokens are
 * refused at the gateway, and nothing reaches the upstream.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { startOAuthServer, createAttackerKey, startJwksHost, mintHostileTokens, type OAuthServer, type JwksHost, type HostileTokenName } from '../support/oauth-server.js';

const ORDERS_V1 = join(import.meta.dirname, '..', '..', 'contracts', 'orders', '1.0.0.yaml');
const RESOURCE = 'https://api.example/orders';

describe('partner flow through the gateway', () => {
  let idp: OAuthServer;
  let attackerHost: JwksHost;
  let upstream: TestUpstream;
  let gw: TestGateway;

  before(async () => {
    idp = await startOAuthServer();
    attackerHost = await startJwksHost([]);
    upstream = await startUpstream(json(200, { items: [], nextCursor: null }));
    gw = await startTestGateway({
      contracts: { 'orders/1.0.0': ORDERS_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [{ id: 'corp', issuer: idp.issuer, discovery: true, audiences: ['orders-api'], algorithms: ['RS256'], requireTyp: 'at+jwt' }],
        apis: [{ id: 'orders', basePath: '/orders', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['corp'] }, responseValidation: 'off' }],
      },
    });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
    await attackerHost.close();
    await idp.close();
  });

  it('accepts a client-credentials token from the authorization server and names the consumer upstream', async () => {
    const token = await idp.getToken({ clientId: 'orders-app', scope: 'orders:read', resource: RESOURCE });
    const before = upstream.received.length;
    const res = await rawRequest(gw.url, 'GET', '/orders/v1/orders?limit=2', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, res.text);
    assert.equal(upstream.received.length, before + 1);
    assert.equal(upstream.received[before]!.url, '/orders?limit=2');
    assert.equal(upstream.received[before]!.headers['x-consumer-id'], 'corp/orders-app');
  });

  it('enforces the scopes the contract declares per operation', async () => {
    const readOnly = await idp.getToken({ clientId: 'reporting', scope: 'orders:read', resource: RESOURCE });
    const cancel = await rawRequest(gw.url, 'POST', '/orders/v1/orders/ord_123/cancellation', {
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'customer-request' }),
    });
    assert.equal(cancel.status, 403);
    assert.equal(cancel.json?.code, 'AUTH_SCOPE_INSUFFICIENT');
    assert.match(String(cancel.headers['www-authenticate']), /insufficient_scope.*orders:write/);
  });

  it('refuses every hostile token with the right code, before the upstream', async () => {
    const attacker = await createAttackerKey();
    attackerHost.setKeys([attacker.publicJwk]);
    const validToken = await idp.getToken({ clientId: 'orders-app', scope: 'orders:read', resource: RESOURCE });
    const hostile = await mintHostileTokens(idp, { audience: 'orders-api', clientId: 'orders-app', scope: 'orders:read', attacker, attackerHost, validToken });
    const expected: Record<HostileTokenName, string> = {
      expired: 'AUTH_TOKEN_EXPIRED',
      notYetValid: 'AUTH_TOKEN_INVALID',
      wrongIssuer: 'AUTH_TOKEN_INVALID',
      wrongAudience: 'AUTH_TOKEN_INVALID',
      missingExp: 'AUTH_TOKEN_INVALID',
      wrongTyp: 'AUTH_TOKEN_INVALID',
      algNone: 'AUTH_TOKEN_INVALID',
      hs256WithPublicKeyPem: 'AUTH_TOKEN_INVALID',
      unknownKid: 'AUTH_TOKEN_INVALID',
      attackerKeyWithIdpKid: 'AUTH_TOKEN_INVALID',
      es256WithRsaKid: 'AUTH_TOKEN_INVALID',
      tamperedPayload: 'AUTH_TOKEN_INVALID',
      jkuHeader: 'AUTH_TOKEN_INVALID',
      x5uHeader: 'AUTH_TOKEN_INVALID',
      embeddedJwk: 'AUTH_TOKEN_INVALID',
    };
    const before = upstream.received.length;
    const attackerFetchesBefore = attackerHost.requestCount();
    for (const [name, code] of Object.entries(expected)) {
      const res = await rawRequest(gw.url, 'GET', '/orders/v1/orders', { headers: { authorization: `Bearer ${hostile[name as HostileTokenName]}` } });
      assert.equal(res.status, 401, name);
      assert.equal(res.json?.code, code, name);
      assert.match(String(res.headers['www-authenticate']), /^Bearer realm="accord", error="invalid_token"/, name);
    }
    assert.equal(upstream.received.length, before, 'no hostile request reached the upstream');
    assert.equal(attackerHost.requestCount(), attackerFetchesBefore, 'jku/x5u were never fetched');
  });
});
