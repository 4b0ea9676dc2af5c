/**
 * The admin listener on its own: resources are a list mounted behind admin authentication, an
 * admin API without providers refuses everyone, `/usage` says when usage is off, and the
 * listener can be switched off.
 */
import { describe, it, after } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { startAdminServer, type RunningAdminServer } from '../../src/admin/server.js';
import type { AdminRoutes } from '../../src/admin/routes/index.js';
import { ADMIN_ROUTES } from '../../src/admin/routes/index.js';
import { createJwtAuthenticator } from '../../src/gateway/policies/jwt-auth/index.js';
import { startTestGateway, createTestIssuer, type TestGateway } from '../support/test-gateway.js';
import { startUpstream } from '../support/upstream.js';
import { rawRequest } from '../support/raw-request.js';
import { ORDERS_V1, ordersConfig, ordersUpstream } from '../support/usage-scenario.js';

const logger = pino({ level: 'silent' });

describe('admin listener', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('lists its resources', () => {
    assert.deepEqual(ADMIN_ROUTES.map((r) => r.name), ['usage', 'keys', 'log-level', 'drift', 'registry', 'impact', 'metrics']);
  });

  it('mounts a resource added to the list behind admin authentication', async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    const authenticator = createJwtAuthenticator([issuer.provider('test') as never], { logger });
    closers.push(async () => authenticator.close());
    const ping: AdminRoutes = {
      name: 'ping',
      base: '/ping',
      access: 'admin',
      mount(router) {
        router.get('/ping', (_req, res) => void res.json({ pong: true }));
      },
    };
    const admin: RunningAdminServer = await startAdminServer({
      host: '127.0.0.1',
      port: 0,
      auth: { authenticator: () => authenticator, providers: () => ['test'], scope: () => 'accord:admin' },
      deps: { logger, usage: undefined },
      routes: [...ADMIN_ROUTES, ping],
    });
    closers.push(() => admin.close(0));
    const token = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
    const cases: Array<{ name: string; path: string; token?: string; status: number; code?: string }> = [
      { name: 'the added resource with an admin token', path: '/ping', token, status: 200 },
      { name: 'the added resource without a token', path: '/ping', status: 401, code: 'AUTH_TOKEN_MISSING' },
      { name: '/usage while usage is off', path: '/usage', token, status: 503, code: 'SERVICE_UNAVAILABLE' },
    ];
    for (const c of cases) {
      const res = await rawRequest(admin.url, 'GET', c.path, { headers: c.token ? { authorization: `Bearer ${c.token}` } : {} });
      assert.equal(res.status, c.status, `${c.name}: ${res.text}`);
      if (c.code) assert.equal(res.json?.code, c.code, c.name);
    }
  });

  it('refuses everyone when no identity provider is configured, and says so at start', async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    const upstream = await startUpstream(ordersUpstream);
    closers.push(() => upstream.close());
    const config = { ...ordersConfig(issuer, upstream.url), admin: {} };
    const gw: TestGateway = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config });
    closers.push(() => gw.stop());
    const token = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
    const res = await rawRequest(gw.adminUrl!, 'GET', '/usage', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401);
    assert.equal(res.json?.code, 'AUTH_TOKEN_INVALID');
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
    assert.ok(gw.logs.some((l) => l.msg === 'admin listener: admin.auth.providers is empty, so every admin request is refused (401)'));
  });

  it('follows admin.owners across a reload: an owner token is admitted to the registry routes only', async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    const upstream = await startUpstream(ordersUpstream);
    closers.push(() => upstream.close());
    const config = ordersConfig(issuer, upstream.url);
    const gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config });
    closers.push(() => gw.stop());
    const owner = await issuer.token({ client_id: 'orders-team', scope: 'orders:read' });
    const get = (path: string) => rawRequest(gw.adminUrl!, 'GET', path, { headers: { authorization: `Bearer ${owner}` } });
    const first = await get('/admin/apis');
    assert.equal(first.status, 403, first.text);
    assert.equal(first.json?.code, 'AUTH_SCOPE_INSUFFICIENT');
    const owned = { ...config, admin: { auth: { providers: ['test'] }, owners: [{ api: 'orders', provider: 'test', subjects: ['orders-team'] }] } };
    writeFileSync(join(gw.dir, 'policies', 'gateway.yaml'), stringify({ version: 1, contractsDir: '../contracts', ...owned }));
    assert.equal(await gw.running.reload('manual'), true);
    const reloaded = await get('/admin/apis');
    assert.ok(reloaded.status !== 401 && reloaded.status !== 403, `admitted as an owner: ${reloaded.status} ${reloaded.text}`);
    const usage = await get('/usage');
    assert.equal(usage.status, 403);
    assert.equal(usage.json?.code, 'AUTH_SCOPE_INSUFFICIENT');
  });

  it('is not started when admin.enabled is false', async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    const upstream = await startUpstream(ordersUpstream);
    closers.push(() => upstream.close());
    const config = { ...ordersConfig(issuer, upstream.url), admin: { enabled: false } };
    const gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_V1 }, config });
    closers.push(() => gw.stop());
    assert.equal(gw.running.admin, undefined);
    assert.equal(gw.adminUrl, undefined);
    assert.ok(!gw.logs.some((l) => l.msg === 'admin listener listening'));
  });
});
