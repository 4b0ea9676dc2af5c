/**
 * Prepares what Accord needs in the bench's temp folder: the contract, one configuration folder
 * per Accord variant (a static-JWKS identity provider, JWT + scopes, a rate limit too high to
 * reject, request validation, a chosen response validation mode), and the RS256 tokens.
 */
import { mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { createPrivateKey, sign } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { generateKeyPair, exportJWK, SignJWT } from 'jose';

const ISSUER = 'https://issuer.bench.test';
const AUDIENCE = 'bench-api';
const KID = 'bench-key-1';
const SCOPE = 'items:read items:write';

/** The signing key trusted by the bench's gateways, with one token for every request of a run. */
export async function createBenchIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const token = await new SignJWT({ client_id: 'bench-client', scope: SCOPE })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('bench-client')
    .setIssuedAt()
    .setExpirationTime('3h')
    .sign(privateKey);
  const readOnlyToken = await new SignJWT({ client_id: 'bench-reader', scope: 'items:read' })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('bench-reader')
    .setIssuedAt()
    .setExpirationTime('3h')
    .sign(privateKey);
  return { publicJwk, privateJwk: await exportJWK(privateKey), token, readOnlyToken };
}

/**
 * Mints `count` tokens of distinct clients into `file`, one per line. node:crypto signs about
 * three times faster than jose's WebCrypto path, which matters for thousands of tokens; the
 * tokens are the same compact RS256 JWS that jose verifies.
 */
export function writeDistinctTokens(issuer, count, file) {
  const key = createPrivateKey({ key: issuer.privateJwk, format: 'jwk' });
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', kid: KID, typ: 'at+jwt' });
  const iat = Math.floor(Date.now() / 1000);
  const lines = [];
  for (let i = 0; i < count; i++) {
    const client = `bench-client-${i}`;
    const input = `${header}.${encode({ client_id: client, scope: SCOPE, iss: ISSUER, aud: AUDIENCE, sub: client, iat, exp: iat + 3 * 3600 })}`;
    lines.push(`${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Writes contracts/shop/1.0.0.yaml under `dir` (shared by every Accord variant). */
export function writeContracts(dir) {
  mkdirSync(join(dir, 'contracts', 'shop'), { recursive: true });
  copyFileSync(join(import.meta.dirname, 'bench-contract.yaml'), join(dir, 'contracts', 'shop', '1.0.0.yaml'));
}

/** Writes `<dir>/<name>/gateway.yaml` for one Accord variant and returns that folder. */
export function writeAccordConfig(dir, name, { issuer, upstreamUrl, responseValidation }) {
  const configDir = join(dir, name);
  mkdirSync(configDir, { recursive: true });
  const config = {
    version: 1,
    contractsDir: '../contracts',
    listen: { host: '127.0.0.1', port: 0 },
    // The bench measures the data plane; an admin listener on its default port could meet a running gateway.
    admin: { enabled: false },
    identityProviders: [{ id: 'bench', issuer: ISSUER, jwks: { keys: [issuer.publicJwk] }, audiences: [AUDIENCE], algorithms: ['RS256'] }],
    apis: [
      {
        id: 'shop',
        basePath: '/shop',
        versions: [{ version: '1.0.0', upstream: upstreamUrl }],
        auth: { providers: ['bench'] },
        // Per consumer; far above what one client sends in a run, so it counts without rejecting.
        rateLimit: { points: 1_000_000_000, windowSeconds: 60 },
        requestValidation: true,
        responseValidation,
      },
    ],
  };
  writeFileSync(join(configDir, 'gateway.yaml'), stringify(config));
  return configDir;
}
