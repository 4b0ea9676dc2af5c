/**
 * The registry over HTTP on a real admin listener (file store; a PostgreSQL smoke run at the end):
 * registration outcomes (201 with warnings, 200 identical, 409, 422 with located findings, an
 * audited override), per-API ownership, the reads (list, show, document, diff as JSON and
 * markdown), the lifecycle, audit pagination, request validation against the admin document, and
 * 503 without a registry.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import { PostgresRegistryStore } from '../../src/registry/store/postgres-store.js';
import { startAdminRegistry, type AdminRegistryFixture } from '../support/admin-registry.js';
import { DATABASE_URL, postgresSkip, uniqueName } from '../support/services.js';

const CONTRACTS = join(import.meta.dirname, '..', '..', 'contracts', 'orders');
/** Orders 1.0.0 without `info.contact`: lint warns (info-contact), nothing blocks. */
const V1 = readFileSync(join(CONTRACTS, '1.0.0.yaml'), 'utf8').replace(/^  contact:\n(    .*\n)+/m, '');
const V2 = readFileSync(join(CONTRACTS, '2.0.0.yaml'), 'utf8');
const withVersion = (text: string, version: string): string => text.replace(/^  version: \d+\.\d+\.\d+$/m, `  version: ${version}`);
const BREAKING_1_1 = withVersion(V1, '1.1.0').replace('  /catalogue-items:', '  /catalog-items:');
const YAML = 'application/yaml';

type Json = Record<string, unknown>;
const pointers = (body: Json | undefined): string[] => ((body?.errors as Array<{ pointer: string }> | undefined) ?? []).map((e) => e.pointer);

