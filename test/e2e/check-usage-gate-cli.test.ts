/**
 * `accord check --admin-url` as CI runs it: the built binary in real git repositories, asking a
 * real gateway (registry and usage records in memory, block-if-used for orders, clock injected a
 * month after the scripted traffic) about a new minor version with breaking changes: one no
 * consumer used passes (exit 0), one acme used fails (exit 1) naming acme in every format, and an
 * unreachable admin listener exits 2 with one line.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { runCliAsync, type CliResult } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { NARROW_REASON, ORDERS_BASE_FILE, ORDERS_BASE_TEXT, REQUIRE_NOTE } from '../support/impact-proposals.js';
import { impactConfig, impactUpstream, playImpactScript } from '../support/impact-scenario.js';

const DAY_MS = 86_400_000;
const TRAFFIC_AT = Date.parse('2026-10-01T12:00:00.000Z');

/** A git repository whose base commit holds orders 1.0.0 and whose head adds `revision` as 1.1.0. */
function repository(root: string, name: string, revision: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'contracts', 'orders'), { recursive: true });
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' } });
  };
  git('init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'contracts', 'orders', '1.0.0.yaml'), ORDERS_BASE_TEXT);
  git('add', '-A');
  git('commit', '-q', '-m', 'orders 1.0.0');
  writeFileSync(join(dir, 'contracts', 'orders', '1.1.0.yaml'), revision);
  git('add', '-A');
  git('commit', '-q', '-m', 'orders 1.1.0');
  return dir;
}

describe('accord check --admin-url (block-if-used)', () => {
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let env: Record<string, string>;
  let scratch: string;
  let repos: { unused: string; used: string };
  let now = TRAFFIC_AT;

  const check = (cwd: string, ...more: string[]): Promise<CliResult> => runCliAsync(['check', '--base', 'HEAD~1', '--contracts', 'contracts', ...more], { cwd, env: { ...env, NO_COLOR: '1' } });

  before(async () => {
    issuer = await createTestIssuer('https://issuer.test', 'orders-api');
    upstream = await startUpstream(impactUpstream);
    const config = { ...impactConfig(issuer, upstream.url), registry: { enabled: true, governance: { apis: [{ api: 'orders', breakingChanges: { mode: 'block-if-used', window: '30d', minRequests: 5 } }] } } };
    gw = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS_BASE_FILE }, config, start: { now: () => now } });
    await playImpactScript(gw, issuer);
    await gw.running.usage!.flush();
    now = TRAFFIC_AT + 29 * DAY_MS;
    env = { ACCORD_TOKEN: await issuer.token({ client_id: 'orders-team', scope: 'orders:read' }) };
    scratch = mkdtempSync(join(tmpdir(), 'accord-check-gate-'));
    repos = { unused: repository(scratch, 'unused', NARROW_REASON), used: repository(scratch, 'used', REQUIRE_NOTE) };
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('without --admin-url a breaking change within the major fails as before (exit 1, needs a new major)', async () => {
    const result = await check(repos.unused);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /contract-breaking-change-without-major-bump/);
  });

  it('a breaking change no consumer used passes: exit 0, the change shown as accepted', async () => {
    const result = await check(repos.unused, '--admin-url', gw.adminUrl!, '--format', 'json');
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    const findings = (JSON.parse(result.stdout) as { changes: Array<{ id: string; severity: string; message: string }> }).changes;
    const narrowed = findings.filter((f) => f.id === 'request-property-enum-value-removed');
    assert.equal(narrowed.length, 2);
    for (const f of narrowed) {
      assert.equal(f.severity, 'warn');
      assert.match(f.message, /\(accepted: no consumer used it in the last 30 day\(s\), 7 call\(s\) observed; policy block-if-used\)$/);
    }
    assert.ok(!findings.some((f) => f.severity === 'error'), result.stdout);
  });

  // `notRaised`: the versioning rule the usage verdict replaces, as each format would show it raised (SARIF lists every rule's metadata anyway).
  const formats: Array<{ format: string; names: RegExp; notRaised?: RegExp }> = [
    { format: 'text', names: /contract-breaking-change-in-use[\s\S]*consumer acme <api-team@acme\.example> used what the breaking change breaks in the last 30 day\(s\): request-property-became-required at POST \/orders \[body:\/note\]: field, 1 call \(33\.33 % of the operation's\)/ },
    { format: 'json', names: /"id": ?"contract-breaking-change-in-use"[\s\S]*consumer acme <api-team@acme\.example> used/ },
    { format: 'sarif', names: /"ruleId": ?"contract-breaking-change-in-use"[\s\S]*consumer acme <api-team@acme\.example> used/, notRaised: /"ruleId": ?"contract-breaking-change-without-major-bump"/ },
    { format: 'junit', names: /contract-breaking-change-in-use[\s\S]*consumer acme &lt;api-team@acme\.example&gt; used/ },
    { format: 'github', names: /^::error [^\n]*contract-breaking-change-in-use[^\n]*consumer acme <api-team@acme\.example> used/m },
    { format: 'markdown', names: /^- orders 1\.0\.0 -\\> 1\.1\.0: consumer acme \\<api-team@acme\.example\\> used what the breaking change breaks in the last 30 day\(s\): request-property-became-required at POST \/orders \\\[body:\/note\\\]: field, 1 call .*`contract-breaking-change-in-use`/m },
  ];
  for (const f of formats) {
    it(`a breaking change acme used fails (exit 1) and --format ${f.format} names acme and its evidence`, async () => {
      const result = await check(repos.used, '--admin-url', gw.adminUrl!, '--format', f.format);
      assert.equal(result.status, 1, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, f.names);
      assert.doesNotMatch(result.stdout, f.notRaised ?? /contract-breaking-change-without-major-bump/);
      assert.doesNotMatch(result.stdout, /consumer globex/, 'globex sends the note: not affected');
    });
  }

  it('an unreachable admin listener exits 2 with one line on stderr', async () => {
    const port = await freePort();
    const result = await check(repos.used, '--admin-url', `http://127.0.0.1:${port}`);
    assert.equal(result.status, 2, result.stdout);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /^accord: cannot reach the admin listener at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('--admin-url without ACCORD_TOKEN exits 2 naming it', async () => {
    const result = await runCliAsync(['check', '--base', 'HEAD~1', '--contracts', 'contracts', '--admin-url', gw.adminUrl!], { cwd: repos.used, env: { ACCORD_TOKEN: undefined } });
    assert.equal(result.status, 2, result.stdout);
    assert.match(result.stderr, /^accord: --admin-url needs ACCORD_TOKEN/);
  });
});
