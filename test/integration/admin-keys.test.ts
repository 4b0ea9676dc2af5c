/**
 * API keys through the admin listener of a running gateway: an admin token issues a key to a
 * declared consumer (shown once), the data plane accepts it, the listing never shows a secret,
 * a revocation through the admin API is honoured by the data plane, and callers without the
 * admin scope get nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'gateway', 'partner-keys-1.0.0.yaml');

describe('API keys over the admin listener', () => {
  let issuer: TestIssuer;
  let upstream: RecordingUpstream;
  let gw: TestGateway;
  let admin: Record<string, string>;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    upstream = await startRecordingUpstream();
    gw = await startTestGateway({
      contracts: { 'partner/1.0.0': FIXTURE },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider('test')],
        consumers: [{ id: 'acme', entitlements: [{ api: 'partner' }] }],
        apis: [{ id: 'partner', basePath: '/partner', versions: [{ version: '1.0.0' }], upstream: { url: upstream.url }, auth: { providers: ['test'] }, responseValidation: 'off' }],
        admin: { auth: { providers: ['test'] } },
      },
    });
    admin = { authorization: `Bearer ${await issuer.token({ client_id: 'ops', scope: 'accord:admin' })}`, 'content-type': 'application/json' };
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  const eventually = async (probe: () => Promise<number>, want: number): Promise<number> => {
    let status = await probe();
    for (let i = 0; i < 100 && status !== want; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await probe();
    }
    return status;
  };

  it('issues, lists, honours and revokes a key', async () => {
    const created = await rawRequest(gw.adminUrl!, 'POST', '/keys', { headers: admin, body: JSON.stringify({ consumer: 'acme', expires: '30d' }) });
    assert.equal(created.status, 201, created.text);
    const issued = created.json as { id: string; key: string; consumer: string };
    assert.equal(issued.consumer, 'acme');
    assert.match(issued.key, /^acc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const use = (): Promise<number> => rawRequest(gw.url, 'GET', '/partner/v1/by-header', { headers: { 'x-api-key': issued.key } }).then((r) => r.status);
    assert.equal(await eventually(use, 200), 200, 'the data plane follows the store the admin API wrote');

    const listed = await rawRequest(gw.adminUrl!, 'GET', '/keys?consumer=acme', { headers: admin });
    assert.equal(listed.status, 200);
    assert.ok(!listed.text.includes(issued.key.split('_')[2]!), 'no secret in a listing');
    assert.deepEqual((listed.json as { keys: Array<{ id: string }> }).keys.map((k) => k.id), [issued.id]);

    const revoked = await rawRequest(gw.adminUrl!, 'DELETE', `/keys/${issued.id}`, { headers: admin });
    assert.ok([200, 204].includes(revoked.status), revoked.text);
    assert.equal(await eventually(use, 401), 401, 'a revoked key is refused');
  });

  const refusals: Array<{ name: string; headers: () => Promise<Record<string, string>>; body: string; status: number; code: string }> = [
    { name: 'no token', headers: async () => ({ 'content-type': 'application/json' }), body: JSON.stringify({ consumer: 'acme' }), status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'a token without accord:admin', headers: async () => ({ 'content-type': 'application/json', authorization: `Bearer ${await issuer.token({ client_id: 'ops', scope: 'items:read' })}` }), body: JSON.stringify({ consumer: 'acme' }), status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'a consumer that is not declared', headers: async () => admin, body: JSON.stringify({ consumer: 'stranger' }), status: 400, code: 'REQUEST_INVALID' },
  ];
  for (const c of refusals) {
    it(`refuses to issue a key: ${c.name}`, async () => {
      const res = await rawRequest(gw.adminUrl!, 'POST', '/keys', { headers: await c.headers(), body: c.body });
      assert.equal(res.status, c.status, res.text);
      assert.equal((res.json as { code: string }).code, c.code);
    });
  }
});
