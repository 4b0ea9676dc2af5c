/**
 * The usage-aware registration gate over the admin API (`registry.governance.breakingChanges:
 * block-if-used`) on a real gateway after scripted traffic from three consumers, with usage in
 * memory and in Redis (and the registry's audit log in PostgreSQL): a breaking change within the
 * major that no one used is published (the impact report in its audit entry), one a consumer used
 * is refused with 422 naming it, one the records cannot judge (too few days covered) is refused
 * as unproven. The window ends on an injected clock: the traffic is made on one day, the
 * registrations a month later.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';
import { NARROW_REASON, ORDERS_BASE_FILE, REQUIRE_NOTE } from '../support/impact-proposals.js';
import { impactConfig, impactUpstream, playImpactScript } from '../support/impact-scenario.js';
import pg from 'pg';
import { DATABASE_URL, REDIS_URL, postgresSkip, redisSkip, uniqueName } from '../support/services.js';
import type { AuditEntry } from '../../src/registry/model.js';

const DAY_MS = 86_400_000;
/** The day of the scripted traffic. */
const TRAFFIC_AT = Date.parse('2026-10-01T12:00:00.000Z');

/** A document at another version. */
const atVersion = (text: string, version: string): string => text.replace('  version: 1.1.0\n', `  version: ${version}\n`);

interface Problem {
  code: string;
  detail: string;
  consumers: Array<{ id: string; contact?: string; changes: Array<{ id: string; operation: string; field?: string; calls: number; share: number; evidence: string }> }>;
  reasons: string[];
  coverage: { days: number; requests: number; overflowed: boolean };
  findings: Array<{ id: string; severity: string; message: string }>;
}

/** The gateway config of the scenario with a governance policy (`registry`: more registry settings, e.g. the store). */
function gateConfig(issuer: TestIssuer, upstreamUrl: string, usage: Record<string, unknown> = {}, registry: Record<string, unknown> = {}): Record<string, unknown> {
  const config = impactConfig(issuer, upstreamUrl, usage);
  return { ...config, registry: { enabled: true, ...registry, governance: { breakingChanges: { mode: 'block-if-used', window: '30d', minRequests: 5 } } } };
}

/** A running scenario: the gateway, its clock, an owner's token. */
interface Scenario {
  gw: TestGateway;
  issuer: TestIssuer;
  upstream: TestUpstream;
  owner: string;
  setNow(ms: number): void;
}

async function startScenario(usage: Record<string, unknown> = {}, registry: Record<string, unknown> = {}): Promise<Scenario> {
  let now = TRAFFIC_AT;
  const issuer = await createTestIssuer('https://issuer.test', 'orders-api');
  const upstream = await startUpstream(impactUpstream);
  const gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_BASE_FILE }, config: gateConfig(issuer, upstream.url, usage, registry), start: { now: () => now } });
  await playImpactScript(gw, issuer);
  // Flushed on the day of the traffic: the counts belong to that day.
  await gw.running.usage!.flush();
  return { gw, issuer, upstream, owner: await issuer.token({ client_id: 'orders-team', scope: 'orders:read' }), setNow: (ms) => (now = ms) };
}

function register(s: Scenario, document: string): Promise<{ status: number; text: string }> {
  return rawRequest(s.gw.adminUrl!, 'POST', '/admin/apis/orders/versions', { headers: { authorization: `Bearer ${s.owner}`, 'content-type': 'application/yaml' }, body: document });
}

async function lastAudit(s: Scenario): Promise<AuditEntry> {
  const res = await rawRequest(s.gw.adminUrl!, 'GET', '/admin/audit?api=orders&limit=500', { headers: { authorization: `Bearer ${s.owner}` } });
  assert.equal(res.status, 200, res.text);
  const entries = (JSON.parse(res.text) as { entries: AuditEntry[] }).entries;
  return entries[entries.length - 1]!;
}

