/**
 * The shipped monitoring (docs/monitoring: Prometheus rules and the Grafana dashboard) against a real
 * gateway. Every expression parses with Prometheus's own grammar, every alert names a runbook
 * section that exists, and after a scripted run (upstream on loopback, TLS listener, several
 * consumers, refusals of several codes, a rate-limit hit, a quota hit, request- and
 * response-validation failures, a breaker opening, a reload failure) every series a panel or rule
 * selects exists with the labels it matches and groups by. The request metrics hold exact values.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { createTestCa, type IssuedCertificate } from '../support/test-pki.js';
import { tlsRequest, type TlsResponse } from '../support/tls-request.js';
import { freePort } from '../support/free-port.js';
import { parseQuery, type LabelMatch, type Selector } from '../support/promql-selectors.js';
import { parseExposition, sampleValue, type Sample } from '../support/prometheus-text.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MONITORING = join(ROOT, 'docs', 'monitoring');
const SHOP = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const rules = (parse(readFileSync(join(MONITORING, 'accord-rules.yaml'), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }).groups.flatMap((g) => g.rules);
const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}
const dashboard = JSON.parse(readFileSync(join(MONITORING, 'accord-dashboard.json'), 'utf8')) as { panels: Panel[]; templating: { list: Array<{ name: string; query?: { query: string } }> } };

/** Grafana's variables as a query sees them once substituted (all APIs, a 5-minute rate window). */
const substitute = (expr: string): string => expr.replaceAll('$__rate_interval', '5m').replaceAll('$api', '.*');

/** Every expression shipped: where it comes from and its text. */
const expressions: Array<{ where: string; expr: string }> = [
  ...rules.map((r) => ({ where: `rule ${r.alert ?? r.record}`, expr: r.expr })),
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t, i) => ({ where: `panel "${p.title}" target ${i}`, expr: substitute(t.expr) }))),
];

