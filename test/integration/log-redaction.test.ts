/**
 * No credential reaches a log line, at the most verbose level: every sensitive class (Bearer and
 * Basic Authorization, Proxy-Authorization, cookies, API keys in a header, the query and a cookie,
 * OAuth tokens and secrets in the query, JWTs in the path and the body) sent where it can appear
 * (accepted, refused, a 4xx that echoes the request, an upstream error, an upstream that echoes
 * them back), with the level raised to trace through the admin API.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, echo, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { fileKeyStore } from '../../src/gateway/policies/auth/stores/file-store.js';
import { assertNoLeaks, rememberSecret } from '../support/log-leaks.js';

const KEYS_FIXTURE = join(import.meta.dirname, 'fixtures', 'gateway', 'partner-keys-1.0.0.yaml');
const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

describe('log redaction at trace level', () => {
  let issuer: TestIssuer;
  let stranger: TestIssuer;
  let partnerUp: TestUpstream;
  let shopUp: TestUpstream;
  let gw: TestGateway;
  let key: string;
  const secrets: Record<string, string> = {};
  let requests = 0;

  const send = async (method: string, path: string, headers: Record<string, string>, body?: string): Promise<number> => {
    requests++;
    return (await rawRequest(gw.url, method, path, { headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body })).status;
  };

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    stranger = await createTestIssuer('https://stranger.test', 'shop-api');
    partnerUp = await startUpstream(echo);
    shopUp = await startUpstream(echo);
    gw = await startTestGateway({
      contracts: { 'partner/1.0.0': KEYS_FIXTURE, 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider('test')],
        admin: { auth: { providers: ['test'] } },
        consumers: [{ id: 'acme', identities: [{ provider: 'test', claim: 'acme-app' }], entitlements: [{ api: 'partner' }, { api: 'shop' }] }],
        apis: [
          { id: 'partner', basePath: '/partner', versions: [{ version: '1.0.0' }], upstream: { url: partnerUp.url }, auth: { providers: ['test'] }, responseValidation: 'report', undeclaredParameters: 'refuse' },
          { id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: shopUp.url }], upstream: { timeoutMs: 2000 }, auth: { providers: ['test'] }, responseValidation: 'report' },
        ],
      },
    });
    const store = fileKeyStore({ path: join(gw.dir, '.accord', 'api-keys.json') });
    key = rememberSecret((await store.create({ consumer: 'acme' })).key);
    await store.close();
    secrets.key = key;
    secrets.jwt = await issuer.token({ client_id: 'acme-app', scope: 'items:read items:write' });
    secrets.strangerJwt = rememberSecret(await stranger.token({ client_id: 'acme-app' }));
    secrets.expiredJwt = await issuer.token({ client_id: 'acme-app' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    secrets.basic = rememberSecret(Buffer.from(`acme:${key}`).toString('base64'));
    secrets.wrongBasic = rememberSecret(Buffer.from('acme:not-the-password-1234').toString('base64'));
    secrets.proxyBasic = rememberSecret(Buffer.from('proxy-user:proxy-pass-5678').toString('base64'));
    secrets.sessionCookie = rememberSecret('sess-7c1e9b2f40a8d3e6');
    secrets.unknownKey = rememberSecret(`acc_ffffffffffffffff_${'Q'.repeat(43)}`);
    secrets.clientSecret = rememberSecret('client-secret-9f8e7d6c');
    secrets.refreshToken = rememberSecret('refresh-token-0a1b2c3d');
    secrets.password = rememberSecret('hunter2-password-xyz');
    // The key is followed from the file: wait until the gateway knows it.
    for (let i = 0; i < 100 && (await send('GET', '/partner/v1/by-header', { 'x-api-key': key })) !== 200; i++) await new Promise((r) => setTimeout(r, 50));
    const admin = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
    const res = await fetch(`${gw.adminUrl}/admin/log-level`, { method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ level: 'trace' }) });
    assert.equal(res.status, 200);
  });
  after(async () => {
    await gw.stop();
    await partnerUp.close();
    await shopUp.close();
  });

  const scenarios: Array<{ name: string; run: () => Promise<number>; status: number }> = [
    { name: 'a valid Bearer token (the upstream echoes it back: a response the contract refuses)', run: () => send('GET', '/shop/v1/items', { authorization: `Bearer ${secrets.jwt}` }), status: 200 },
    { name: 'a Bearer token of an unknown issuer', run: () => send('GET', '/shop/v1/items', { authorization: `Bearer ${secrets.strangerJwt}` }), status: 401 },
    { name: 'an expired Bearer token', run: () => send('GET', '/shop/v1/items', { authorization: `Bearer ${secrets.expiredJwt}` }), status: 401 },
    { name: 'a malformed Bearer token that looks like a JWT', run: () => send('GET', '/shop/v1/items', { authorization: `Bearer ${secrets.jwt.slice(0, -5)}AAAAA` }), status: 401 },
    { name: 'valid Basic credentials', run: () => send('GET', '/partner/v1/by-basic', { authorization: `Basic ${secrets.basic}` }), status: 200 },
    { name: 'wrong Basic credentials', run: () => send('GET', '/partner/v1/by-basic', { authorization: `Basic ${secrets.wrongBasic}` }), status: 401 },
    { name: 'Proxy-Authorization on a public route', run: () => send('GET', '/partner/v1/public', { 'proxy-authorization': `Basic ${secrets.proxyBasic}` }), status: 200 },
    { name: 'an API key in its header', run: () => send('GET', '/partner/v1/by-header', { 'x-api-key': key }), status: 200 },
    { name: 'an unknown API key in the header', run: () => send('GET', '/partner/v1/by-header', { 'x-api-key': secrets.unknownKey }), status: 401 },
    { name: 'an API key in the query', run: () => send('GET', `/partner/v1/by-query?api_key=${key}&limit=1`, {}), status: 200 },
    { name: 'an API key in its cookie, beside a session cookie', run: () => send('GET', '/partner/v1/by-cookie', { cookie: `session=${secrets.sessionCookie}; accord_key=${key}` }), status: 200 },
    { name: 'OAuth tokens and secrets as undeclared query parameters (400 naming them)', run: () => send('GET', `/partner/v1/by-header?access_token=${secrets.jwt}&client_secret=${secrets.clientSecret}&refresh_token=${secrets.refreshToken}`, { 'x-api-key': key }), status: 400 },
    { name: 'a JWT as a path parameter the contract refuses (400 naming it)', run: () => send('GET', `/shop/v1/items/${secrets.jwt}`, { authorization: `Bearer ${secrets.jwt}` }), status: 400 },
    { name: 'a request body the contract refuses, holding a JWT and a password (400 echoing pointers)', run: () => send('POST', '/shop/v1/items', { authorization: `Bearer ${secrets.jwt}` }, JSON.stringify({ name: secrets.jwt, price: 'free', password: secrets.password })), status: 400 },
    {
      name: 'an upstream error that sends the credentials back in its body and a Set-Cookie',
      run: async () => {
        shopUp.respond(json(500, { error: `refused Bearer ${secrets.jwt}`, key }, { 'set-cookie': `sid=${secrets.sessionCookie}` }));
        return send('GET', '/shop/v1/items', { authorization: `Bearer ${secrets.jwt}` });
      },
      status: 500,
    },
    {
      name: 'an upstream that resets the connection',
      run: async () => {
        shopUp.respond((_req, res) => res.socket?.destroy());
        return send('GET', `/shop/v1/items?status=active`, { authorization: `Bearer ${secrets.jwt}`, cookie: `session=${secrets.sessionCookie}` });
      },
      status: 502,
    },
  ];
  for (const s of scenarios) {
    it(`${s.name} -> ${s.status}`, async () => {
      assert.equal(await s.run(), s.status);
    });
  }

  it('no captured line holds any credential sent, and none looks like one', async () => {
    // The access line of the last request is written when its response is done.
    for (let i = 0; i < 40 && gw.logs.filter((l) => l.type === 'access').length < requests; i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(gw.logs.filter((l) => l.type === 'access').length >= requests, 'an access line per request');
    assert.ok(gw.logs.some((l) => l.msg === 'log level changed through the admin API' && l.changedBy === 'test/ops' && l.logLevel === 'trace'));
    assert.ok(gw.logs.some((l) => typeof l.msg === 'string' && l.msg.startsWith('response breaks the contract')), 'the echoed response was logged as a violation');
    assert.ok(gw.logs.some((l) => l.reason === 'reset' || l.reason === 'connect'), 'the upstream reset was logged');
    for (const [name, secret] of Object.entries(secrets)) {
      const leaking = gw.lines.filter((line) => line.includes(secret));
      assert.deepEqual(leaking, [], `${name} leaked`);
    }
    assertNoLeaks(gw.lines, 'the gateway');
  });
});
