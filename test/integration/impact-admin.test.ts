/**
 * `GET|POST /admin/apis/{api}/impact` on a real gateway after scripted traffic from three declared
 * consumers (usage in memory, registry on file): each proposal names exactly the consumers it
 * affects with the right evidence; ownership, bad input and a missing usage recorder are refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { startAdminRegistry } from '../support/admin-registry.js';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import { ORDERS_BASE_FILE, NARROW_REASON, REMOVE_RESPONSE_NOTE, REMOVE_STATUS_PARAMETER, REQUIRE_NOTE } from '../support/impact-proposals.js';
import { impactConfig, impactUpstream, playImpactScript } from '../support/impact-scenario.js';
import type { ImpactChange, ImpactReport } from '../../src/impact/index.js';
import { Redis } from 'ioredis';
import { REDIS_URL, redisSkip, uniqueName } from '../support/services.js';

const evidence = (change: ImpactChange | undefined): Record<string, string> => Object.fromEntries((change?.consumers ?? []).map((c) => [c.id, c.evidence]));

describe('impact over the admin API, after scripted traffic', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let tokens: { admin: string; owner: string; otherOwner: string; stranger: string };

  const propose = async (document: string, options: { token?: string; query?: string; contentType?: string } = {}) =>
    rawRequest(gw.adminUrl!, 'POST', `/admin/apis/orders/impact?${options.query ?? 'base=1.0.0&window=30d'}`, {
      headers: { authorization: `Bearer ${options.token ?? tokens.owner}`, 'content-type': options.contentType ?? 'application/yaml' },
      body: document,
    });
  const report = async (document: string): Promise<ImpactReport> => {
    const res = await propose(document);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/json');
    return JSON.parse(res.text) as ImpactReport;
  };

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(impactUpstream);
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_BASE_FILE }, config: impactConfig(issuer, upstream.url) });
    tokens = {
      admin: await issuer.token({ client_id: 'ops', scope: 'accord:admin' }),
      owner: await issuer.token({ client_id: 'orders-team', scope: 'orders:read' }),
      otherOwner: await issuer.token({ client_id: 'payments-team', scope: '' }),
      stranger: await issuer.token({ client_id: 'someone', scope: 'orders:read' }),
    };
    await playImpactScript(gw, issuer);
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
  });

  it('removing the optional query parameter: acme (field), initech (none), globex not listed', async () => {
    const r = await report(REMOVE_STATUS_PARAMETER);
    const change = r.changes.find((c) => c.id === 'request-parameter-removed');
    assert.ok(change, r.changes.map((c) => c.id).join(', '));
    assert.equal(change.operation, 'GET /orders');
    assert.equal(change.field, 'query:status');
    assert.deepEqual(evidence(change), { acme: 'field', initech: 'none' });
    const acme = change.consumers[0]!;
    assert.equal(acme.calls, 2);
    assert.equal(acme.contact, 'api-team@acme.example');
    assert.ok(Date.parse(acme.firstSeen) <= Date.parse(acme.lastSeen));
    assert.equal(r.revision, '1.1.0');
    assert.deepEqual({ days: r.coverage.days, requests: r.coverage.requests, overflowed: r.coverage.overflowed }, { days: 1, requests: 7, overflowed: false });
    assert.equal(r.breaking, false, 'request-parameter-removed is possibly breaking (warn), not breaking');
  });

  it('making the body field required: acme, which places orders without it (field); globex sends it (none)', async () => {
    const r = await report(REQUIRE_NOTE);
    const change = r.changes.find((c) => c.id === 'request-property-became-required');
    assert.ok(change);
    assert.equal(change.field, 'body:/note');
    assert.deepEqual(evidence(change), { acme: 'field', globex: 'none' });
    assert.equal(change.consumers.find((c) => c.id === 'globex')!.calls, 2);
    assert.equal(r.breaking, true);
  });

  it('removing a response property: operation evidence for every caller of each operation', async () => {
    const r = await report(REMOVE_RESPONSE_NOTE);
    const byOperation = Object.fromEntries(r.changes.filter((c) => c.id === 'response-optional-property-removed').map((c) => [c.operation, evidence(c)]));
    assert.deepEqual(byOperation, {
      'GET /orders': { acme: 'operation', initech: 'operation' },
      'POST /orders': { acme: 'operation', globex: 'operation' },
      'GET /orders/{orderId}': { initech: 'operation' },
      'POST /orders/{orderId}/cancellation': {},
    });
    assert.match(r.changes[0]!.note ?? '', /not which response fields it reads/);
  });

  it('narrowing an enum no one sends: no consumer listed', async () => {
    const r = await report(NARROW_REASON);
    const changes = r.changes.filter((c) => c.id === 'request-property-enum-value-removed');
    assert.equal(changes.length, 2);
    for (const c of changes) assert.deepEqual(c.consumers, []);
    assert.equal(r.breaking, false);
  });

  it('compares two registered versions with GET', async () => {
    const registered = await gw.running.registry!.service.register({ api: 'orders', document: REMOVE_STATUS_PARAMETER, actor: { provider: 'test', subject: 'orders-team' } });
    assert.ok(registered.kind === 'created' || registered.kind === 'rejected', registered.kind);
    if (registered.kind === 'rejected') return assert.fail('governance rejected the minor version');
    const res = await rawRequest(gw.adminUrl!, 'GET', '/admin/apis/orders/impact?base=1.0.0&revision=1.1.0', { headers: { authorization: `Bearer ${tokens.admin}` } });
    assert.equal(res.status, 200, res.text);
    const r = JSON.parse(res.text) as ImpactReport;
    assert.deepEqual(evidence(r.changes.find((c) => c.id === 'request-parameter-removed')), { acme: 'field', initech: 'none' });
    assert.equal(r.window.days, 30);
  });

  const refusals: Array<{ name: string; send: () => Promise<{ status: number; text: string }>; status: number; code: string; pointer?: string }> = [
    { name: 'the owner of another API', send: () => propose(REQUIRE_NOTE, { token: tokens.otherOwner }), status: 403, code: 'API_NOT_OWNED' },
    { name: 'a GET by the owner of another API', send: () => rawRequest(gw.adminUrl!, 'GET', '/admin/apis/orders/impact?base=1.0.0&revision=1.0.0', { headers: { authorization: `Bearer ${tokens.otherOwner}` } }), status: 403, code: 'API_NOT_OWNED' },
    { name: 'a caller that owns nothing and lacks the admin scope', send: () => propose(REQUIRE_NOTE, { token: tokens.stranger }), status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'no token', send: () => rawRequest(gw.adminUrl!, 'GET', '/admin/apis/orders/impact?base=1.0.0&revision=1.0.0'), status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'an unknown base', send: () => propose(REQUIRE_NOTE, { query: 'base=9.0.0' }), status: 404, code: 'VERSION_NOT_FOUND' },
    { name: 'a bad window', send: () => propose(REQUIRE_NOTE, { query: 'base=1.0.0&window=4w' }), status: 400, code: 'REQUEST_INVALID', pointer: '/query/window' },
    { name: 'no base', send: () => propose(REQUIRE_NOTE, { query: 'window=30d' }), status: 400, code: 'REQUEST_INVALID', pointer: '/query/base' },
    { name: 'GET without a revision', send: () => rawRequest(gw.adminUrl!, 'GET', '/admin/apis/orders/impact?base=1.0.0', { headers: { authorization: `Bearer ${tokens.owner}` } }), status: 400, code: 'REQUEST_INVALID', pointer: '/query/revision' },
    { name: 'a document that is not OpenAPI', send: () => propose('just: text\n'), status: 400, code: 'CONTRACT_UNUSABLE' },
    { name: 'a document of another media type', send: () => propose(REQUIRE_NOTE, { contentType: 'text/plain' }), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  ];
  for (const c of refusals) {
    it(`refuses ${c.name}: ${c.status} ${c.code}`, async () => {
      const res = await c.send();
      assert.equal(res.status, c.status, res.text);
      const problem = JSON.parse(res.text) as { code: string; errors?: Array<{ pointer: string }> };
      assert.equal(problem.code, c.code);
      if (c.pointer) assert.ok(problem.errors?.some((e) => e.pointer === c.pointer), res.text);
    });
  }
});

describe('impact with usage records in Redis', { skip: await redisSkip() }, () => {
  const keyPrefix = `${uniqueName('accord_test_impact')}:`;
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let owner: string;

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(impactUpstream);
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_BASE_FILE }, config: impactConfig(issuer, upstream.url, { store: 'redis', redis: { keyPrefix } }) });
    owner = await issuer.token({ client_id: 'orders-team', scope: 'orders:read' });
    await playImpactScript(gw, issuer);
  });
  after(async () => {
    await gw?.stop();
    await upstream?.close();
    const client = new Redis(REDIS_URL);
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  const cases = [
    { name: 'the removed query parameter', document: REMOVE_STATUS_PARAMETER, id: 'request-parameter-removed', evidence: { acme: 'field', initech: 'none' } },
    { name: 'the field made required', document: REQUIRE_NOTE, id: 'request-property-became-required', evidence: { acme: 'field', globex: 'none' } },
  ];
  for (const c of cases) {
    it(`names the same consumers for ${c.name}`, async () => {
      const res = await rawRequest(gw.adminUrl!, 'POST', '/admin/apis/orders/impact?base=1.0.0', { headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/yaml' }, body: c.document });
      assert.equal(res.status, 200, res.text);
      const r = JSON.parse(res.text) as ImpactReport;
      assert.deepEqual(evidence(r.changes.find((x) => x.id === c.id)), c.evidence);
      assert.equal(r.coverage.requests, 7);
    });
  }
});

describe('impact without usage records', () => {
  it('answers 503 SERVICE_UNAVAILABLE naming usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-impact-'));
    const fx = await startAdminRegistry(new FileRegistryStore(dir));
    try {
      const res = await fx.call('GET', '/admin/apis/orders/impact?base=1.0.0&revision=1.1.0');
      assert.equal(res.status, 503, res.text);
      const problem = JSON.parse(res.text) as { code: string; detail: string };
      assert.equal(problem.code, 'SERVICE_UNAVAILABLE');
      assert.match(problem.detail, /usage/);
    } finally {
      await fx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
