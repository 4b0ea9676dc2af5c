/**
 * `accord impact` as a user runs it, against a real gateway after scripted traffic from three
 * consumers: the right consumers and evidence in json, text and markdown, and the exit codes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { startCli, type CliResult } from '../support/cli.js';
import { NARROW_STATUS, ORDERS_BASE_FILE, REMOVE_RESPONSE_NOTE, REMOVE_STATUS_PARAMETER, REQUIRE_NOTE } from '../support/impact-proposals.js';
import { impactConfig, impactUpstream, playImpactScript } from '../support/impact-scenario.js';
import type { ImpactReport } from '../../src/impact/index.js';

/** Runs `accord ...args` without blocking this process, whose event loop serves the gateway. */
async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const { child, lines, stderr } = startCli(args, { env: { NO_COLOR: '1', ...env } });
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { status, stdout: lines.map((l) => `${l}\n`).join(''), stderr: stderr.join('') };
}

describe('accord impact', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let env: Record<string, string>;
  let dir: string;
  const files: Record<string, string> = {};

  const impact = (revision: string, ...more: string[]): Promise<CliResult> => runCli(['impact', '1.0.0', revision, '--api', 'orders', '--admin-url', gw.adminUrl!, ...more], env);

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(impactUpstream);
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_BASE_FILE }, config: impactConfig(issuer, upstream.url) });
    await playImpactScript(gw, issuer);
    env = { ACCORD_TOKEN: await issuer.token({ client_id: 'orders-team', scope: 'orders:read' }) };
    dir = mkdtempSync(join(tmpdir(), 'accord-impact-cli-'));
    for (const [name, text] of Object.entries({ removeStatus: REMOVE_STATUS_PARAMETER, requireNote: REQUIRE_NOTE, removeNote: REMOVE_RESPONSE_NOTE, narrowStatus: NARROW_STATUS })) {
      files[name] = join(dir, `${name}.yaml`);
      writeFileSync(files[name], text);
    }
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a required field the consumer does not send: json names acme (field) and globex (none); exit 1', async () => {
    const result = await impact(files.requireNote!, '--format', 'json');
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as ImpactReport;
    assert.equal(report.breaking, true);
    const change = report.changes.find((c) => c.id === 'request-property-became-required')!;
    assert.deepEqual(change.consumers.map((c) => [c.id, c.evidence, c.calls]), [['acme', 'field', 1], ['globex', 'none', 2]]);
  });

  it('the same as text: one line per consumer with contact, evidence and calls, and a summary', async () => {
    const result = await impact(files.requireNote!);
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0]!, /^orders 1\.0\.0 -> 1\.1\.0: window \d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2} \(30 days\); observed 1 day, 7 requests$/);
    assert.ok(lines.includes('breaking  request-property-became-required  POST /orders [body:/note]'), result.stdout);
    assert.ok(lines.some((l) => /^ {2}- acme <api-team@acme\.example>: field, 1 call, last seen \S+ - 1 of 1 examined request\(s\) did not send body:\/note$/.test(l)), result.stdout);
    assert.ok(lines.some((l) => /^ {2}- globex <dev@globex\.example>: none, 2 calls, /.test(l)), result.stdout);
    assert.ok(lines.includes('1 of 1 breaking change affects 1 consumer: acme.'), result.stdout);
  });

  it('a removed optional parameter is possibly breaking: exit 0 by default, 1 with --fail-on warn', async () => {
    const json = await impact(files.removeStatus!, '--format', 'json');
    assert.equal(json.status, 0, json.stderr);
    const change = (JSON.parse(json.stdout) as ImpactReport).changes.find((c) => c.id === 'request-parameter-removed')!;
    assert.deepEqual(change.consumers.map((c) => [c.id, c.evidence]), [['acme', 'field'], ['initech', 'none']]);
    assert.equal((await impact(files.removeStatus!, '--fail-on', 'warn')).status, 1);
  });

  it('a removed response property: operation evidence, and the markdown table says why', async () => {
    const result = await impact(files.removeNote!, '--format', 'markdown');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^## Consumer impact: orders 1\.0\.0 → 1\.1\.0$/m);
    // A response change reaches the callers that received that status class.
    assert.match(result.stdout, /^### possibly breaking: `response-optional-property-removed` on `GET \/orders\/\{orderId\}` \(`2xx responses`\)$/m);
    assert.match(result.stdout, /^\| initech \| {2}\| operation \| 1 \| /m);
    assert.match(result.stdout, /^> response-side change: the gateway sees that the consumer calls the operation, not which response fields it reads$/m);
  });

  it('sarif: one result per change, at error when it affects a consumer, located in the proposed file', async () => {
    const result = await impact(files.requireNote!, '--format', 'sarif');
    assert.equal(result.status, 1, result.stderr);
    const log = JSON.parse(result.stdout) as { version: string; runs: Array<{ automationDetails: { id: string }; results: Array<{ ruleId: string; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0]!.automationDetails.id, 'accord/impact/');
    const [only, ...rest] = log.runs[0]!.results;
    assert.deepEqual(rest, []);
    assert.equal(only!.ruleId, 'request-property-became-required');
    assert.equal(only!.level, 'error');
    assert.equal(only!.message.text, "property 'note' of schema 'NewOrder' became required: affects acme (field, 1 call) [body:/note]");
    assert.ok(only!.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('/requireNote.yaml'), only!.locations[0]!.physicalLocation.artifactLocation.uri);
    assert.ok(only!.locations[0]!.physicalLocation.region.startLine > 1);
  });

  // acme sent status=confirmed and status=shipped; initech lists without a status: narrowing the enum by `shipped` affects acme alone.
  const narrowed: Array<{ format: string; check: (stdout: string) => void }> = [
    {
      format: 'json',
      check: (stdout) => {
        const change = (JSON.parse(stdout) as ImpactReport).changes.find((c) => c.id === 'request-parameter-enum-value-removed')!;
        assert.deepEqual([change.field, change.values, change.consumers.map((c) => [c.id, c.evidence, c.note])], ['query:status', ['shipped'], [['acme', 'field', 'sent query:status = "shipped" in 1 of 2 examined request(s)'], ['initech', 'none', 'never sent query:status in 1 examined request(s)']]]);
      },
    },
    {
      format: 'text',
      check: (stdout) => {
        const lines = stdout.split('\n');
        assert.ok(lines.includes('breaking  request-parameter-enum-value-removed  GET /orders [query:status = "shipped"]'), stdout);
        assert.ok(lines.some((l) => /^ {2}- acme <api-team@acme\.example>: field, 2 calls, last seen \S+ - sent query:status = "shipped" in 1 of 2 examined request\(s\)$/.test(l)), stdout);
        assert.ok(lines.some((l) => /^ {2}- initech: none, /.test(l)), stdout);
        assert.ok(lines.includes('1 of 1 breaking change affects 1 consumer: acme.'), stdout);
      },
    },
    {
      format: 'markdown',
      check: (stdout) => {
        assert.match(stdout, /^### breaking: `request-parameter-enum-value-removed` on `GET \/orders` \(`query:status = "shipped"`\)$/m);
        assert.match(stdout, /^\| acme \| api-team@acme\.example \| field \| 2 \| /m);
        assert.match(stdout, /^\| initech \| {2}\| none \| /m);
      },
    },
    {
      format: 'sarif',
      check: (stdout) => {
        const log = JSON.parse(stdout) as { runs: Array<{ results: Array<{ ruleId: string; level: string; message: { text: string } }> }> };
        const result = log.runs[0]!.results.find((r) => r.ruleId === 'request-parameter-enum-value-removed')!;
        assert.equal(result.level, 'error');
        assert.equal(result.message.text, "schema 'OrderStatus' enum value 'shipped' removed: affects acme (field, 2 calls) [query:status = \"shipped\"]");
      },
    },
  ];
  for (const c of narrowed) {
    it(`an enum value one consumer sends, removed: names exactly that consumer with field evidence (${c.format}); exit 1`, async () => {
      const result = await impact(files.narrowStatus!, '--format', c.format);
      assert.equal(result.status, 1, result.stderr);
      c.check(result.stdout);
    });
  }

  it('impact deprecations: nothing deprecated, exit 0; after a deprecation, each consumer with its operations and the sunset, exit 1', async () => {
    const before = await runCli(['impact', 'deprecations', '--api', 'orders', '--admin-url', gw.adminUrl!, '--format', 'json'], env);
    assert.equal(before.status, 0, before.stderr);
    assert.deepEqual((JSON.parse(before.stdout) as { consumers: unknown[] }).consumers, []);
    const sunset = '2099-01-01T00:00:00.000Z';
    const deprecated = await fetch(`${gw.adminUrl}/admin/apis/orders/versions/1.0.0/deprecation`, { method: 'POST', headers: { authorization: `Bearer ${env.ACCORD_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ sunset }) });
    assert.equal(deprecated.status, 200, await deprecated.text());
    const text = await runCli(['impact', 'deprecations', '--api', 'orders', '--admin-url', gw.adminUrl!], env);
    assert.equal(text.status, 1, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[0]!, /^deprecated operations called \d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2} \(7 days\)$/);
    assert.ok(lines.includes('acme <api-team@acme.example>'), text.stdout);
    assert.ok(lines.some((l) => new RegExp(`^ {2}- orders 1\\.0\\.0 listOrders: 2 calls, last \\S+ \\(version deprecated, sunset ${sunset.replace(/\./g, '\\.')}\\)$`).test(l)), text.stdout);
    const markdown = await runCli(['impact', 'deprecations', '--admin-url', gw.adminUrl!, '--format', 'markdown', '--api', 'orders'], env);
    assert.equal(markdown.status, 1, markdown.stderr);
    assert.match(markdown.stdout, /^\| globex \| dev@globex\.example \| orders \| 1\.0\.0 \| createOrder \| 2 \| \S+ \| version-deprecated \| 2099-01-01T00:00:00\.000Z \|  \|$/m);
    const refused = await runCli(['contracts', 'retire', 'orders', '1.0.0', '--admin-url', gw.adminUrl!], env);
    assert.equal(refused.status, 2, refused.stdout);
    assert.match(refused.stderr, /orders 1\.0\.0 was called by 3 consumer\(s\) in the last 30 day\(s\) \(acme, globex, initech\); retire it with force and a reason to override/);
    const bad = await runCli(['impact', 'deprecations', '--format', 'sarif', '--admin-url', gw.adminUrl!], env);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be one of text, json, markdown/);
  });

  it('compares against a registered version as REVISION', async () => {
    const result = await impact('1.0.0', '--format', 'json');
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as ImpactReport).changes, []);
  });

  const unusable: Array<{ name: string; args: () => string[]; env?: Record<string, string | undefined>; stderr: RegExp }> = [
    { name: '--local', args: () => ['impact', '1.0.0', files.requireNote!, '--api', 'orders', '--local'], stderr: /--local is not supported: usage records live in the running gateway/ },
    { name: 'a revision that is neither a file nor a version', args: () => ['impact', '1.0.0', join(dir, 'missing.yaml'), '--api', 'orders', '--admin-url', gw.adminUrl!], stderr: /no such file, and not a version/ },
    { name: 'a bad window', args: () => ['impact', '1.0.0', files.requireNote!, '--api', 'orders', '--window', '4w'], stderr: /--window must be a number of days/ },
    { name: 'an unknown base version', args: () => ['impact', '9.9.9', files.requireNote!, '--api', 'orders', '--admin-url', gw.adminUrl!], stderr: /refused the request: 404 VERSION_NOT_FOUND/ },
    { name: 'an invalid token', args: () => ['impact', '1.0.0', files.requireNote!, '--api', 'orders', '--admin-url', gw.adminUrl!], env: { ACCORD_TOKEN: 'x' }, stderr: /refused the request: 401/ },
    { name: 'no token', args: () => ['impact', '1.0.0', files.requireNote!, '--api', 'orders', '--admin-url', gw.adminUrl!], env: { ACCORD_TOKEN: undefined }, stderr: /ACCORD_TOKEN is not set/ },
  ];
  for (const c of unusable) {
    it(`exits 2 with one line for ${c.name}`, async () => {
      const result = await runCli(c.args(), { ...env, ...c.env });
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stderr, c.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    });
  }
});
