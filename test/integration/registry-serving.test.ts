/**
 * The gateway follows the registry (file store): the contract files are imported on start through
 * governance; a version registered while the gateway runs is served within a second, without a
 * restart and without dropping a request in flight; deprecated versions announce Deprecation,
 * Sunset and their successor; retired ones answer 410 VERSION_RETIRED naming it; with autoRetire a
 * version past its sunset is refused at once (injected clock) and retired in the registry.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { within } from '../support/wait.js';
import { rawRequest, jsonOf, type RawResponse } from '../support/raw-request.js';
import type { Actor } from '../../src/registry/model.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'gateway');
const SHOP_V1 = join(FIXTURES, 'shop-1.0.0.yaml');
const SHOP_V2_TEXT = readFileSync(join(FIXTURES, 'shop-2.0.0.yaml'), 'utf8');
const OWNER: Actor = { provider: 'test', subject: 'shop-team' };

/** The 1.0.0 fixture as another minor of major 1 (no change but the version). */
function minor(version: string): string {
  return readFileSync(SHOP_V1, 'utf8').replace('version: 1.0.0', `version: ${version}`);
}

function registryConfig(upstreamUrl: string, issuer: TestIssuer, registry: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider('test')],
    registry: { enabled: true, ...registry },
    admin: { auth: { providers: ['test'] } },
    consumers: [{ id: 'acme', identities: [{ provider: 'test', claim: 'acme-app' }], entitlements: [{ api: 'shop' }] }],
    apis: [{ id: 'shop', basePath: '/shop', upstream: { url: upstreamUrl }, auth: { providers: ['test'] }, responseValidation: 'off' }],
  };
}

