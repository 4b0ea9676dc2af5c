/** A development token minted under another data directory gets a 401 that names --data-dir / ACCORD_DATA_DIR. */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, generateKeyPair } from 'jose';
import { ensureDevKeys } from '../../src/dev/dev-issuer.js';
import { mintDevToken } from '../../src/dev/mint-dev-token.js';
import { withDevKeyHint, UNKNOWN_DEV_KEY_DETAIL } from '../../src/dev/dev-key-hint.js';
import { createJwtAuthenticator } from '../../src/gateway/policies/jwt-auth/index.js';
import type { PublicJwk } from '../../src/gateway/policies/jwt-auth/schema.js';
import { GatewayError } from '../../src/errors/problem.js';
import { createLogger } from '../../src/observability/logger.js';

const root = mkdtempSync(join(tmpdir(), 'accord-devhint-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('development key hint', async () => {
  const gatewayDir = join(root, 'gateway');
  const otherDir = join(root, 'other');
  const keys = await ensureDevKeys(gatewayDir);
  const corp = await generateKeyPair('ES256');
  const authenticator = withDevKeyHint(
    createJwtAuthenticator(
      [
        { id: 'dev', issuer: keys.issuer, jwks: keys.publicJwks as { keys: PublicJwk[] }, audiences: ['accord'], algorithms: ['ES256'] },
        { id: 'corp', issuer: 'https://idp.example', jwks: keys.publicJwks as { keys: PublicJwk[] }, audiences: ['accord'], algorithms: ['ES256'] },
      ],
      { logger: createLogger({ level: 'silent' }) },
    ),
    'dev',
  );
  after(() => authenticator.close());
  const mint = (dataDir: string): Promise<string> => mintDevToken({ dataDir, client: 'acme', scopes: ['orders:read'], audience: 'accord', ttlSeconds: 60 });
  const detailOf = async (token: string): Promise<string> => {
    try {
      await authenticator.authenticate(`Bearer ${token}`);
    } catch (error) {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'AUTH_TOKEN_INVALID');
      return error.message;
    }
    return 'accepted';
  };

  const cases: Array<{ name: string; token: () => Promise<string>; detail: string | RegExp }> = [
    { name: 'a token minted with the same data directory is accepted', token: () => mint(gatewayDir), detail: 'accepted' },
    { name: 'a token minted with another data directory names --data-dir and ACCORD_DATA_DIR', token: () => mint(otherDir), detail: UNKNOWN_DEV_KEY_DETAIL },
    {
      name: 'a token of another issuer with an unknown key keeps the plain detail',
      token: () => new SignJWT({ client_id: 'acme' }).setProtectedHeader({ alg: 'ES256', kid: 'corp-1' }).setIssuer('https://idp.example').setAudience('accord').setExpirationTime('1m').sign(corp.privateKey),
      detail: "token key id 'corp-1' is not in the key set of identity provider 'corp'",
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const detail = await detailOf(await c.token());
      if (typeof c.detail === 'string') assert.equal(detail, c.detail);
      else assert.match(detail, c.detail);
    });
  }
  it('the hint mentions both ways of choosing the data directory', () => {
    assert.match(UNKNOWN_DEV_KEY_DETAIL, /--data-dir/);
    assert.match(UNKNOWN_DEV_KEY_DETAIL, /ACCORD_DATA_DIR/);
  });
});
