/** `GET|PUT /admin/log-level` on a real admin listener: read, change (also for a while), who may, and what is refused. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

describe('admin log level', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let gw: TestGateway;
  let admin: string;
  let owner: string;

  const call = async (method: 'GET' | 'PUT', token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${gw.adminUrl}/admin/log-level`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    issuer = await createTestIssuer();
    up = await startUpstream();
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        admin: { auth: { providers: ['test'] }, owners: [{ api: 'shop', provider: 'test', subjects: ['shop-team'] }] },
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: up.url }], auth: { providers: ['test'] } }],
      },
      logLevel: 'warn',
    });
    admin = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
    owner = await issuer.token({ client_id: 'shop-team', scope: 'items:read' });
  });
  after(async () => {
    await gw.stop();
    await up.close();
  });

  it('reads the level at start', async () => {
    assert.deepEqual(await call('GET', admin), { status: 200, json: { level: 'warn', initial: 'warn' } });
  });

  it('changes it for a while: info lines appear and the change is logged with its author', async () => {
    const before = Date.now();
    const { status, json } = await call('PUT', admin, { level: 'info', durationSeconds: 600 });
    assert.equal(status, 200);
    assert.deepEqual([json.level, json.initial, json.revertsTo], ['info', 'warn', 'warn']);
    const revertsAt = Date.parse(String(json.revertsAt));
    assert.ok(revertsAt >= before + 600_000 && revertsAt <= Date.now() + 600_000);
    assert.equal(gw.running.logLevel.state.level, 'info');
    const changed = gw.logs.find((l) => l.msg === 'log level changed through the admin API');
    assert.deepEqual([changed?.logLevel, changed?.previousLevel, changed?.changedBy, changed?.durationSeconds], ['info', 'warn', 'test/ops', 600]);
    // An info line of the data plane now: the access log of a request.
    await fetch(`${gw.url}/shop/v1/public/status`);
    for (let i = 0; i < 40 && !gw.logs.some((l) => l.type === 'access'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(gw.logs.some((l) => l.type === 'access'));
    assert.deepEqual((await call('PUT', admin, { level: 'warn' })).json, { level: 'warn', initial: 'warn' });
  });

  const refused: Array<{ name: string; method: 'GET' | 'PUT'; token: () => string; body?: unknown; status: number; code: string; pointers?: string[] }> = [
    { name: 'an API owner may not read it', method: 'GET', token: () => owner, status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'an API owner may not change it', method: 'PUT', token: () => owner, body: { level: 'debug' }, status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'an unknown level', method: 'PUT', token: () => admin, body: { level: 'verbose' }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/level'] },
    { name: 'no level', method: 'PUT', token: () => admin, body: { durationSeconds: 60 }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/level'] },
    { name: 'a zero duration', method: 'PUT', token: () => admin, body: { level: 'debug', durationSeconds: 0 }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/durationSeconds'] },
    { name: 'a duration over a day', method: 'PUT', token: () => admin, body: { level: 'debug', durationSeconds: 86_401 }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/durationSeconds'] },
    { name: 'an unknown field', method: 'PUT', token: () => admin, body: { level: 'debug', forever: true }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/forever'] },
  ];
  for (const row of refused) {
    it(`refuses ${row.name} (${row.status} ${row.code})`, async () => {
      const { status, json } = await call(row.method, row.token(), row.body);
      assert.equal(status, row.status, JSON.stringify(json));
      assert.equal(json.code, row.code);
      if (row.pointers) assert.deepEqual((json.errors as Array<{ pointer: string }>).map((e) => e.pointer), row.pointers);
      assert.equal(gw.running.logLevel.state.level, 'warn');
    });
  }
});