describe('the gateway follows the registry (file store)', () => {
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  let gw: TestGateway;
  let token: string;
  const get = async (path: string): Promise<RawResponse> => rawRequest(gw.url, 'GET', path, { headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    token = await issuer.token({ client_id: 'acme-app', scope: 'items:read items:write' });
    upstream = await startUpstream(json(200, { items: [] }));
    gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: registryConfig(upstream.url, issuer) });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('imports the contract files on start, through governance, and serves them', async () => {
    const [summary] = await gw.running.registry!.service.list('shop');
    assert.deepEqual(summary!.versions.map((v) => [v.version, v.status]), [['1.0.0', 'published']]);
    const audit = await gw.running.registry!.service.audit({ limit: 10 });
    assert.deepEqual(audit.entries.map((e) => [e.action, e.version, `${e.actor.provider}/${e.actor.subject}`]), [['register', '1.0.0', 'accord/import']]);
    assert.equal((await get('/shop/v1/items')).status, 200);
    assert.equal((await get('/shop/v2/items')).status, 404, 'major 2 is not registered yet');
  });

  it('serves a version registered while it runs within a second, without a restart', async () => {
    const result = await gw.running.registry!.service.register({ api: 'shop', document: SHOP_V2_TEXT, actor: OWNER });
    assert.equal(result.kind, 'created', JSON.stringify(result));
    const elapsed = await within(1000, async () => (await get('/shop/v2/items')).status === 200);
    assert.ok(elapsed !== undefined, 'shop 2.0.0 served within 1 s of its registration');
    assert.equal((await get('/shop/v1/items')).status, 200, 'major 1 still served');
    assert.ok(gw.logs.some((l) => l.msg === 'registry change in service'));
  });

  it('finishes a request in flight on the table a registration replaces', async () => {
    let release: (() => void) | undefined;
    upstream.respond((_req, res) => {
      release = () => {
        const body = JSON.stringify({ items: [] });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };
    });
    const inFlight = get('/shop/v1/items');
    assert.ok((await within(2000, async () => release !== undefined)) !== undefined, 'the request reached the upstream');
    const result = await gw.running.registry!.service.register({ api: 'shop', document: minor('1.1.0'), actor: OWNER });
    assert.equal(result.kind, 'created', JSON.stringify(result));
    // The new table is in service once the operations log names 1.1.0.
    assert.ok((await within(1000, async () => gw.logs.some((l) => l.msg === 'registry change in service' && JSON.stringify(l.apis).includes('shop@1.1.0')))) !== undefined);
    upstream.respond(json(200, { items: [] }));
    release!();
    const res = await inFlight;
    assert.equal(res.status, 200, res.text);
  });

  it('announces a deprecated version: Deprecation, Sunset and the successor', async () => {
    const sunset = new Date(Date.now() + 30 * 86_400_000);
    sunset.setUTCMilliseconds(0);
    const outcome = await gw.running.registry!.service.deprecate('shop', '1.1.0', { sunset: sunset.toISOString(), successor: '2.0.0' }, OWNER);
    assert.equal(outcome.kind, 'changed');
    const record = outcome.kind === 'changed' ? outcome.record : undefined;
    let res: RawResponse | undefined;
    assert.ok((await within(1000, async () => (res = await get('/shop/v1/items')).headers['deprecation'] !== undefined)) !== undefined, 'deprecation announced within 1 s');
    assert.equal(res!.status, 200);
    assert.equal(res!.headers['deprecation'], `@${Math.floor(Date.parse(record!.deprecatedAt!) / 1000)}`);
    assert.equal(res!.headers['sunset'], sunset.toUTCString());
    assert.equal(res!.headers['link'], '</shop/v2>; rel="successor-version"');
    // An error answered after the lifecycle step carries them too; one refused before it does not.
    const invalid = await get('/shop/v1/items?limit=0');
    assert.equal(invalid.status, 400);
    assert.equal(invalid.headers['sunset'], sunset.toUTCString());
    const anonymous = await rawRequest(gw.url, 'GET', '/shop/v1/items');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers['deprecation'], undefined);
    // The published successor announces nothing.
    assert.equal((await get('/shop/v2/items')).headers['deprecation'], undefined);
    // Each call that reached the lifecycle step is counted for its consumer (the 401 never did).
    const metrics = await scrapeMetrics(gw, issuer);
    const counted = /^accord_deprecated_calls_total\{api="shop",version="1\.1\.0",consumer="acme"\} (\d+)$/m.exec(metrics);
    assert.ok(counted, metrics.split('\n').filter((l) => l.includes('deprecated')).join('\n'));
    assert.ok(Number(counted[1]) >= 2, `${counted[1]} deprecated calls counted for acme`);
    assert.doesNotMatch(metrics, /accord_deprecated_calls_total\{[^}]*consumer="\(anonymous\)"/);
  });

  it('keeps the gateway\'s lifecycle fields over an upstream\'s, and its Link beside the upstream\'s', async () => {
    upstream.respond(json(200, { items: [] }, { deprecation: '@1', sunset: 'Thu, 01 Jan 1970 00:00:00 GMT', link: '<https://docs.example/items>; rel="help"' }));
    const res = await get('/shop/v1/items');
    upstream.respond(json(200, { items: [] }));
    assert.notEqual(res.headers['deprecation'], '@1');
    assert.notEqual(res.headers['sunset'], 'Thu, 01 Jan 1970 00:00:00 GMT');
    assert.equal(res.headers['link'], '<https://docs.example/items>; rel="help", </shop/v2>; rel="successor-version"');
  });

  it('answers 410 VERSION_RETIRED naming the successor once the version is retired', async () => {
    const outcome = await gw.running.registry!.service.retire('shop', '1.1.0', OWNER);
    assert.equal(outcome.kind, 'changed');
    const before = upstream.received.length;
    let requestsServed = 0;
    let res: RawResponse | undefined;
    // 1.0.0 is the highest of major 1 that is not retired: the published 1.0.0 serves major 1 again, unannounced.
    assert.ok((await within(1000, async () => (res = await get('/shop/v1/items')).headers['deprecation'] === undefined)) !== undefined, 'retirement served within 1 s');
    assert.equal(res!.status, 200, 'the published 1.0.0 serves major 1 once 1.1.0 is retired');
    await gw.running.registry!.service.retire('shop', '1.0.0', OWNER);
    requestsServed = upstream.received.length - before;
    assert.ok((await within(1000, async () => {
      res = await get('/shop/v1/items');
      if (res.status === 200) requestsServed++;
      return res.status === 410;
    })) !== undefined, 'major 1 retired within 1 s');
    const problem = jsonOf(res!.text)!;
    assert.equal(problem.code, 'VERSION_RETIRED');
    assert.equal(problem.successor, '2.0.0');
    assert.equal(problem.successorPath, '/shop/v2');
    assert.equal(res!.headers['link'], '</shop/v2>; rel="successor-version"');
    assert.equal(res!.headers['content-type'], 'application/problem+json');
    assert.equal(upstream.received.length - before, requestsServed, 'a retired version sends nothing upstream');
    assert.equal((await get('/shop/v2/items')).status, 200);
  });
});

