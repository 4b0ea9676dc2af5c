/** The development issuer: key generated once under the data directory (0600), reused, and tokens that verify with its JWKS. */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { DEV_ISSUER, DevIssuerError, ensureDevKeys } from '../../src/dev/dev-issuer.js';
import { mintDevToken } from '../../src/dev/mint-dev-token.js';

const roots: string[] = [];
function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-dev-issuer-'));
  roots.push(dir);
  return join(dir, 'data');
}
after(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

describe('ensureDevKeys', () => {
  it('generates an ES256 key on first use, private JWK mode 0600, and reuses it afterwards', async () => {
    const dataDir = freshDataDir();
    const first = await ensureDevKeys(dataDir);
    const keyFile = join(dataDir, 'dev-issuer', 'signing-key.private.jwk.json');
    assert.equal(first.keyFile, keyFile);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(dataDir, 'dev-issuer')).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(join(dataDir, 'dev-issuer')), ['signing-key.private.jwk.json']);
    const text = readFileSync(keyFile, 'utf8');
    const second = await ensureDevKeys(dataDir);
    assert.equal(second.kid, first.kid);
    assert.equal(readFileSync(keyFile, 'utf8'), text);
    assert.equal(first.issuer, DEV_ISSUER);
    assert.equal(first.issuer, 'urn:accord:dev');
  });

  it('publishes only the public half of the key', async () => {
    const keys = await ensureDevKeys(freshDataDir());
    assert.equal(keys.publicJwks.keys.length, 1);
    const [jwk] = keys.publicJwks.keys;
    assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    assert.equal(jwk.kid, keys.kid);
    assert.equal(jwk.alg, 'ES256');
  });

  it('gives concurrent first uses one and the same key', async () => {
    const dataDir = freshDataDir();
    const all = await Promise.all([ensureDevKeys(dataDir), ensureDevKeys(dataDir), ensureDevKeys(dataDir)]);
    assert.deepEqual(new Set(all.map((k) => k.kid)).size, 1);
    assert.deepEqual(readdirSync(join(dataDir, 'dev-issuer')), ['signing-key.private.jwk.json']);
  });

  it('refuses a damaged key file with a coded error naming it', async () => {
    const dataDir = freshDataDir();
    await ensureDevKeys(dataDir);
    const keyFile = join(dataDir, 'dev-issuer', 'signing-key.private.jwk.json');
    writeFileSync(keyFile, '{"kty":"RSA"}');
    await assert.rejects(ensureDevKeys(dataDir), (error: unknown) => {
      assert.ok(error instanceof DevIssuerError);
      assert.equal(error.code, 'DEV_KEY_UNREADABLE');
      assert.equal(error.message, `${keyFile} is not an ES256 private JWK; delete it to generate a new development key`);
      return true;
    });
  });

  it('refuses to run when NODE_ENV=production, before touching the disk', async () => {
    const dataDir = freshDataDir();
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await assert.rejects(ensureDevKeys(dataDir), (error: unknown) => error instanceof DevIssuerError && error.code === 'DEV_ISSUER_REFUSED_IN_PRODUCTION');
      await assert.rejects(mintDevToken({ dataDir, client: 'c', scopes: [] }), (error: unknown) => error instanceof DevIssuerError && error.code === 'DEV_ISSUER_REFUSED_IN_PRODUCTION');
    } finally {
      if (previous === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previous;
    }
    assert.throws(() => statSync(dataDir), { code: 'ENOENT' });
  });
});

describe('mintDevToken', () => {
  const dataDir = freshDataDir();
  const now = new Date();

  const scenarios: Array<{ name: string; request: { client: string; scopes: string[]; audience?: string; ttlSeconds?: number }; claims: Record<string, unknown>; ttl: number }> = [
    { name: 'defaults: audience accord, one hour', request: { client: 'partner-a', scopes: ['orders:read'] }, claims: { sub: 'partner-a', client_id: 'partner-a', aud: 'accord', scope: 'orders:read' }, ttl: 3600 },
    { name: 'several scopes, own audience and lifetime', request: { client: 'svc.billing', scopes: ['orders:read', 'orders:write'], audience: 'orders-api', ttlSeconds: 120 }, claims: { sub: 'svc.billing', client_id: 'svc.billing', aud: 'orders-api', scope: 'orders:read orders:write' }, ttl: 120 },
    { name: 'no scopes', request: { client: 'admin-cli', scopes: [] }, claims: { sub: 'admin-cli', client_id: 'admin-cli', aud: 'accord', scope: '' }, ttl: 3600 },
  ];
  for (const s of scenarios) {
    it(`signs a token that verifies with the dev JWKS: ${s.name}`, async () => {
      const token = await mintDevToken({ dataDir, now, ...s.request });
      const keys = await ensureDevKeys(dataDir);
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys.publicJwks), {
        issuer: 'urn:accord:dev',
        audience: s.claims.aud as string,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        currentDate: now,
      });
      assert.deepEqual(protectedHeader, { alg: 'ES256', typ: 'at+jwt', kid: keys.kid });
      for (const [claim, value] of Object.entries(s.claims)) assert.equal(payload[claim], value, claim);
      const iat = Math.floor(now.getTime() / 1000);
      assert.equal(payload.iat, iat);
      assert.equal(payload.nbf, iat);
      assert.equal(payload.exp, iat + s.ttl);
      assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
      assert.deepEqual(Object.keys(payload).sort(), ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'nbf', 'scope', 'sub']);
    });
  }

  it('gives every token its own jti', async () => {
    const [a, b] = await Promise.all([mintDevToken({ dataDir, client: 'x', scopes: [] }), mintDevToken({ dataDir, client: 'x', scopes: [] })]);
    assert.equal(decodeProtectedHeader(a).kid, decodeProtectedHeader(b).kid);
    const jti = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).jti;
    assert.notEqual(jti(a), jti(b));
  });

  const misuse: Array<{ name: string; request: { client: string; scopes: string[]; audience?: string; ttlSeconds?: number }; message: string }> = [
    { name: 'empty client', request: { client: ' ', scopes: [] }, message: 'client must not be empty' },
    { name: 'scope with a space', request: { client: 'c', scopes: ['orders read'] }, message: '"orders read" is not a valid scope token' },
    { name: 'scope with a quote', request: { client: 'c', scopes: ['a"b'] }, message: '"a"b" is not a valid scope token' },
    { name: 'zero lifetime', request: { client: 'c', scopes: [], ttlSeconds: 0 }, message: 'ttlSeconds must be a positive integer' },
    { name: 'fractional lifetime', request: { client: 'c', scopes: [], ttlSeconds: 1.5 }, message: 'ttlSeconds must be a positive integer' },
    { name: 'empty audience', request: { client: 'c', scopes: [], audience: '' }, message: 'audience must not be empty' },
  ];
  for (const m of misuse) {
    it(`throws TypeError for ${m.name}`, async () => {
      await assert.rejects(mintDevToken({ dataDir, ...m.request }), (error: unknown) => error instanceof TypeError && error.message === m.message);
    });
  }
});