describe('admin API: the registry over HTTP (file store)', () => {
  let dir: string;
  let fx: AdminRegistryFixture;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-admin-registry-'));
    fx = await startAdminRegistry(new FileRegistryStore(dir), { maxDocumentBytes: 30_000 });
  });
  after(async () => {
    await fx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a version as its owner: 201, its location, the warnings', async () => {
    assert.ok(!V1.includes('contact:'), 'fixture lost its contact');
    const res = await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: V1, contentType: YAML });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.location, '/admin/apis/orders/versions/1.0.0');
    const body = res.json!;
    assert.equal((body.version as Json).status, 'published');
    assert.equal((body.version as Json).format, 'yaml');
    assert.equal(body.overridden, false);
    const findings = body.findings as Json[];
    assert.ok(findings.some((f) => f.id === 'info-contact' && f.severity === 'warn'), JSON.stringify(findings));
  });

  it('answers identical content with 200 and nothing new in the audit', async () => {
    const res = await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: V1, contentType: YAML });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json?.identical, true);
    const audit = await fx.call('GET', '/admin/audit');
    assert.equal((audit.json?.entries as Json[]).length, 1);
  });

  it('refuses other content for a published version with 409 VERSION_CONFLICT', async () => {
    const res = await fx.call('POST', '/admin/apis/orders/versions', { body: V1.replace('Order management', 'Order handling'), contentType: YAML });
    assert.equal(res.status, 409, res.text);
    assert.equal(res.headers['content-type'], 'application/problem+json');
    assert.equal(res.json?.code, 'VERSION_CONFLICT');
  });

  it('rejects a breaking minor with 422 and every finding located (id, severity, operation, pointer, line)', async () => {
    const res = await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: BREAKING_1_1, contentType: YAML });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json?.code, 'GOVERNANCE_REJECTED');
    const findings = res.json?.findings as Array<{ id: string; severity: string; operation?: string; location: { pointer: string; line?: number } }>;
    const removed = findings.find((f) => f.id === 'api-path-removed-without-deprecation');
    assert.ok(removed, JSON.stringify(findings));
    assert.equal(removed.severity, 'error');
    assert.match(String(removed.operation), /\/catalogue-items/);
    assert.match(removed.location.pointer, /^\/paths\/~1catalogue-items/);
    assert.equal(typeof removed.location.line, 'number');
  });

  it('publishes over a rejection with an override reason, recorded in the audit', async () => {
    const reason = 'agreed with every partner (CHG-7)';
    const res = await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: BREAKING_1_1, contentType: YAML, headers: { 'accord-override-reason': reason } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json?.overridden, true);
    const audit = await fx.call('GET', '/admin/audit?api=orders');
    const entry = (audit.json?.entries as Json[]).find((e) => e.version === '1.1.0');
    assert.equal(entry?.overrideReason, reason);
    assert.deepEqual(entry?.actor, { provider: 'test', subject: 'orders-team' });
  });

  it('publishes a new major that breaks, as JSON', async () => {
    const res = await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: V2, contentType: YAML });
    assert.equal(res.status, 201, res.text);
  });

  const ownership: Array<{ name: string; token: () => string; method: string; path: string; body?: string; contentType?: string; status: number; code?: string }> = [
    { name: 'an owner registering another team\'s API', token: () => fx.tokens.otherOwner, method: 'POST', path: '/admin/apis/orders/versions', body: withVersion(V1, '1.2.0'), contentType: YAML, status: 403, code: 'API_NOT_OWNED' },
    { name: 'an owner sending another team\'s API a document past the size limit (refused before the upload)', token: () => fx.tokens.otherOwner, method: 'POST', path: '/admin/apis/orders/versions', body: `${V2}\n# ${'x'.repeat(8000)}\n`, contentType: YAML, status: 403, code: 'API_NOT_OWNED' },
    { name: 'an owner registering an API nobody owns', token: () => fx.tokens.owner, method: 'POST', path: '/admin/apis/inventory/versions', body: V1, contentType: YAML, status: 403, code: 'API_NOT_OWNED' },
    { name: 'an owner deprecating another team\'s version', token: () => fx.tokens.otherOwner, method: 'POST', path: '/admin/apis/orders/versions/1.0.0/deprecation', body: '{}', contentType: 'application/json', status: 403, code: 'API_NOT_OWNED' },
    { name: 'an owner retiring another team\'s version', token: () => fx.tokens.otherOwner, method: 'POST', path: '/admin/apis/orders/versions/1.0.0/retirement', status: 403, code: 'API_NOT_OWNED' },
    { name: 'an owner reading every API', token: () => fx.tokens.otherOwner, method: 'GET', path: '/admin/apis', status: 200 },
    { name: 'an owner reading the audit', token: () => fx.tokens.otherOwner, method: 'GET', path: '/admin/audit', status: 200 },
    { name: 'an owner on /metrics', token: () => fx.tokens.owner, method: 'GET', path: '/metrics', status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'an owner on /usage', token: () => fx.tokens.owner, method: 'GET', path: '/usage', status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'an owner on /keys', token: () => fx.tokens.owner, method: 'GET', path: '/keys', status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'a token that neither is admin nor owns an API, reading', token: () => fx.tokens.reader, method: 'GET', path: '/admin/apis', status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'a token that neither is admin nor owns an API, registering', token: () => fx.tokens.reader, method: 'POST', path: '/admin/apis/orders/versions', body: V1, contentType: YAML, status: 403, code: 'AUTH_SCOPE_INSUFFICIENT' },
    { name: 'no token', token: () => '', method: 'GET', path: '/admin/apis', status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'the admin on /metrics', token: () => fx.tokens.admin, method: 'GET', path: '/metrics', status: 200 },
  ];
  for (const c of ownership) {
    it(`ownership: ${c.name} -> ${c.status}${c.code ? ` ${c.code}` : ''}`, async () => {
      const token = c.token();
      const res = await fx.call(c.method, c.path, { token: token === '' ? null : token, body: c.body, contentType: c.contentType });
      assert.equal(res.status, c.status, res.text);
      if (c.code) assert.equal(res.json?.code, c.code);
      if (c.status === 403 && c.code === 'AUTH_SCOPE_INSUFFICIENT') assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope"/);
    });
  }

  it('lists APIs and versions, shows one, and serves its document as registered', async () => {
    const list = await fx.call('GET', '/admin/apis', { token: fx.tokens.owner });
    assert.equal(list.status, 200);
    const apis = list.json?.apis as Array<{ api: string; versions: Array<{ version: string }> }>;
    assert.deepEqual(apis.map((a) => [a.api, a.versions.map((v) => v.version)]), [['orders', ['1.0.0', '1.1.0', '2.0.0']]]);
    const versions = await fx.call('GET', '/admin/apis/orders/versions');
    assert.deepEqual((versions.json?.versions as Json[]).map((v) => v.version), ['1.0.0', '1.1.0', '2.0.0']);
    const none = await fx.call('GET', '/admin/apis/inventory/versions');
    assert.deepEqual(none.json, { api: 'inventory', versions: [] });
    const shown = await fx.call('GET', '/admin/apis/orders/versions/1.0.0');
    assert.equal(shown.status, 200);
    assert.equal(shown.json?.version, '1.0.0');
    const doc = await fx.call('GET', '/admin/apis/orders/versions/1.0.0/document', { accept: '*/*' });
    assert.equal(doc.status, 200);
    assert.match(String(doc.headers['content-type']), /^application\/yaml/);
    assert.equal(doc.text, V1);
    assert.equal(doc.headers.etag, `"${String(shown.json?.digest)}"`);
    const missing = await fx.call('GET', '/admin/apis/orders/versions/7.0.0');
    assert.equal(missing.status, 404);
    assert.equal(missing.json?.code, 'VERSION_NOT_FOUND');
  });

  it('diffs two versions as JSON and as a markdown changelog', async () => {
    const res = await fx.call('GET', '/admin/apis/orders/diff?base=1.0.0&revision=2.0.0');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json?.breaking, true);
    const changes = res.json?.changes as Array<{ id: string; severity: string }>;
    assert.ok(changes.length > 0 && changes.some((c) => c.severity === 'error'));
    const md = await fx.call('GET', '/admin/apis/orders/diff?base=1.0.0&revision=2.0.0', { accept: 'text/markdown' });
    assert.equal(md.status, 200);
    assert.match(String(md.headers['content-type']), /^text\/markdown/);
    assert.match(md.text, /\|/);
    assert.ok(md.text.includes(changes[0]!.id), 'the changelog names the changes');
    const unknown = await fx.call('GET', '/admin/apis/orders/diff?base=1.0.0&revision=7.0.0');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json?.code, 'VERSION_NOT_FOUND');
  });

  it('deprecates with sunset and successor, then retires; a second retirement is 409', async () => {
    const dep = await fx.call('POST', '/admin/apis/orders/versions/1.0.0/deprecation', { token: fx.tokens.owner, body: JSON.stringify({ sunset: '2099-01-01T00:00:00Z', successor: '2.0.0' }), contentType: 'application/json' });
    assert.equal(dep.status, 200, dep.text);
    assert.equal(dep.json?.status, 'deprecated');
    assert.equal(dep.json?.sunset, '2099-01-01T00:00:00.000Z');
    assert.equal(dep.json?.successor, '2.0.0');
    const past = await fx.call('POST', '/admin/apis/orders/versions/1.1.0/deprecation', { body: JSON.stringify({ sunset: '2001-01-01T00:00:00Z' }), contentType: 'application/json' });
    assert.equal(past.status, 400);
    assert.equal(past.json?.code, 'REQUEST_INVALID');
    const retire = await fx.call('POST', '/admin/apis/orders/versions/1.1.0/retirement', { token: fx.tokens.owner });
    assert.equal(retire.status, 200, retire.text);
    assert.equal(retire.json?.status, 'retired');
    const again = await fx.call('POST', '/admin/apis/orders/versions/1.1.0/retirement');
    assert.equal(again.status, 409);
    assert.equal(again.json?.code, 'LIFECYCLE_CONFLICT');
    const unknown = await fx.call('POST', '/admin/apis/orders/versions/7.0.0/retirement');
    assert.equal(unknown.status, 404);
    const metrics = (await fx.call('GET', '/metrics', { token: fx.tokens.admin })).text;
    for (const [action, outcome, count] of [['deprecate', 'changed', 1], ['deprecate', 'invalid', 1], ['retire', 'changed', 1], ['retire', 'wrong-state', 1], ['retire', 'not-found', 1]] as const) {
      assert.match(metrics, new RegExp(`^accord_registry_events_total\\{action="${action}",outcome="${outcome}"\\} ${count}$`, 'm'), `${action} ${outcome}`);
    }
  });

  it('pages through the audit log with the cursor, and filters by API, actor and time', async () => {
    const seen: Json[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await fx.call('GET', `/admin/audit?limit=2${cursor !== null ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      const entries = res.json?.entries as Json[];
      assert.ok(entries.length <= 2);
      seen.push(...entries);
      cursor = res.json?.next as string | null;
      if (cursor === null) break;
    }
    assert.equal(cursor, null, 'the last page has no next');
    assert.deepEqual(seen.map((e) => [e.seq, e.action, e.version]), [
      [1, 'register', '1.0.0'],
      [2, 'register', '1.1.0'],
      [3, 'register', '2.0.0'],
      [4, 'deprecate', '1.0.0'],
      [5, 'retire', '1.1.0'],
    ]);
    const byActor = await fx.call('GET', '/admin/audit?actor=test%2Fops');
    assert.deepEqual((byActor.json?.entries as Json[]).map((e) => e.seq), [], JSON.stringify(byActor.json));
    const owner = await fx.call('GET', '/admin/audit?actor=test%2Forders-team');
    assert.deepEqual((owner.json?.entries as Json[]).map((e) => e.seq), [1, 2, 3, 4, 5]);
    const future = await fx.call('GET', '/admin/audit?since=2099-01-01T00:00:00Z');
    assert.deepEqual(future.json?.entries, []);
    const other = await fx.call('GET', '/admin/audit?api=payments');
    assert.deepEqual(other.json?.entries, []);
  });

  const invalid: Array<{ name: string; method: string; path: string; body?: string; contentType?: string; status: number; code: string; pointers?: string[] }> = [
    { name: 'an audit limit out of range', method: 'GET', path: '/admin/audit?limit=0', status: 400, code: 'REQUEST_INVALID', pointers: ['/query/limit'] },
    { name: 'an audit cursor that is not one', method: 'GET', path: '/admin/audit?cursor=abc', status: 400, code: 'REQUEST_INVALID', pointers: ['/query/cursor'] },
    { name: 'an unknown audit parameter', method: 'GET', path: '/admin/audit?apii=orders', status: 400, code: 'REQUEST_INVALID', pointers: ['/query/apii'] },
    { name: 'a diff without its revision', method: 'GET', path: '/admin/apis/orders/diff?base=1.0.0', status: 400, code: 'REQUEST_INVALID', pointers: ['/query/revision'] },
    { name: 'a version that is not semver', method: 'GET', path: '/admin/apis/orders/versions/latest', status: 400, code: 'REQUEST_INVALID', pointers: ['/path/version'] },
    { name: 'an API id that cannot be one', method: 'GET', path: '/admin/apis/Orders_X/versions', status: 400, code: 'REQUEST_INVALID', pointers: ['/path/api'] },
    { name: 'a deprecation with a sunset that is no date', method: 'POST', path: '/admin/apis/orders/versions/2.0.0/deprecation', body: '{"sunset":"tomorrow"}', contentType: 'application/json', status: 400, code: 'REQUEST_INVALID', pointers: ['/body/sunset'] },
    { name: 'a deprecation with an unknown member', method: 'POST', path: '/admin/apis/orders/versions/2.0.0/deprecation', body: '{"sunsets":"2099-01-01"}', contentType: 'application/json', status: 400, code: 'REQUEST_INVALID', pointers: ['/body/sunsets'] },
    { name: 'a deprecation body that is not JSON', method: 'POST', path: '/admin/apis/orders/versions/2.0.0/deprecation', body: '{"sunset":', contentType: 'application/json', status: 400, code: 'REQUEST_MALFORMED', pointers: ['/body'] },
    { name: 'a retirement with an unknown member', method: 'POST', path: '/admin/apis/orders/versions/2.0.0/retirement', body: '{"forced":true}', contentType: 'application/json', status: 400, code: 'REQUEST_INVALID', pointers: ['/body/forced'] },
    { name: 'a retirement whose force is no boolean', method: 'POST', path: '/admin/apis/orders/versions/2.0.0/retirement', body: '{"force":"yes","reason":"r"}', contentType: 'application/json', status: 400, code: 'REQUEST_INVALID', pointers: ['/body/force'] },
    { name: 'a key request with a consumer that is no string', method: 'POST', path: '/keys', body: '{"consumer":5}', contentType: 'application/json', status: 400, code: 'REQUEST_INVALID', pointers: ['/body/consumer'] },
    { name: 'a registration without a body', method: 'POST', path: '/admin/apis/orders/versions', status: 400, code: 'REQUEST_INVALID', pointers: ['/body'] },
    { name: 'a registration as text/plain', method: 'POST', path: '/admin/apis/orders/versions', body: V1, contentType: 'text/plain', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a JSON registration that is not an object', method: 'POST', path: '/admin/apis/orders/versions', body: '[1]', contentType: 'application/json', status: 400, code: 'REQUEST_INVALID', pointers: ['/body'] },
    { name: 'a registration beyond admin.maxDocumentBytes', method: 'POST', path: '/admin/apis/orders/versions', body: `${V2}\n# ${'x'.repeat(8000)}\n`, contentType: YAML, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'a registration that is not OpenAPI', method: 'POST', path: '/admin/apis/orders/versions', body: 'hello: world\n', contentType: YAML, status: 400, code: 'CONTRACT_UNUSABLE' },
  ];
  for (const c of invalid) {
    it(`validates requests: ${c.name} -> ${c.status} ${c.code}`, async () => {
      const res = await fx.call(c.method, c.path, { body: c.body, contentType: c.contentType });
      assert.equal(res.status, c.status, res.text);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.equal(res.json?.code, c.code);
      if (c.pointers) assert.deepEqual(pointers(res.json), c.pointers, res.text);
    });
  }

  it('serves its OpenAPI document without a token', async () => {
    const res = await fx.call('GET', '/admin/openapi.json', { token: null });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.json?.openapi, '3.1.0');
    const post = await fx.call('POST', '/admin/openapi.json', { token: null });
    assert.equal(post.status, 401, 'only GET is public');
  });
});