/** The scenarios every usage store must pass, in order (each registration builds on the previous). */
function gateScenarios(get: () => Scenario): void {
  it('refuses a breaking change acme used: 422 BREAKING_CHANGE_IN_USE naming acme with field evidence and its share', async () => {
    const s = get();
    s.setNow(TRAFFIC_AT + 29 * DAY_MS);
    const res = await register(s, REQUIRE_NOTE);
    assert.equal(res.status, 422, res.text);
    const problem = JSON.parse(res.text) as Problem;
    assert.equal(problem.code, 'BREAKING_CHANGE_IN_USE');
    assert.deepEqual(
      problem.consumers.map((c) => ({ id: c.id, contact: c.contact, changes: c.changes.map((u) => ({ id: u.id, operation: u.operation, field: u.field, calls: u.calls, share: u.share, evidence: u.evidence })) })),
      [{ id: 'acme', contact: 'api-team@acme.example', changes: [{ id: 'request-property-became-required', operation: 'POST /orders', field: 'body:/note', calls: 1, share: 1 / 3, evidence: 'field' }] }],
    );
    assert.deepEqual(problem.reasons, []);
    assert.deepEqual(problem.coverage, { days: 30, requests: 7, overflowed: false });
    assert.match(problem.detail, /^orders 1\.0\.0 -> 1\.1\.0: 1 breaking change within the major refused: used in the last 30 day\(s\) by acme \(field, 1 call of POST \/orders \[body:\/note\], 33\.33 %\)/);
    const inUse = problem.findings.filter((f) => f.id === 'contract-breaking-change-in-use');
    assert.equal(inUse.length, 1);
    assert.match(inUse[0]!.message, /consumer acme <api-team@acme\.example> used .*request-property-became-required at POST \/orders \[body:\/note\]: field, 1 call/);
    assert.ok(!problem.findings.some((f) => f.id === 'contract-breaking-change-without-major-bump'), 'the in-use finding replaces the major-bump one');
    const versions = await rawRequest(s.gw.adminUrl!, 'GET', '/admin/apis/orders/versions/1.1.0', { headers: { authorization: `Bearer ${s.owner}` } });
    assert.equal(versions.status, 404, 'nothing was stored');
  });

  it('refuses a breaking change no one used while the records cover less than the window: 422 BREAKING_CHANGE_UNPROVEN', async () => {
    const s = get();
    s.setNow(TRAFFIC_AT + 5 * DAY_MS);
    const res = await register(s, NARROW_REASON);
    assert.equal(res.status, 422, res.text);
    const problem = JSON.parse(res.text) as Problem;
    assert.equal(problem.code, 'BREAKING_CHANGE_UNPROVEN');
    assert.deepEqual(problem.consumers, []);
    assert.deepEqual(problem.reasons, ['the usage records of orders v1 cover 6 of the 30 day(s) the policy requires (window 30d)']);
  });

  it('accepts a breaking change no one used once the window is covered, and audits the impact report', async () => {
    const s = get();
    s.setNow(TRAFFIC_AT + 29 * DAY_MS);
    const res = await register(s, NARROW_REASON);
    assert.equal(res.status, 201, res.text);
    const body = JSON.parse(res.text) as { findings: Array<{ id: string; severity: string; message: string }> };
    // One finding per removed value (out-of-stock, fraud-suspected).
    const narrowed = body.findings.filter((f) => f.id === 'request-property-enum-value-removed');
    assert.equal(narrowed.length, 2);
    for (const f of narrowed) {
      assert.equal(f.severity, 'warn');
      assert.match(f.message, /\(accepted: no consumer used it in the last 30 day\(s\), 7 call\(s\) observed; policy block-if-used\)$/);
    }
    assert.ok(!body.findings.some((f) => f.severity === 'error'));

    const entry = await lastAudit(s);
    assert.equal(entry.version, '1.1.0');
    assert.equal(entry.at, new Date(TRAFFIC_AT + 29 * DAY_MS).toISOString());
    const impact = entry.governance?.impact;
    assert.ok(impact, JSON.stringify(entry));
    assert.equal(impact.outcome, 'accepted');
    assert.equal(impact.base, '1.0.0');
    assert.deepEqual(impact.window, { since: '2026-10-01', until: '2026-10-30', days: 30 });
    assert.deepEqual(impact.coverage, { days: 30, requests: 7, overflowed: false });
    assert.deepEqual(impact.policy, { mode: 'block-if-used', window: '30d', minRequests: 5, excludeConsumers: [], threshold: 0 });
    assert.deepEqual(impact.changes.map((c) => ({ id: c.id, operation: c.operation, consumers: c.consumers })), [
      { id: 'request-property-enum-value-removed', operation: 'POST /orders/{orderId}/cancellation', consumers: [] },
      { id: 'request-property-enum-value-removed', operation: 'POST /orders/{orderId}/cancellation', consumers: [] },
    ]);
    assert.equal(impact.omittedChanges, 0);
  });

  it('counts each decision in accord_registry_breaking_change_gate_total', async () => {
    const s = get();
    const text = await scrapeMetrics(s.gw, s.issuer);
    for (const [outcome, count] of [['in-use', 1], ['unproven', 1], ['accepted', 1]] as const) {
      assert.match(text, new RegExp(`accord_registry_breaking_change_gate_total\\{api="orders",outcome="${outcome}"\\} ${count}\\n`));
    }
    assert.ok(s.gw.logs.some((l) => l.msg === 'registry: breaking changes within the major refused by the usage gate (block-if-used)' && l.outcome === 'in-use'));
  });
}