function matches(m: LabelMatch, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

/** Why no sample satisfies a selector (undefined when one does). */
function missing(samples: readonly Sample[], s: Selector): string | undefined {
  const named = samples.filter((x) => x.name === s.metric);
  if (named.length === 0) return `no series named ${s.metric}`;
  const needed = [...new Set([...s.matchers.filter((m) => !(m.op === '=' && m.value === '')).map((m) => m.name), ...s.groupedBy])];
  const fit = named.filter((x) => needed.every((l) => l in x.labels) && s.matchers.every((m) => matches(m, x.labels[m.name])));
  if (fit.length > 0) return undefined;
  return `no series of ${s.metric} with labels ${needed.join(', ')} matching ${s.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ')}`;
}

describe('shipped monitoring: rules and dashboard', () => {
  it('has the expressions it is meant to have', () => {
    assert.equal(rules.filter((r) => r.alert).length, 15);
    assert.equal(rules.filter((r) => r.record).length, 14);
    assert.equal(dashboard.panels.filter((p) => p.type !== 'row').length, 26);
  });

  for (const { where, expr } of expressions) {
    it(`${where} parses as PromQL and selects only accord metrics`, () => {
      const parsed = parseQuery(expr);
      assert.deepEqual(parsed.errors, [], expr);
      assert.ok(parsed.selectors.length > 0, 'selects something');
      for (const s of parsed.selectors) {
        if (s.metric.includes(':')) assert.ok(recorded.has(s.metric), `${s.metric} is recorded by a rule`);
        else assert.match(s.metric, /^accord_/);
      }
    });
  }

  it('every alert has a severity, a summary and a runbook section that exists', () => {
    const runbook = readFileSync(join(ROOT, 'docs', 'runbook.md'), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
    for (const rule of rules.filter((r) => r.alert)) {
      assert.match(rule.labels?.severity ?? '', /^(critical|warning|info)$/, rule.alert);
      assert.ok(rule.annotations?.summary, `${rule.alert} has a summary`);
      const url = rule.annotations?.runbook_url ?? '';
      const m = /^\.\.\/runbook\.md#([a-z0-9-]+)$/.exec(url);
      assert.ok(m, `${rule.alert}: runbook_url ${url} is a section of docs/runbook.md`);
      assert.ok(anchors.has(m[1]!), `${rule.alert}: docs/runbook.md has a section #${m[1]}`);
    }
  });

  it('the API variable lists the values of a label that exists', () => {
    const api = dashboard.templating.list.find((v) => v.name === 'api');
    assert.equal(api?.query?.query, 'label_values(accord_requests_total, api)');
  });
});

describe('shipped monitoring against a scripted run', () => {
  let issuer: TestIssuer;
  let up: TestUpstream;
  let gw: TestGateway;
  let certs: { dir: string; ca: IssuedCertificate; server: IssuedCertificate };
  let samples: Sample[];
  let text: string;
  const tokens: Record<string, string> = {};
  let closedTarget = '';
  const statuses: Array<[string, number, string | undefined]> = [];

  const call = async (name: string, path: string, consumer?: string): Promise<TlsResponse> => {
    const headers: Record<string, string> = consumer ? { authorization: `Bearer ${tokens[consumer]}` } : {};
    const res = await tlsRequest(gw.url, path, { ca: certs.ca.certPem, headers });
    statuses.push([name, res.status, res.json?.code as string | undefined]);
    return res;
  };

  before(async () => {
    const ca = createTestCa();
    const server = ca.issue({ commonName: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], server: true, notAfterDays: 20 });
    const dir = mkdtempSync(join(tmpdir(), 'accord-monitoring-'));
    writeFileSync(join(dir, 'server.key'), server.keyPem);
    writeFileSync(join(dir, 'server.crt'), server.certPem);
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    certs = { dir, ca, server };
    issuer = await createTestIssuer();
    for (const id of ['acme', 'globex', 'initech']) tokens[id] = await issuer.token({ client_id: id, scope: 'items:read' });
    up = await startUpstream((req, res) => (req.url.startsWith('/items?') || req.url === '/items' ? json(200, { count: 1 }) : json(200, { id: 'item-1', name: 'n', price: 1 }))(req, res));
    const closed = await freePort();
    closedTarget = `http://127.0.0.1:${closed}`;
    const entitlements = [{ api: 'shop' }, { api: 'flaky' }];
    const consumer = (id: string, plan?: string) => ({ id, plan, identities: [{ provider: 'test', claim: id }], entitlements });
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP, 'flaky/1.0.0': SHOP },
      config: {
        listen: { host: '127.0.0.1', port: 0, tls: { key: join(dir, 'server.key'), cert: join(dir, 'server.crt'), ca: join(dir, 'ca.crt') } },
        identityProviders: [issuer.provider()],
        admin: { auth: { providers: ['test'] } },
        metrics: { consumers: { top: 2 } },
        plans: [
          { id: 'tight', rate: { limit: 1, per: 'minute' } },
          { id: 'capped', quota: { limit: 1, per: 'day' } },
        ],
        consumers: [consumer('acme'), consumer('globex', 'tight'), consumer('initech', 'capped')],
        apis: [
          { id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0' }], upstream: { url: up.url }, auth: { providers: ['test'] }, responseValidation: 'report', rateLimit: { points: 100, windowSeconds: 60 } },
          {
            id: 'flaky',
            basePath: '/flaky',
            versions: [{ version: '1.0.0' }],
            upstream: { url: `http://127.0.0.1:${closed}`, retries: { attempts: 1, backoffBaseMs: 0 }, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 600000 }, outlierDetection: {} },
            auth: { providers: ['test'] },
          },
        ],
      },
    });
    await call('acme 1', '/shop/v1/items/item-1', 'acme');
    await call('acme 2', '/shop/v1/items/item-1', 'acme');
    await call('globex 1', '/shop/v1/items/item-1', 'globex');
    await call('globex over its rate', '/shop/v1/items/item-1', 'globex');
    await call('initech 1', '/shop/v1/items/item-1', 'initech');
    await call('initech over its quota', '/shop/v1/items/item-1', 'initech');
    await call('no token', '/shop/v1/items/item-1');
    await call('no route', '/nowhere');
    await call('query out of range', '/shop/v1/items?limit=0', 'acme');
    await call('drifted response', '/shop/v1/items', 'acme');
    await call('upstream down', '/flaky/v1/items/item-1', 'acme');
    await call('circuit open', '/flaky/v1/items/item-1', 'acme');
    const file = join(gw.dir, 'policies', 'gateway.yaml');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('top: 2', 'top: -1'));
    assert.equal(await gw.running.reload(), false, 'the bad configuration is rejected');
    writeFileSync(file, good);
    text = await scrapeMetrics(gw, issuer);
    samples = parseExposition(text);
  });

  after(async () => {
    await gw?.stop();
    await up?.close();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('the scripted requests got the answers the run is built on', () => {
    assert.deepEqual(statuses, [
      ['acme 1', 200, undefined],
      ['acme 2', 200, undefined],
      ['globex 1', 200, undefined],
      ['globex over its rate', 429, 'RATE_LIMITED'],
      ['initech 1', 200, undefined],
      ['initech over its quota', 429, 'QUOTA_EXCEEDED'],
      ['no token', 401, 'AUTH_TOKEN_MISSING'],
      ['no route', 404, 'ROUTE_NOT_FOUND'],
      ['query out of range', 400, 'REQUEST_INVALID'],
      ['drifted response', 200, undefined],
      ['upstream down', 502, 'UPSTREAM_UNAVAILABLE'],
      ['circuit open', 503, 'UPSTREAM_UNAVAILABLE'],
    ]);
  });

  for (const { where, expr } of expressions) {
    it(`${where}: every series it selects exists`, () => {
      for (const selector of parseQuery(expr).selectors) {
        if (recorded.has(selector.metric)) continue;
        assert.equal(missing(samples, selector), undefined, `${where}: ${expr}`);
      }
    });
  }

  const requestCounts: Array<{ name: string; labels: Record<string, string>; value: number }> = [
    { name: 'acme: two items, one refused query, one drifted list', labels: { api: 'shop', version: '1.0.0', operation: 'getItem', consumer: 'acme', status_class: '2xx' }, value: 2 },
    { name: 'acme: the refused query', labels: { api: 'shop', version: '1.0.0', operation: 'listItems', consumer: 'acme', status_class: '4xx' }, value: 1 },
    { name: 'acme: the drifted list (report mode relays it)', labels: { api: 'shop', version: '1.0.0', operation: 'listItems', consumer: 'acme', status_class: '2xx' }, value: 1 },
    { name: 'globex keeps the second slot', labels: { api: 'shop', version: '1.0.0', operation: 'getItem', consumer: 'globex', status_class: '2xx' }, value: 1 },
    { name: 'globex rate-limited', labels: { api: 'shop', version: '1.0.0', operation: 'getItem', consumer: 'globex', status_class: '4xx' }, value: 1 },
    { name: 'initech, beyond the top 2, is (other)', labels: { api: 'shop', version: '1.0.0', operation: 'getItem', consumer: '(other)', status_class: '2xx' }, value: 1 },
    { name: 'initech over quota is (other) too', labels: { api: 'shop', version: '1.0.0', operation: 'getItem', consumer: '(other)', status_class: '4xx' }, value: 1 },
    { name: 'no token: (anonymous)', labels: { api: 'shop', version: '1.0.0', operation: 'getItem', consumer: '(anonymous)', status_class: '4xx' }, value: 1 },
    { name: 'no route: no API, no operation', labels: { api: '', version: '', operation: '', consumer: '(anonymous)', status_class: '4xx' }, value: 1 },
    { name: 'flaky: 502 then 503', labels: { api: 'flaky', version: '1.0.0', operation: 'getItem', consumer: 'acme', status_class: '5xx' }, value: 2 },
  ];
  for (const c of requestCounts) {
    it(`accord_requests_total: ${c.name}`, () => {
      assert.equal(sampleValue(samples, 'accord_requests_total', c.labels), c.value);
      assert.equal(sampleValue(samples, 'accord_request_duration_seconds_count', c.labels), c.value);
    });
  }

  it('initech has no series of its own', () => {
    assert.equal(samples.filter((s) => s.labels.consumer === 'initech').length, 0);
  });

  const counters: Array<{ name: string; metric: string; labels: Record<string, string>; value: number }> = [
    { name: 'rate-limit hit', metric: 'accord_rejections_total', labels: { api: 'shop', version: '1.0.0', code: 'RATE_LIMITED' }, value: 1 },
    { name: 'quota hit', metric: 'accord_rejections_total', labels: { api: 'shop', version: '1.0.0', code: 'QUOTA_EXCEEDED' }, value: 1 },
    { name: 'missing token', metric: 'accord_rejections_total', labels: { api: 'shop', version: '1.0.0', code: 'AUTH_TOKEN_MISSING' }, value: 1 },
    { name: 'no route', metric: 'accord_rejections_total', labels: { api: '', version: '', code: 'ROUTE_NOT_FOUND' }, value: 1 },
    { name: 'invalid request', metric: 'accord_rejections_total', labels: { api: 'shop', version: '1.0.0', code: 'REQUEST_INVALID' }, value: 1 },
    { name: 'upstream unavailable (connect failure, then open circuit)', metric: 'accord_rejections_total', labels: { api: 'flaky', version: '1.0.0', code: 'UPSTREAM_UNAVAILABLE' }, value: 2 },
    { name: 'rate policy', metric: 'accord_limit_rejections_total', labels: { api: 'shop', policy: 'rate' }, value: 1 },
    { name: 'quota policy', metric: 'accord_limit_rejections_total', labels: { api: 'shop', policy: 'quota' }, value: 1 },
    { name: 'request validation by kind', metric: 'accord_request_validation_failures_total', labels: { api: 'shop', version: '1.0.0', operation: 'listItems', kind: 'query' }, value: 1 },
    { name: 'response drift by kind', metric: 'accord_response_contract_violations_total', labels: { api: 'shop', version: '1.0.0', operation: 'listItems', mode: 'report', kind: 'body-schema' }, value: 1 },
    { name: 'the connect failure retried once', metric: 'accord_upstream_retries_total', labels: { api: 'flaky', version: '1.0.0', reason: 'connect-failure' }, value: 1 },
    { name: 'both attempts failed to connect', metric: 'accord_upstream_attempts_total', labels: { api: 'flaky', version: '1.0.0', target: '%CLOSED%', outcome: 'connect-failure' }, value: 2 },
    { name: 'TLS files in service: no reload failed', metric: 'accord_tls_reloads_total', labels: { kind: 'listener', outcome: 'failure' }, value: 0 },
    { name: 'circuit refused at once', metric: 'accord_upstream_unavailable_total', labels: { api: 'flaky', version: '1.0.0', reason: 'circuit-open' }, value: 1 },
    { name: 'reload rejected', metric: 'accord_config_reloads_total', labels: { outcome: 'rejected' }, value: 1 },
    { name: 'no reload succeeded', metric: 'accord_config_reloads_total', labels: { outcome: 'success' }, value: 0 },
    { name: 'upstream latency of every relayed answer', metric: 'accord_upstream_duration_seconds_count', labels: { api: 'shop', version: '1.0.0' }, value: 5 },
  ];
  for (const c of counters) {
    it(`${c.metric}: ${c.name}`, () => {
      const labels = Object.fromEntries(Object.entries(c.labels).map(([k, v]) => [k, v.replace('%CLOSED%', closedTarget)]));
      assert.equal(sampleValue(samples, c.metric, labels), c.value);
    });
  }

  it('the circuit of the dead target is open, and the listener certificate expiry is its notAfter', () => {
    const target = samples.find((s) => s.name === 'accord_upstream_circuit_state' && s.labels.api === 'flaky');
    assert.equal(target?.value, 1);
    const notAfter = Date.parse(new X509Certificate(certs.server.certPem).validTo) / 1000;
    assert.equal(sampleValue(samples, 'accord_tls_certificate_expiry_timestamp_seconds', { kind: 'listener' }), notAfter);
  });
});
