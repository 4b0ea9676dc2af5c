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

/**
 * Writes `<dir>/<name>/gateway.yaml` for one Accord variant and returns that folder.
 *
 * `profile` "core" keeps to the policies every build since the first benchmark knows (JWT + scopes,
 * rate limit, request validation), so another build can run the same file; "all" turns on every
 * policy this build has, and `omit` leaves one of them out (usage, ip-rules, plan, consumers).
 * `distinct` (thousands of clients): consumers are resolved, and callers that are none of them
 * admitted, so that every token is still a success.
 */
export function writeAccordConfig(dir, name, { issuer, upstreamUrl, responseValidation, profile = 'all', distinct = false, tls = undefined, olderBuild = false, omit = undefined, idempotency = false }) {
  const configDir = join(dir, name);
  mkdirSync(configDir, { recursive: true });
  const config = {
    version: 1,
    contractsDir: '../contracts',
    listen: { host: '127.0.0.1', port: 0 },

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
  if (profile === 'all') {
    // The bench client is a declared consumer entitled to the API: resolution and entitlement run.
    // A plan with a rate and a calendar quota, far above what a run sends: both are counted, none refuses.
    config.plans = [{ id: 'bench-plan', rate: { limit: 1_000_000_000, per: 'minute' }, quota: { limit: 1_000_000_000, per: 'day', timeZone: 'Europe/Paris' } }];
    config.consumers = [
      {
        id: 'bench-partner',
        contact: 'bench@example.test',
        plan: 'bench-plan',
        identities: [{ provider: 'bench', claim: 'bench-client' }, { provider: 'bench', claim: 'bench-reader' }],
        entitlements: [{ api: 'shop' }],
        // The load comes from loopback: the consumer's own list is checked and admits it.
        ipRules: { allow: ['127.0.0.0/8'] },
      },
    ];
    // The API's lists: checked on every request, loopback allowed, a documentation range denied.
    config.apis[0].ipRules = { allow: ['127.0.0.0/8', '::1'], deny: ['192.0.2.0/24'] };
    // Usage records (memory store, request fingerprints at the default sampling).
    config.usage = { enabled: true };
    if (distinct) config.apis[0].admit = 'any-authenticated';
    // One partner policy left out of "all": what that policy costs is the difference, in the same run.
    if (omit === 'usage') delete config.usage;
    else if (omit === 'ip-rules') {
      delete config.apis[0].ipRules;
      delete config.consumers[0].ipRules;
    } else if (omit === 'plan') {
      delete config.consumers[0].plan;
      delete config.plans;
    } else if (omit === 'consumers') {
      // Without declared consumers every authenticated caller is admitted (and no plan applies).
      delete config.consumers;
      delete config.plans;
    } else if (omit !== undefined) throw new Error(`unknown policy to omit: ${omit}`);
  }
  // The bench measures the data plane; an admin listener on its default port would meet the other
  // variants' (a build from before the admin listener does not know the setting).
  if (!olderBuild) config.admin = { enabled: false };
  // HTTPS with a server certificate; the API does not ask the load for client certificates.
  if (tls) config.listen.tls = tls;
  // Idempotency-Key on the POST (memory store, defaults): a key claimed, the response captured and stored.
  if (idempotency) config.apis[0].idempotency = { enabled: true };
  writeFileSync(join(configDir, 'gateway.yaml'), stringify(config));
  return configDir;
}
