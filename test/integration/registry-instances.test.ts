/**
 * Two gateway instances on one PostgreSQL registry (DATABASE_URL, one schema per run): a version
 * registered through one is served by the other within a second; a deprecation reaches both; with
 * their notification connections killed, a version registered meanwhile is still served once they
 * reconnect (they re-read the registry rather than trust that no notification was lost).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { within } from '../support/wait.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';
import { DATABASE_URL, postgresSkip, uniqueName } from '../support/services.js';
import type { Actor } from '../../src/registry/model.js';

const skip = await postgresSkip();
const FIXTURES = join(import.meta.dirname, 'fixtures', 'gateway');
const SHOP_V1 = join(FIXTURES, 'shop-1.0.0.yaml');
const SHOP_V2_TEXT = readFileSync(join(FIXTURES, 'shop-2.0.0.yaml'), 'utf8');
const OWNER: Actor = { provider: 'test', subject: 'shop-team' };

describe('two gateway instances on one PostgreSQL registry', { skip }, () => {
  const schema = uniqueName('accord_reg_gw');
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  let a: TestGateway;
  let b: TestGateway;
  let admin: pg.Client;
  let token: string;
  let previousUrl: string | undefined;
  const get = (gw: TestGateway, path: string): Promise<RawResponse> => rawRequest(gw.url, 'GET', path, { headers: { authorization: `Bearer ${token}` } });
  const servedBy = (gw: TestGateway, version: string): boolean => gw.logs.some((l) => l.msg === 'registry change in service' && JSON.stringify(l.apis).includes(`shop@${version}`));

  before(async () => {
    // The store's connection string comes from the environment, never from the YAML.
    previousUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = DATABASE_URL;
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    token = await issuer.token({ client_id: 'acme-app', scope: 'items:read' });
    upstream = await startUpstream(json(200, { items: [] }));
    const config = {
      listen: { host: '127.0.0.1', port: 0 },
      identityProviders: [issuer.provider('test')],
      registry: { enabled: true, store: 'postgres', postgres: { schema } },
      apis: [{ id: 'shop', basePath: '/shop', upstream: { url: upstream.url }, auth: { providers: ['test'] }, responseValidation: 'off' }],
    };
    // A imports 1.0.0 from its files; B has none and serves what the registry holds.
    a = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config });
    b = await startTestGateway({ contracts: {}, config });
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await upstream?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  });

  it('serves on the second instance what the first imported', async () => {
    assert.equal((await get(b, '/shop/v1/items')).status, 200);
    assert.equal((await get(b, '/shop/v2/items')).status, 404);
  });

  it('serves on one instance, within a second, a version registered through the other', async () => {
    const result = await a.running.registry!.service.register({ api: 'shop', document: SHOP_V2_TEXT, actor: OWNER });
    assert.equal(result.kind, 'created', JSON.stringify(result));
    assert.ok((await within(1000, async () => (await get(b, '/shop/v2/items')).status === 200)) !== undefined, 'B serves 2.0.0 within 1 s');
    assert.ok((await within(1000, async () => (await get(a, '/shop/v2/items')).status === 200)) !== undefined, 'A serves 2.0.0 within 1 s');
  });

  it('announces a deprecation made through one instance on the other', async () => {
    const outcome = await b.running.registry!.service.deprecate('shop', '1.0.0', { successor: '2.0.0' }, OWNER);
    assert.equal(outcome.kind, 'changed');
    let res: RawResponse | undefined;
    assert.ok((await within(1000, async () => (res = await get(a, '/shop/v1/items')).headers['deprecation'] !== undefined)) !== undefined);
    assert.equal(res!.headers['link'], '</shop/v2>; rel="successor-version"');
  });

  it('catches up after losing its notification connection: a change made meanwhile is not lost', async () => {
    // Every LISTEN connection on this run's channel (both instances) is killed by the server.
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE query = $1`, [`LISTEN "${schema}_registry"`]);
    assert.equal(killed.rows.length, 2, 'both instances listen');
    const result = await a.running.registry!.service.register({ api: 'shop', document: SHOP_V2_TEXT.replace('version: 2.0.0', 'version: 2.1.0'), actor: OWNER });
    assert.equal(result.kind, 'created', JSON.stringify(result));
    assert.ok((await within(5000, async () => servedBy(b, '2.1.0'))) !== undefined, 'B serves 2.1.0 after reconnecting');
    assert.ok((await within(5000, async () => servedBy(a, '2.1.0'))) !== undefined, 'A serves 2.1.0 after reconnecting');
    assert.ok(b.logs.some((l) => String(l.msg).startsWith('registry: lost the PostgreSQL notifications')));
    assert.equal((await get(b, '/shop/v2/items')).status, 200);
  });
});