describe('block-if-used registration gate, usage in memory', () => {
  let s: Scenario;
  before(async () => {
    s = await startScenario();
  });
  after(async () => {
    await s.gw.stop();
    await s.upstream.close();
  });
  gateScenarios(() => s);

  it('reports the same verdict on the impact endpoint (gate), over the policy window', async () => {
    s.setNow(TRAFFIC_AT + 29 * DAY_MS);
    const res = await rawRequest(s.gw.adminUrl!, 'POST', '/admin/apis/orders/impact?base=1.1.0', { headers: { authorization: `Bearer ${s.owner}`, 'content-type': 'application/yaml' }, body: atVersion(REQUIRE_NOTE, '1.2.0') });
    assert.equal(res.status, 200, res.text);
    const report = JSON.parse(res.text) as { window: { days: number }; gate: { accepted: boolean; outcome: string; consumers: Array<{ id: string }> } };
    assert.equal(report.window.days, 30);
    assert.deepEqual({ accepted: report.gate.accepted, outcome: report.gate.outcome, consumers: report.gate.consumers.map((c) => c.id) }, { accepted: false, outcome: 'in-use', consumers: ['acme'] });
  });

  it('a lint error still rejects with GOVERNANCE_REJECTED: the usage gate waives only breaking changes', async () => {
    // An unused breaking change (one more cancellation reason removed) plus a duplicate operationId.
    const narrower = atVersion(NARROW_REASON, '1.3.0').replace('enum: [customer-request, other]', 'enum: [customer-request]');
    const withLintError = narrower.replace('operationId: cancelOrder\n', 'operationId: listOrders\n');
    const res = await register(s, withLintError);
    assert.equal(res.status, 422, res.text);
    const problem = JSON.parse(res.text) as Problem;
    assert.equal(problem.code, 'GOVERNANCE_REJECTED');
    assert.ok(problem.findings.some((f) => f.id === 'request-property-enum-value-removed' && f.severity === 'error'), res.text);
    assert.ok(problem.findings.some((f) => f.id === 'contract-breaking-change-without-major-bump'), res.text);
    // Without the lint error the same change is unused, so it is published.
    const accepted = await register(s, narrower);
    assert.equal(accepted.status, 201, accepted.text);
  });

  it('an override publishes over a refusal, and the audit entry keeps the refused report', async () => {
    const res = await rawRequest(s.gw.adminUrl!, 'POST', '/admin/apis/orders/versions', {
      headers: { authorization: `Bearer ${s.owner}`, 'content-type': 'application/yaml', 'accord-override-reason': 'acme agreed to send a note from November' },
      body: atVersion(REQUIRE_NOTE, '1.4.0').replace('enum: [customer-request, out-of-stock, fraud-suspected, other]', 'enum: [customer-request]'),
    });
    assert.equal(res.status, 201, res.text);
    assert.equal((JSON.parse(res.text) as { overridden: boolean }).overridden, true);
    const entry = await lastAudit(s);
    assert.equal(entry.version, '1.4.0');
    assert.equal(entry.overrideReason, 'acme agreed to send a note from November');
    assert.equal(entry.governance?.impact?.outcome, 'in-use');
    assert.equal(entry.governance?.impact?.base, '1.3.0');
    assert.deepEqual(entry.governance?.impact?.consumers.map((c) => c.id), ['acme']);
  });
});

describe('block-if-used registration gate, usage in Redis', { skip: await redisSkip() }, () => {
  const keyPrefix = `${uniqueName('accord_test_gate')}:`;
  let s: Scenario;
  before(async () => {
    s = await startScenario({ store: 'redis', redis: { keyPrefix } });
  });
  after(async () => {
    await s?.gw.stop();
    await s?.upstream.close();
    const client = new Redis(REDIS_URL);
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });
  gateScenarios(() => s);
});

describe('block-if-used registration gate, registry and audit log in PostgreSQL', { skip: await postgresSkip() }, () => {
  const schema = uniqueName('accord_test_gate');
  let previousUrl: string | undefined;
  let s: Scenario;
  before(async () => {
    previousUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = DATABASE_URL;
    s = await startScenario({}, { store: 'postgres', postgres: { schema } });
  });
  after(async () => {
    await s?.gw.stop();
    await s?.upstream.close();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  });

  it('accepts a breaking change no one used and reads the impact report back from the audit table', async () => {
    s.setNow(TRAFFIC_AT + 29 * DAY_MS);
    const res = await register(s, NARROW_REASON);
    assert.equal(res.status, 201, res.text);
    const impact = (await lastAudit(s)).governance?.impact;
    assert.ok(impact);
    assert.deepEqual({ outcome: impact.outcome, base: impact.base, coverage: impact.coverage, changes: impact.changes.map((c) => [c.id, c.operation, c.consumers.length]) }, {
      outcome: 'accepted',
      base: '1.0.0',
      coverage: { days: 30, requests: 7, overflowed: false },
      changes: [
        ['request-property-enum-value-removed', 'POST /orders/{orderId}/cancellation', 0],
        ['request-property-enum-value-removed', 'POST /orders/{orderId}/cancellation', 0],
      ],
    });
  });

  it('refuses a breaking change acme used', async () => {
    const res = await register(s, atVersion(REQUIRE_NOTE, '1.2.0').replace('enum: [customer-request, out-of-stock, fraud-suspected, other]', 'enum: [customer-request, other]'));
    assert.equal(res.status, 422, res.text);
    const problem = JSON.parse(res.text) as Problem;
    assert.equal(problem.code, 'BREAKING_CHANGE_IN_USE');
    assert.deepEqual(problem.consumers.map((c) => c.id), ['acme']);
  });
});