describe('automatic retirement at the sunset (injected clock)', () => {
  let upstream: TestUpstream;
  let issuer: TestIssuer;
  let gw: TestGateway;
  let now = Date.parse('2027-01-10T12:00:00Z');

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    upstream = await startUpstream(json(200, { items: [] }));
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: registryConfig(upstream.url, issuer, { autoRetire: { enabled: true, intervalSeconds: 1 } }),
      start: { now: () => now },
    });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('refuses from the sunset on, and records the retirement in the registry', async () => {
    const token = await issuer.token({ client_id: 'acme-app', scope: 'items:read' });
    const get = (): Promise<RawResponse> => rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}` } });
    const service = gw.running.registry!.service;
    assert.equal((await service.deprecate('shop', '1.0.0', { sunset: '2027-01-11T00:00:00Z' }, OWNER)).kind, 'changed');
    let res: RawResponse | undefined;
    assert.ok((await within(1000, async () => (res = await get()).headers['sunset'] !== undefined)) !== undefined);
    assert.equal(res!.status, 200);
    assert.equal(res!.headers['sunset'], 'Mon, 11 Jan 2027 00:00:00 GMT');
    // One second before the sunset it is served; at the sunset it is refused, before any timer ran.
    now = Date.parse('2027-01-10T23:59:59Z');
    assert.equal((await get()).status, 200);
    now = Date.parse('2027-01-11T00:00:00Z');
    res = await get();
    assert.equal(res.status, 410);
    assert.equal(jsonOf(res.text)!.code, 'VERSION_RETIRED');
    // The timer (every second) records the retirement, by the sunset, in the registry and its audit.
    assert.ok((await within(3000, async () => (await service.show('shop', '1.0.0'))!.record.status === 'retired')) !== undefined, 'retired in the registry');
    const audit = await service.audit({ limit: 10, api: 'shop' });
    const last = audit.entries.at(-1)!;
    assert.deepEqual([last.action, last.trigger, `${last.actor.provider}/${last.actor.subject}`], ['retire', 'sunset', 'accord/sunset']);
    assert.equal((await get()).status, 410);
  });
});

describe('the import on start keeps the registry the truth', () => {
  it('registers nothing governance rejects, and serves the registered version over a changed file', async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    const upstream = await startUpstream(json(200, { items: [] }));
    const base = mkdtempSync(join(tmpdir(), 'accord-import-'));
    const contractsDir = join(base, 'contracts');
    const dataDir = join(base, 'data');
    mkdirSync(join(contractsDir, 'shop'), { recursive: true });
    writeFileSync(join(contractsDir, 'shop', '1.0.0.yaml'), readFileSync(SHOP_V1, 'utf8'));
    const config = { ...registryConfig(upstream.url, issuer), contractsDir };
    try {
      await (await startTestGateway({ contracts: {}, config, dataDir })).stop();
      // 1.1.0 removes an operation (breaking without a major bump): governance refuses it.
      const breaking = minor('1.1.0').replace(/\n {4}post:[\s\S]*?(?=\n {2}\/)/, '\n');
      assert.notEqual(breaking, minor('1.1.0'), 'the fixture edit removed the POST operation');
      writeFileSync(join(contractsDir, 'shop', '1.1.0.yaml'), breaking);
      // The 1.0.0 file changed after registration: published versions are immutable.
      writeFileSync(join(contractsDir, 'shop', '1.0.0.yaml'), readFileSync(SHOP_V1, 'utf8').replace('title: Shop', 'title: Shop (edited)'));
      const gw = await startTestGateway({ contracts: {}, config, dataDir });
      try {
        const [summary] = await gw.running.registry!.service.list('shop');
        assert.deepEqual(summary!.versions.map((v) => v.version), ['1.0.0']);
        assert.ok(gw.logs.some((l) => l.msg === 'registry import: governance rejected the file; not registered' && l.version === '1.1.0'));
        assert.ok(gw.logs.some((l) => String(l.msg).startsWith('registry import: the file differs') && l.version === '1.0.0'));
        const token = await issuer.token({ client_id: 'acme-app', scope: 'items:read' });
        assert.equal((await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}` } })).status, 200);
      } finally {
        await gw.stop();
      }
    } finally {
      await upstream.close();
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('a registered version this build cannot serve', () => {
  it('is left out of the table, loudly, and does not stop the gateway from starting', async () => {
    const issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    const upstream = await startUpstream(json(200, { items: [] }));
    const base = mkdtempSync(join(tmpdir(), 'accord-unservable-'));
    const dataDir = join(base, 'data');
    const config = registryConfig(upstream.url, issuer);
    try {
      const gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config, dataDir });
      try {
        // Written past registration (an older build's record): a pattern the gateway cannot evaluate in linear time.
        const text = SHOP_V2_TEXT.replace('schema: { type: string, enum: [active, archived] }', () => "schema: { type: string, pattern: '^(?=a)[a-z]+$' }");
        assert.notEqual(text, SHOP_V2_TEXT);
        const at = new Date().toISOString();
        const put = await gw.running.registry!.service.store.put(
          { api: 'shop', version: '2.0.0', status: 'published', digest: 'sha256:unservable', format: 'yaml', publishedAt: at },
          text,
          { at, actor: OWNER, action: 'register', api: 'shop', version: '2.0.0' },
        );
        assert.equal(put.kind, 'created');
        assert.ok((await within(1000, async () => gw.logs.some((l) => l.msg === 'registered version not served: its contract cannot be compiled' && l.version === '2.0.0'))) !== undefined);
        const token = await issuer.token({ client_id: 'acme-app', scope: 'items:read' });
        assert.equal((await rawRequest(gw.url, 'GET', '/shop/v1/items', { headers: { authorization: `Bearer ${token}` } })).status, 200);
        assert.equal((await rawRequest(gw.url, 'GET', '/shop/v2/items', { headers: { authorization: `Bearer ${token}` } })).status, 404);
        assert.match(await scrapeMetrics(gw, issuer), /^accord_registry_unservable_versions_total\{api="shop",version="2\.0\.0"\} [1-9]/m);
      } finally {
        await gw.stop();
      }
      // A restart on the same registry starts, and serves what it can.
      const again = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config, dataDir });
      await again.stop();
    } finally {
      await upstream.close();
      rmSync(base, { recursive: true, force: true });
    }
  });
});
