/**
 * API keys and basic credentials end to end: keys issued to declared consumers, presented in the
 * place the contract names (header, query parameter, cookie, basic), alone or together with a
 * JWT (AND) or instead of one (OR); refusals with their codes and challenges; keys stripped before
 * the upstream and absent from every log line; rotation with overlap, revocation and expiry.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';
import { fileKeyStore } from '../../src/gateway/policies/auth/stores/file-store.js';
import type { ApiKeyStore } from '../../src/gateway/policies/auth/stores/key-store.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'gateway', 'partner-keys-1.0.0.yaml');

/** Polls `probe` until `done` holds for its result; bounded, never timed. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let last = await probe();
  for (let attempt = 0; attempt < 100 && !done(last); attempt++) {
    await sleep(50);
    last = await probe();
  }
  return last;
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('API keys and basic credentials', () => {
  let upstream: RecordingUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let store: ApiKeyStore;
  const keys: Record<'acme' | 'acme2' | 'globex' | 'ghost', string> = { acme: '', acme2: '', globex: '', ghost: '' };
  const allKeys = (): string[] => Object.values(keys).filter((k) => k !== '');

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    upstream = await startRecordingUpstream();
    gw = await startTestGateway({
      contracts: { 'partner/1.0.0': FIXTURE },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider('test')],
        consumers: [
          { id: 'acme', identities: [{ provider: 'test', claim: 'acme-app' }], entitlements: [{ api: 'partner' }] },
          { id: 'globex', entitlements: [] },
        ],
        apis: [
          {
            id: 'partner',
            basePath: '/partner',
            versions: [{ version: '1.0.0' }],
            upstream: { url: upstream.url },
            auth: { providers: ['test'] },
            responseValidation: 'off',
            // A key in the query must be gone before validation, or it would be refused as undeclared.
            undeclaredParameters: 'refuse',
          },
        ],
      },
    });
    store = fileKeyStore({ path: join(gw.dir, '.accord', 'api-keys.json') });
    keys.acme = (await store.create({ consumer: 'acme' })).key;
    keys.globex = (await store.create({ consumer: 'globex' })).key;
    keys.ghost = (await store.create({ consumer: 'ghost' })).key;
    // The gateway follows the file: wait until it knows the last key.
    await eventually(() => rawRequest(gw.url, 'GET', '/partner/v1/by-header', { headers: { 'x-api-key': keys.ghost } }), (r) => r.status === 403);
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  const token = (scope = 'items:read'): Promise<string> => issuer.token({ client_id: 'acme-app', scope });

  interface Scenario {
    name: string;
    path: string;
    headers: () => Promise<Record<string, string>> | Record<string, string>;
    status: number;
    code?: string;
    challenge?: string;
    consumer?: string;
    /** What the upstream receives as path and query. */
    upstreamUrl?: string;
  }
  const scenarios: Scenario[] = [
    { name: 'header key', path: '/by-header?limit=2', headers: () => ({ 'x-api-key': keys.acme }), status: 200, consumer: 'acme', upstreamUrl: '/by-header?limit=2' },
    { name: 'header key, header name in another case', path: '/by-header', headers: () => ({ 'X-API-KEY': keys.acme }), status: 200, consumer: 'acme' },
    { name: 'query key, stripped from the upstream query', path: `/by-query?limit=2&api_key=KEY`, headers: () => ({}), status: 200, consumer: 'acme', upstreamUrl: '/by-query?limit=2' },
    { name: 'query key alone', path: `/by-query?api_key=KEY`, headers: () => ({}), status: 200, consumer: 'acme', upstreamUrl: '/by-query' },
    { name: 'cookie key', path: '/by-cookie', headers: () => ({ cookie: `theme=dark; accord_key=${keys.acme}` }), status: 200, consumer: 'acme' },
    { name: 'basic: consumer id and key as password', path: '/by-basic', headers: () => ({ authorization: basic('acme', keys.acme) }), status: 200, consumer: 'acme' },
    { name: 'basic: key as user-id, empty password', path: '/by-basic', headers: () => ({ authorization: basic(keys.acme, '') }), status: 200, consumer: 'acme' },
    { name: 'basic: user-id of another consumer', path: '/by-basic', headers: () => ({ authorization: basic('globex', keys.acme) }), status: 401, code: 'AUTH_KEY_INVALID', challenge: 'Basic realm="accord", charset="UTF-8"' },
    { name: 'basic: wrong password', path: '/by-basic', headers: () => ({ authorization: basic('acme', 'not-a-key') }), status: 401, code: 'AUTH_KEY_INVALID', challenge: 'Basic realm="accord", charset="UTF-8"' },
    { name: 'basic: not base64', path: '/by-basic', headers: () => ({ authorization: 'Basic %%%' }), status: 401, code: 'AUTH_KEY_INVALID' },
    { name: 'basic: none', path: '/by-basic', headers: () => ({}), status: 401, code: 'AUTH_KEY_MISSING', challenge: 'Basic realm="accord", charset="UTF-8"' },
    { name: 'missing key', path: '/by-header', headers: () => ({}), status: 401, code: 'AUTH_KEY_MISSING', challenge: 'ApiKey realm="accord", in="header", name="X-Api-Key"' },
    { name: 'key in the query where a header is expected', path: '/by-header?api_key=KEY', headers: () => ({}), status: 401, code: 'AUTH_KEY_MISSING' },
    { name: 'key in a header where the query is expected', path: '/by-query', headers: () => ({ 'x-api-key': keys.acme }), status: 401, code: 'AUTH_KEY_MISSING', challenge: 'ApiKey realm="accord", in="query", name="api_key"' },
    { name: 'key in a cookie where a header is expected', path: '/by-header', headers: () => ({ cookie: `accord_key=${keys.acme}` }), status: 401, code: 'AUTH_KEY_MISSING' },
    { name: 'key as a Bearer token', path: '/by-header', headers: () => ({ authorization: `Bearer ${keys.acme}` }), status: 401, code: 'AUTH_KEY_MISSING' },
    { name: 'malformed key', path: '/by-header', headers: () => ({ 'x-api-key': 'not-a-key' }), status: 401, code: 'AUTH_KEY_INVALID', challenge: 'ApiKey realm="accord", in="header", name="X-Api-Key", error="invalid_key"' },
    { name: 'well-formed unknown key', path: '/by-header', headers: () => ({ 'x-api-key': `acc_0123456789abcdef_${'A'.repeat(43)}` }), status: 401, code: 'AUTH_KEY_INVALID' },
    { name: 'known id, wrong secret', path: '/by-header', headers: () => ({ 'x-api-key': `${keys.acme.slice(0, 21)}${'B'.repeat(43)}` }), status: 401, code: 'AUTH_KEY_INVALID' },
    { name: 'query key given twice', path: '/by-query?api_key=KEY&api_key=KEY', headers: () => ({}), status: 401, code: 'AUTH_KEY_INVALID' },
    { name: 'key of a consumer not entitled', path: '/by-header', headers: () => ({ 'x-api-key': keys.globex }), status: 403, code: 'CONSUMER_NOT_ENTITLED' },
    { name: 'key of a consumer not declared', path: '/by-header', headers: () => ({ 'x-api-key': keys.ghost }), status: 403, code: 'CONSUMER_NOT_ENTITLED' },
    { name: 'key AND token: both', path: '/key-and-token', headers: async () => ({ 'x-api-key': keys.acme, authorization: `Bearer ${await token()}` }), status: 200, consumer: 'acme' },
    { name: 'key AND token: key only', path: '/key-and-token', headers: () => ({ 'x-api-key': keys.acme }), status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'key AND token: token only', path: '/key-and-token', headers: async () => ({ authorization: `Bearer ${await token()}` }), status: 401, code: 'AUTH_KEY_MISSING' },
    { name: 'key AND token: token lacks the scope', path: '/key-and-token', headers: async () => ({ 'x-api-key': keys.acme, authorization: `Bearer ${await token('other')}` }), status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'key AND token: bad key, good token', path: '/key-and-token', headers: async () => ({ 'x-api-key': 'nope', authorization: `Bearer ${await token()}` }), status: 401, code: 'AUTH_KEY_INVALID' },
    { name: 'key OR token: key', path: '/key-or-token', headers: () => ({ 'x-api-key': keys.acme }), status: 200, consumer: 'acme' },
    { name: 'key OR token: token', path: '/key-or-token', headers: async () => ({ authorization: `Bearer ${await token()}` }), status: 200, consumer: 'acme' },
    { name: 'key OR token: a key needs no scope', path: '/key-or-token', headers: async () => ({ 'x-api-key': keys.acme, authorization: `Bearer ${await token('other')}` }), status: 200, consumer: 'acme' },
    { name: 'key OR token: token without the scope', path: '/key-or-token', headers: async () => ({ authorization: `Bearer ${await token('other')}` }), status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'key OR token: bad key, good token', path: '/key-or-token', headers: async () => ({ 'x-api-key': 'nope', authorization: `Bearer ${await token()}` }), status: 200, consumer: 'acme' },
    { name: 'key OR token: bad token', path: '/key-or-token', headers: () => ({ authorization: 'Bearer abc.def.ghi' }), status: 401, code: 'AUTH_TOKEN_INVALID' },
    {
      name: 'key OR token: nothing',
      path: '/key-or-token',
      headers: () => ({}),
      status: 401,
      code: 'AUTH_KEY_MISSING',
      challenge: 'ApiKey realm="accord", in="header", name="X-Api-Key", Bearer realm="accord"',
    },
    { name: 'token only: no token, as before keys', path: '/token-only', headers: () => ({}), status: 401, code: 'AUTH_TOKEN_MISSING', challenge: 'Bearer realm="accord"' },
    { name: 'anonymous operation', path: '/public', headers: () => ({}), status: 200 },
  ];

  for (const s of scenarios) {
    it(s.name, async () => {
      const seen = upstream.requests.length;
      const path = `/partner/v1${s.path.replace(/KEY/g, encodeURIComponent(keys.acme))}`;
      const res: RawResponse = await rawRequest(gw.url, 'GET', path, { headers: await s.headers() });
      assert.equal(res.status, s.status, res.text);
      if (s.code) {
        assert.equal(res.json?.code, s.code, res.text);
        assert.equal(upstream.requests.length, seen, 'a refused request never reaches the upstream');
      }
      if (s.challenge !== undefined) assert.equal(res.headers['www-authenticate'], s.challenge);
      if (s.status === 200) {
        assert.equal(upstream.requests.length, seen + 1);
        const received = upstream.requests[seen]!;
        if (s.consumer) assert.equal(received.headers['x-consumer-id'], s.consumer);
        if (s.upstreamUrl) assert.equal(received.url, s.upstreamUrl);
        const wire = JSON.stringify({ url: received.url, headers: received.headers });
        for (const key of allKeys()) assert.ok(!wire.includes(key) && !wire.includes(encodeURIComponent(key)), `the upstream received a key: ${wire}`);
      }
    });
  }

  it('keeps other cookies for the upstream and drops only the key cookie', async () => {
    const seen = upstream.requests.length;
    const res = await rawRequest(gw.url, 'GET', '/partner/v1/by-cookie', { headers: { cookie: `theme=dark; accord_key=${keys.acme}; lang=en` } });
    assert.equal(res.status, 200, res.text);
    assert.equal(upstream.requests[seen]!.headers.cookie, 'theme=dark; lang=en');
  });

  it('rotates with overlap: two keys valid, then the old one revoked', async () => {
    const second = await store.create({ consumer: 'acme' });
    keys.acme2 = second.key;
    const call = (key: string): Promise<RawResponse> => rawRequest(gw.url, 'GET', '/partner/v1/by-header', { headers: { 'x-api-key': key } });
    assert.equal((await eventually(() => call(keys.acme2), (r) => r.status === 200)).status, 200);
    assert.equal((await call(keys.acme)).status, 200, 'the old key still works during the overlap');
    const firstId = keys.acme.slice(4, 20);
    const revoked = await store.revoke(firstId);
    assert.ok(revoked?.revokedAt);
    const refused = await eventually(() => call(keys.acme), (r) => r.status === 401);
    assert.equal(refused.status, 401);
    assert.equal(refused.json?.code, 'AUTH_KEY_INVALID');
    assert.equal(refused.json?.detail, `the key ${firstId} was revoked`);
    assert.equal((await call(keys.acme2)).status, 200, 'the new key goes on working');
    const listed = await store.list({ consumer: 'acme' });
    assert.deepEqual(listed.map((k) => [k.id, k.revokedAt !== null]), [[firstId, true], [second.record.id, false]]);
  });

  it('refuses a key once it has expired', async () => {
    const expiring = await store.create({ consumer: 'acme', expiresAt: new Date(Date.now() + 1500) });
    keys.acme = expiring.key;
    const call = (): Promise<RawResponse> => rawRequest(gw.url, 'GET', '/partner/v1/by-header', { headers: { 'x-api-key': expiring.key } });
    assert.equal((await eventually(call, (r) => r.status === 200)).status, 200);
    const refused = await eventually(call, (r) => r.status === 401);
    assert.equal(refused.json?.code, 'AUTH_KEY_INVALID');
    assert.equal(refused.json?.detail, `the key ${expiring.record.id} has expired`);
  });

  it('never writes a key to a log line, and logs the key id of each keyed request', () => {
    const text = JSON.stringify(gw.logs);
    for (const key of allKeys()) {
      assert.ok(!text.includes(key), 'a key appears in the logs');
      assert.ok(!text.includes(key.slice(21)), 'the secret part of a key appears in the logs');
      assert.ok(!text.includes(encodeURIComponent(key)), 'an encoded key appears in the logs');
    }
    const keyed = gw.logs.filter((line) => line.type === 'access' && line.apiKeyId !== undefined);
    assert.ok(keyed.length > 0);
    assert.ok(keyed.every((line) => /^[0-9a-f]{16}$/.test(String(line.apiKeyId))));
  });

  it('counts refused keys by reason', async () => {
    const metrics = await gw.running.gateway.metrics!.registry.metrics();
    for (const reason of ['missing', 'malformed', 'unknown', 'mismatch', 'revoked', 'expired', 'consumer-unknown']) {
      assert.match(metrics, new RegExp(`accord_api_key_failures_total\\{reason="${reason}"\\} [1-9]`), reason);
    }
  });
});
