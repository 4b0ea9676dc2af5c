/**
 * Deprecation and retirement that know their consumers, on a real gateway after scripted traffic
 * (usage in memory, registry on file): the deprecations report, retirement refused with 409
 * VERSION_IN_USE and accepted when forced with a reason (audited), and signed webhooks to the
 * consumers' URLs, one receiver failing twice before it answers.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { within } from '../support/wait.js';
import { ORDERS_BASE_FILE } from '../support/impact-proposals.js';
import { impactConfig, impactUpstream, playImpactScript } from '../support/impact-scenario.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import type { DeprecationReport } from '../../src/impact/deprecations.js';
import type { AuditEntry } from '../../src/registry/model.js';

const SECRET = 'whsec-test-4f9a2c71b8e3';
const SECRET_ENV = 'ACCORD_TEST_LIFECYCLE_WEBHOOK_SECRET';

describe('lifecycle with usage: deprecations in use, retirement refusal, webhooks', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let receiver: WebhookReceiver;
  let tokens: { admin: string; owner: string; stranger: string };

  const admin = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    rawRequest(gw.adminUrl!, method, path, {
      headers: { authorization: `Bearer ${options.token ?? tokens.owner}`, ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  const lastAudit = async (): Promise<AuditEntry> => {
    const res = await admin('GET', '/admin/audit?api=orders&limit=500');
    assert.equal(res.status, 200, res.text);
    return (JSON.parse(res.text) as { entries: AuditEntry[] }).entries.at(-1)!;
  };
  const webhooksIdle = (): Promise<void> => gw.running.registry!.lifecycle.webhooksIdle();

  before(async () => {
    process.env[SECRET_ENV] = SECRET;
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(impactUpstream);
    // globex's receiver fails twice (500) before it answers.
    receiver = await startWebhookReceiver(SECRET, { '/globex': [500, 500] });
    const config = impactConfig(issuer, upstream.url);
    const consumers = config.consumers as Array<Record<string, unknown>>;
    consumers[0]!.contact = `${receiver.url}/acme`;
    consumers[1]!.contact = `${receiver.url}/globex`;
    config.registry = { enabled: true, webhooks: { enabled: true, secretEnv: SECRET_ENV, backoffMs: 1, maxBackoffMs: 2, attempts: 4 } };
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_BASE_FILE }, config });
    tokens = {
      admin: await issuer.token({ client_id: 'ops', scope: 'accord:admin' }),
      owner: await issuer.token({ client_id: 'orders-team', scope: 'orders:read' }),
      stranger: await issuer.token({ client_id: 'someone', scope: 'orders:read' }),
    };
    await playImpactScript(gw, issuer);
  });
  after(async () => {
    await gw?.stop();
    await upstream?.close();
    await receiver?.close();
    delete process.env[SECRET_ENV];
  });

  it('nothing deprecated yet: the deprecations report is empty', async () => {
    const res = await admin('GET', '/admin/impact/deprecations?api=orders');
    assert.equal(res.status, 200, res.text);
    const report = JSON.parse(res.text) as DeprecationReport;
    assert.deepEqual(report.consumers, []);
    assert.equal(report.window.days, 7);
  });

  it('retiring a version consumers called is refused: 409 VERSION_IN_USE names them', async () => {
    const res = await admin('POST', '/admin/apis/orders/versions/1.0.0/retirement');
    assert.equal(res.status, 409, res.text);
    const problem = JSON.parse(res.text) as { code: string; detail: string; windowDays: number; consumers: Array<{ consumer: string; calls: number; operations: string[] }> };
    assert.equal(problem.code, 'VERSION_IN_USE');
    assert.equal(problem.windowDays, 30);
    assert.deepEqual(problem.consumers.map((c) => [c.consumer, c.calls, c.operations]), [
      ['acme', 3, ['createOrder', 'listOrders']],
      ['globex', 2, ['createOrder']],
      ['initech', 2, ['getOrder', 'listOrders']],
    ]);
    assert.match(problem.detail, /called by 3 consumer\(s\) in the last 30 day\(s\) \(acme, globex, initech\); retire it with force and a reason/);
    const version = JSON.parse((await admin('GET', '/admin/apis/orders/versions/1.0.0')).text) as { status: string };
    assert.equal(version.status, 'published');
  });

  it('deprecating records who still calls it, and webhooks the consumers with a URL contact (globex after two failures)', async () => {
    const sunset = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const res = await admin('POST', '/admin/apis/orders/versions/1.0.0/deprecation', { body: { sunset } });
    assert.equal(res.status, 200, res.text);
    const entry = await lastAudit();
    assert.equal(entry.action, 'deprecate');
    assert.deepEqual(entry.consumers?.map((c) => c.consumer), ['acme', 'globex', 'initech']);
    await webhooksIdle();
    const deprecated = receiver.received.filter((r) => r.eventType === 'version.deprecated');
    assert.equal(deprecated.length, 4, JSON.stringify(deprecated));
    // Exact order does not matter between consumers; per consumer it does.
    assert.deepEqual(deprecated.filter((r) => r.path === '/acme').map((r) => r.answered), [200]);
    assert.deepEqual(deprecated.filter((r) => r.path === '/globex').map((r) => r.answered), [500, 500, 200]);
    assert.ok(deprecated.every((r) => r.signatureProblem === undefined), JSON.stringify(deprecated));
    const globexIds = new Set(deprecated.filter((r) => r.path === '/globex').map((r) => r.eventId));
    assert.equal(globexIds.size, 1, 'retries keep the event id');
    const body = deprecated.find((r) => r.path === '/acme')!.body;
    assert.deepEqual({ type: body.type, api: body.api, version: body.version, status: body.status, sunset: body.sunset, consumer: body.consumer, usage: { ...(body.usage as object), lastSeen: undefined } }, {
      type: 'version.deprecated', api: 'orders', version: '1.0.0', status: 'deprecated', sunset: new Date(sunset).toISOString(),
      consumer: { id: 'acme', contact: `${receiver.url}/acme` }, usage: { calls: 3, operations: ['createOrder', 'listOrders'], lastSeen: undefined },
    });
    assert.equal(body.id, deprecated.find((r) => r.path === '/acme')!.eventId);
    assert.equal(deprecated.some((r) => r.path.includes('initech')), false, 'initech has no URL contact');
    const metrics = await scrapeMetrics(gw, issuer);
    assert.match(metrics, /accord_lifecycle_webhooks_total\{event="version.deprecated",outcome="delivered"\} 2/);
    assert.match(metrics, /accord_lifecycle_webhook_attempt_failures_total\{event="version.deprecated"\} 2/);
  });

  it('the deprecations report lists, per consumer, the operations it called with calls and the sunset', async () => {
    const res = await admin('GET', '/admin/impact/deprecations?api=orders&window=7d');
    assert.equal(res.status, 200, res.text);
    const report = JSON.parse(res.text) as DeprecationReport;
    assert.deepEqual(
      report.consumers.map((c) => [c.consumer, c.contact?.replace(receiver.url, ''), c.operations.map((o) => `${o.version} ${o.operation} x${o.calls} ${o.reason} ${o.sunset ? 'sunset' : 'no-sunset'}`)]),
      [
        ['acme', '/acme', ['1.0.0 createOrder x1 version-deprecated sunset', '1.0.0 listOrders x2 version-deprecated sunset']],
        ['globex', '/globex', ['1.0.0 createOrder x2 version-deprecated sunset']],
        ['initech', undefined, ['1.0.0 getOrder x1 version-deprecated sunset', '1.0.0 listOrders x1 version-deprecated sunset']],
      ],
    );
  });

  const refusals: Array<{ name: string; path: string; token: () => string; status: number; code: string }> = [
    { name: 'an owner token without api', path: '/admin/impact/deprecations', token: () => tokens.owner, status: 403, code: 'API_NOT_OWNED' },
    { name: 'a token that owns nothing (the listener refuses it)', path: '/admin/impact/deprecations?api=orders', token: () => tokens.stranger, status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'a bad window', path: '/admin/impact/deprecations?api=orders&window=1w', token: () => tokens.owner, status: 400, code: 'REQUEST_INVALID' },
  ];
  for (const c of refusals) {
    it(`deprecations report refused: ${c.name}`, async () => {
      const res = await admin('GET', c.path, { token: c.token() });
      assert.equal(res.status, c.status, res.text);
      assert.equal((JSON.parse(res.text) as { code: string }).code, c.code);
    });
  }

  it('the admin token reads every API', async () => {
    const res = await admin('GET', '/admin/impact/deprecations', { token: tokens.admin });
    assert.equal(res.status, 200, res.text);
    assert.equal((JSON.parse(res.text) as DeprecationReport).consumers.length, 3);
  });

  it('force without a reason is refused with a pointer', async () => {
    const res = await admin('POST', '/admin/apis/orders/versions/1.0.0/retirement', { body: { force: true } });
    assert.equal(res.status, 400, res.text);
    const problem = JSON.parse(res.text) as { code: string; errors: Array<{ pointer: string }> };
    assert.equal(problem.code, 'REQUEST_INVALID');
    assert.equal(problem.errors[0]!.pointer, '/body/reason');
  });

  it('forced with a reason: retired, audited with the reason and the consumers, webhooks sent, metric counted', async () => {
    const res = await admin('POST', '/admin/apis/orders/versions/1.0.0/retirement', { body: { force: true, reason: 'security fix needs 2.x; partners told on the 1st' } });
    assert.equal(res.status, 200, res.text);
    assert.equal((JSON.parse(res.text) as { status: string }).status, 'retired');
    const entry = await lastAudit();
    assert.deepEqual([entry.action, entry.trigger, entry.overrideReason, entry.consumers?.map((c) => c.consumer)], ['retire', 'manual', 'security fix needs 2.x; partners told on the 1st', ['acme', 'globex', 'initech']]);
    await webhooksIdle();
    const retired = receiver.received.filter((r) => r.eventType === 'version.retired');
    assert.deepEqual(retired.map((r) => [r.path, r.answered, r.signatureProblem, (r.body as { trigger?: string }).trigger]).sort(), [
      ['/acme', 200, undefined, 'manual'],
      ['/globex', 200, undefined, 'manual'],
    ]);
    assert.match(await scrapeMetrics(gw, issuer), /accord_registry_retired_in_use_consumers_total\{api="orders",trigger="manual"\} 3/);
    // The gateway follows the registry's change (its routing table is rebuilt within a second).
    const token = await issuer.token({ client_id: 'acme-app', scope: 'orders:read' });
    const status = async (): Promise<number> => (await rawRequest(gw.url, 'GET', '/orders/v1/orders', { headers: { authorization: `Bearer ${token}` } })).status;
    assert.notEqual(await within(5000, async () => (await status()) === 410), undefined, 'served 410 VERSION_RETIRED within 5 s');
  });
});
