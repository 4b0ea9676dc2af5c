/**
 * The admin API's key routes, mounted in a bare express app on loopback over a real file store:
 * issue (the key once), list, show, revoke, and the problem documents of bad requests.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { keysRouter } from '../../src/admin/routes/keys.js';
import { fileKeyStore } from '../../src/gateway/policies/auth/stores/file-store.js';
import type { ApiKeyStore } from '../../src/gateway/policies/auth/stores/key-store.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';

describe('admin API: /keys routes', () => {
  let dir: string;
  let store: ApiKeyStore;
  let server: Server;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-admin-keys-'));
    store = fileKeyStore({ path: join(dir, 'api-keys.json') });
    const app = express();
    app.use('/keys', keysRouter(store, { isDeclaredConsumer: (id) => id === 'acme' || id === 'globex' }));
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
    rawRequest(url, method, path, {
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('issues a key with 201, its location, the key this once, and no-store', async () => {
    const res = await call('POST', '/keys', { consumer: 'acme', expires: '30d' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json as Record<string, unknown>;
    assert.match(String(body.key), /^acc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.equal(res.headers.location, `/keys/${String(body.id)}`);
    assert.equal(body.consumer, 'acme');
    assert.ok(Date.parse(String(body.expiresAt)) > Date.now() + 29 * 86_400_000);
    const shown = await call('GET', `/keys/${String(body.id)}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(Object.keys(shown.json as object).sort(), ['consumer', 'createdAt', 'expiresAt', 'id', 'revokedAt']);
  });

  const refusals: Array<{ name: string; method: string; path: string; body?: unknown; status: number; code: string; pointers?: string[] }> = [
    { name: 'an undeclared consumer', method: 'POST', path: '/keys', body: { consumer: 'ghost' }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/consumer'] },
    { name: 'no consumer', method: 'POST', path: '/keys', body: {}, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/consumer'] },
    { name: 'an expiry in the past and an unknown field', method: 'POST', path: '/keys', body: { consumer: 'acme', expires: '2001-01-01', scope: 'x' }, status: 400, code: 'REQUEST_INVALID', pointers: ['/body/scope', '/body/expires'] },
    { name: 'a body that is not an object', method: 'POST', path: '/keys', body: [1], status: 400, code: 'REQUEST_INVALID', pointers: ['/body'] },
    { name: 'a body that is not JSON', method: 'POST', path: '/keys', body: '{"consumer":', status: 400, code: 'REQUEST_MALFORMED' },
    { name: 'showing an unknown key', method: 'GET', path: '/keys/0123456789abcdef', status: 404, code: 'API_KEY_NOT_FOUND' },
    { name: 'revoking an unknown key', method: 'DELETE', path: '/keys/0123456789abcdef', status: 404, code: 'API_KEY_NOT_FOUND' },
    { name: 'revoking something that is not a key id', method: 'POST', path: '/keys/not-an-id/revoke', status: 404, code: 'API_KEY_NOT_FOUND' },
  ];
  for (const r of refusals) {
    it(`refuses ${r.name} (${r.status} ${r.code})`, async () => {
      const res = await call(r.method, r.path, r.body);
      assert.equal(res.status, r.status, res.text);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      assert.equal(res.json?.code, r.code);
      if (r.pointers) assert.deepEqual((res.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer), r.pointers);
    });
  }

  it('lists keys, of every consumer or of one, never with a secret', async () => {
    await call('POST', '/keys', { consumer: 'globex' });
    const all = await call('GET', '/keys');
    assert.equal(all.status, 200);
    const keys = (all.json as { keys: Array<Record<string, unknown>> }).keys;
    assert.ok(keys.length >= 2);
    assert.ok(keys.every((k) => !('key' in k) && !('hash' in k) && !('salt' in k)));
    const globex = await call('GET', '/keys?consumer=globex');
    assert.deepEqual((globex.json as { keys: Array<{ consumer: string }> }).keys.map((k) => k.consumer), ['globex']);
  });

  it('revokes with DELETE and with POST …/revoke, keeping the first revocation time', async () => {
    const created = (await call('POST', '/keys', { consumer: 'acme' })).json as { id: string };
    const deleted = await call('DELETE', `/keys/${created.id}`);
    assert.equal(deleted.status, 200);
    const revokedAt = (deleted.json as { revokedAt: string }).revokedAt;
    assert.ok(revokedAt);
    const again = await call('POST', `/keys/${created.id}/revoke`);
    assert.equal(again.status, 200);
    assert.equal((again.json as { revokedAt: string }).revokedAt, revokedAt);
  });
});