describe('admin API without a registry', () => {
  it('answers the registry routes 503 SERVICE_UNAVAILABLE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-admin-noregistry-'));
    const fx = await startAdminRegistry(new FileRegistryStore(dir), { withRegistry: false });
    try {
      for (const path of ['/admin/apis', '/admin/audit']) {
        const res = await fx.call('GET', path);
        assert.equal(res.status, 503, res.text);
        assert.equal(res.json?.code, 'SERVICE_UNAVAILABLE');
        assert.match(String(res.json?.detail), /registry/);
      }
      assert.equal((await fx.call('GET', '/admin/openapi.json', { token: null })).status, 200);
    } finally {
      await fx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const pgSkip = await postgresSkip();

describe('admin API: the registry over HTTP (PostgreSQL store)', { skip: pgSkip }, () => {
  const schema = uniqueName('accord_admin_registry');
  let fx: AdminRegistryFixture;
  before(async () => {
    fx = await startAdminRegistry(await PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema }));
  });
  after(async () => {
    await fx?.close();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('registers, answers identical and conflicting content, and audits once', async () => {
    assert.equal((await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: V1, contentType: YAML })).status, 201);
    assert.equal((await fx.call('POST', '/admin/apis/orders/versions', { token: fx.tokens.owner, body: V1, contentType: YAML })).status, 200);
    const conflict = await fx.call('POST', '/admin/apis/orders/versions', { body: V1.replace('Order management', 'Order handling'), contentType: YAML });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.json?.code, 'VERSION_CONFLICT');
    const rejected = await fx.call('POST', '/admin/apis/orders/versions', { body: BREAKING_1_1, contentType: YAML });
    assert.equal(rejected.status, 422);
    const audit = await fx.call('GET', '/admin/audit');
    assert.deepEqual((audit.json?.entries as Json[]).map((e) => [e.seq, e.action, e.version]), [[1, 'register', '1.0.0']]);
    const list = await fx.call('GET', '/admin/apis', { token: fx.tokens.otherOwner });
    assert.deepEqual((list.json?.apis as Json[]).map((a) => a.api), ['orders']);
  });
});
