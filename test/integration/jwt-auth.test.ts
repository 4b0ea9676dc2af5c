/** JWT authentication against a real oidc-provider: valid and hostile tokens, scopes, JWKS handling, token cache. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { pino } from 'pino';
import { GatewayError } from '../../src/errors/problem.js';
import {
  compileScopeCheck,
  createJwtAuthenticator,
  type IdentityProviderInput,
  type JwtAuthenticator,
  type Principal,
  type ScopeRequirement,
} from '../../src/gateway/policies/jwt-auth/index.js';
import { assertNoLeaks } from '../support/log-leaks.js';
import {
  createAttackerKey,
  mintHostileTokens,
  startJwksHost,
  startOAuthServer,
  type AttackerKey,
  type HostileTokenName,
  type JwksHost,
  type OAuthServer,
} from '../support/oauth-server.js';

/** A clock the tests move forward; jose, the key sets and the token cache all read it. */
function testClock(): { now: () => number; advance: (seconds: number) => void } {
  let offsetMs = 0;
  return { now: () => Date.now() + offsetMs, advance: (seconds) => (offsetMs += seconds * 1000) };
}

/** Every line the authenticators of this file logged, checked for credentials at the end. */
const loggedLines: string[] = [];

/** A pino logger writing into an array, to see what was logged. */
function capturedLogger(): { logger: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, {
    write: (line: string) => {
      loggedLines.push(line);
      lines.push(JSON.parse(line) as { level: number; msg: string });
    },
  });
  return { logger, lines };
}

/** The GatewayError an authentication ends with, whether thrown at once or rejected later. */
async function failure(run: () => Principal | Promise<Principal>): Promise<GatewayError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected authentication to fail');
}

function invalidChallenge(detail: string): string {
  return `Bearer realm="accord", error="invalid_token", error_description="${detail}"`;
}

let idp: OAuthServer;
let attacker: AttackerKey;
let attackerHost: JwksHost;
const opened: JwtAuthenticator[] = [];

function corp(overrides: Partial<IdentityProviderInput> = {}): IdentityProviderInput {
  return { id: 'corp', issuer: idp.issuer, jwksUri: idp.jwksUri, audiences: ['orders-api'], requireTyp: 'at+jwt', ...overrides };
}

function authenticator(providers: IdentityProviderInput[], deps: Parameters<typeof createJwtAuthenticator>[1] = {}): JwtAuthenticator {
  const created = createJwtAuthenticator(providers, deps);
  opened.push(created);
  return created;
}

before(async () => {
  idp = await startOAuthServer();
  attacker = await createAttackerKey();
  attackerHost = await startJwksHost([attacker.publicJwk]);
});

after(async () => {
  for (const a of opened) a.close();
  await idp.close();
  await attackerHost.close();
  assertNoLeaks(loggedLines, 'the JWT authenticator');
});

describe('a valid client-credentials token', () => {
  it('is accepted: consumer = provider id and client_id, scopes parsed, expiry kept', async () => {
    const token = await idp.getToken({ clientId: 'orders-app', scope: 'orders:read orders:write' });
    const principal = await authenticator([corp()]).authenticate(`Bearer ${token}`);
    const claims = decodeJwt(token);
    assert.equal(principal.consumerId, 'corp/orders-app');
    assert.equal(principal.consumerClaim, 'orders-app');
    assert.equal(principal.clientId, 'orders-app');
    assert.equal(principal.subject, 'orders-app');
    assert.equal(principal.providerId, 'corp');
    assert.equal(principal.issuer, idp.issuer);
    assert.deepEqual([...principal.scopes].sort(), ['orders:read', 'orders:write']);
    assert.equal(principal.expiresAt, claims.exp);
    assert.equal(principal.claims.jti, claims.jti);
  });

  it('is accepted with the scheme written in lower case', async () => {
    const token = await idp.getToken({ clientId: 'reporting', scope: 'orders:read' });
    const principal = await authenticator([corp()]).authenticate(`bearer ${token}`);
    assert.equal(principal.consumerId, 'corp/reporting');
  });

  it('is accepted from static keys without any fetch', async () => {
    const jwks = (await fetch(idp.jwksUri).then((r) => r.json())) as NonNullable<IdentityProviderInput['jwks']>;
    const before = idp.requestCount('/jwks');
    const token = await idp.getToken({ clientId: 'orders-app', scope: 'orders:read' });
    const principal = await authenticator([corp({ jwksUri: undefined, jwks })]).authenticate(`Bearer ${token}`);
    assert.equal(principal.consumerId, 'corp/orders-app');
    assert.equal(idp.requestCount('/jwks'), before);
  });

  it('is accepted with keys found by OIDC discovery', async () => {
    const discoveryBefore = idp.requestCount('/.well-known/openid-configuration');
    const token = await idp.getToken({ clientId: 'orders-app', scope: 'orders:read' });
    const principal = await authenticator([corp({ jwksUri: undefined, discovery: true })]).authenticate(`Bearer ${token}`);
    assert.equal(principal.consumerId, 'corp/orders-app');
    assert.equal(idp.requestCount('/.well-known/openid-configuration'), discoveryBefore + 1);
  });

  it('reads scopes from an scp array (Azure AD / Okta style)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await idp.sign({ iss: idp.issuer, aud: 'orders-api', azp: 'spa-client', sub: 'user-7', scp: ['orders:read', 'inventory:read'], exp: now + 600 });
    const principal = await authenticator([corp()]).authenticate(`Bearer ${token}`);
    assert.equal(principal.consumerId, 'corp/spa-client');
    assert.equal(principal.clientId, 'spa-client');
    assert.equal(principal.subject, 'user-7');
    assert.deepEqual([...principal.scopes].sort(), ['inventory:read', 'orders:read']);
  });
});

describe('the consumer of a token', () => {
  it('is refused when its claim is not well-formed Unicode (it would have no unambiguous id)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await idp.sign({ iss: idp.issuer, aud: 'orders-api', client_id: 'acme\ud800', sub: 'user-7', scope: 'orders:read', exp: now + 600 });
    const error = await failure(() => authenticator([corp()]).authenticate(`Bearer ${token}`));
    assert.equal(error.code, 'AUTH_TOKEN_INVALID');
    assert.equal(error.message, 'the consumer claim of the token is not well-formed Unicode');
  });

  it('is the provider id and the claim, percent-encoded', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await idp.sign({ iss: idp.issuer, aud: 'orders-api', client_id: 'partners/acme', sub: 'user-7', scope: 'orders:read', exp: now + 600 });
    const principal = await authenticator([corp()]).authenticate(`Bearer ${token}`);
    assert.equal(principal.consumerId, 'corp/partners%2Facme');
    assert.equal(principal.consumerClaim, 'partners/acme');
  });
});

describe('requests without a usable Bearer token', () => {
  const scenarios: Array<{ name: string; header: string | undefined; code: string; detail: string; challenge: string }> = [
    { name: 'no Authorization header', header: undefined, code: 'AUTH_TOKEN_MISSING', detail: 'request has no Authorization header', challenge: 'Bearer realm="accord"' },
    { name: 'Basic credentials', header: 'Basic b3JkZXJzOnNlY3JldA==', code: 'AUTH_TOKEN_MISSING', detail: 'Authorization header does not use the Bearer scheme', challenge: 'Bearer realm="accord"' },
    { name: 'empty Bearer token', header: 'Bearer   ', code: 'AUTH_TOKEN_MISSING', detail: 'Authorization header has an empty Bearer token', challenge: 'Bearer realm="accord"' },
    { name: 'the scheme alone', header: 'Bearer', code: 'AUTH_TOKEN_MISSING', detail: 'Authorization header has an empty Bearer token', challenge: 'Bearer realm="accord"' },
    {
      name: 'not a JWT',
      header: 'Bearer opaque-token-value',
      code: 'AUTH_TOKEN_INVALID',
      detail: 'token is not a JWS in compact form (three dot-separated parts)',
      challenge: invalidChallenge('token is not a JWS in compact form (three dot-separated parts)'),
    },
    {
      name: 'three parts that are not JSON',
      header: 'Bearer aaaa.bbbb.cccc',
      code: 'AUTH_TOKEN_INVALID',
      detail: 'token header is not base64url-encoded JSON',
      challenge: invalidChallenge('token header is not base64url-encoded JSON'),
    },
    {
      name: 'an encrypted token (JWE)',
      header: 'Bearer eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aaaa.bbbb.cccc',
      code: 'AUTH_TOKEN_INVALID',
      detail: 'encrypted tokens (JWE) are not accepted',
      challenge: invalidChallenge('encrypted tokens (JWE) are not accepted'),
    },
    {
      name: 'characters outside b64token',
      header: 'Bearer abc"def.ghi.jkl',
      code: 'AUTH_TOKEN_INVALID',
      detail: 'token contains characters not allowed in a Bearer token',
      challenge: invalidChallenge('token contains characters not allowed in a Bearer token'),
    },
  ];
  for (const s of scenarios) {
    it(`${s.name} -> ${s.code}`, async () => {
      const error = await failure(() => authenticator([corp()]).authenticate(s.header));
      assert.equal(error.code, s.code);
      assert.equal(error.status, 401);
      assert.equal(error.message, s.detail);
      assert.deepEqual(error.headers, { 'www-authenticate': s.challenge });
    });
  }
});

describe('hostile tokens', () => {
  let tokens: Record<HostileTokenName, string>;
  let auth: JwtAuthenticator;
  before(async () => {
    const validToken = await idp.getToken({ clientId: 'reporting', scope: 'orders:read' });
    tokens = await mintHostileTokens(idp, { audience: 'orders-api', clientId: 'reporting', scope: 'orders:read', attacker, attackerHost, validToken });
    auth = authenticator([corp()]);
  });

  const iso = (name: HostileTokenName, claim: 'exp' | 'nbf'): string => new Date(Number(decodeJwt(tokens[name])[claim]) * 1000).toISOString();
  const scenarios: Array<{ name: string; token: HostileTokenName; code: 'AUTH_TOKEN_INVALID' | 'AUTH_TOKEN_EXPIRED'; detail: () => string }> = [
    { name: 'expired', token: 'expired', code: 'AUTH_TOKEN_EXPIRED', detail: () => `token expired at ${iso('expired', 'exp')}` },
    { name: 'nbf in the future', token: 'notYetValid', code: 'AUTH_TOKEN_INVALID', detail: () => `token is not valid before ${iso('notYetValid', 'nbf')}` },
    { name: 'issuer not configured', token: 'wrongIssuer', code: 'AUTH_TOKEN_INVALID', detail: () => "token issuer 'https://evil.example' is not trusted here" },
    { name: 'audience of another API', token: 'wrongAudience', code: 'AUTH_TOKEN_INVALID', detail: () => "token audience does not include 'orders-api'" },
    { name: 'no exp claim', token: 'missingExp', code: 'AUTH_TOKEN_INVALID', detail: () => "token has no 'exp' claim" },
    { name: 'typ JWT where at+jwt is required', token: 'wrongTyp', code: 'AUTH_TOKEN_INVALID', detail: () => "token type 'JWT' is not the required 'at+jwt'" },
    { name: 'alg none', token: 'algNone', code: 'AUTH_TOKEN_INVALID', detail: () => "unsigned tokens (alg 'none') are not accepted" },
    {
      name: 'HS256 signed with the RSA public key PEM as secret',
      token: 'hs256WithPublicKeyPem',
      code: 'AUTH_TOKEN_INVALID',
      detail: () => "token algorithm 'HS256' is not allowed by identity provider 'corp' (allowed: RS256, ES256, PS256, EdDSA)",
    },
    {
      name: 'ES256 header naming the RSA key',
      token: 'es256WithRsaKid',
      code: 'AUTH_TOKEN_INVALID',
      detail: () => `key '${idp.signingKid}' of identity provider 'corp' cannot verify ES256 signatures`,
    },
    { name: 'unknown kid', token: 'unknownKid', code: 'AUTH_TOKEN_INVALID', detail: () => `token key id '${attacker.kid}' is not in the key set of identity provider 'corp'` },
    { name: "attacker key under the IdP's kid", token: 'attackerKeyWithIdpKid', code: 'AUTH_TOKEN_INVALID', detail: () => "token signature does not verify with the keys of identity provider 'corp'" },
    { name: 'tampered payload', token: 'tamperedPayload', code: 'AUTH_TOKEN_INVALID', detail: () => "token signature does not verify with the keys of identity provider 'corp'" },
    { name: 'jku header pointing at the attacker', token: 'jkuHeader', code: 'AUTH_TOKEN_INVALID', detail: () => "token signature does not verify with the keys of identity provider 'corp'" },
    { name: 'x5u header pointing at the attacker', token: 'x5uHeader', code: 'AUTH_TOKEN_INVALID', detail: () => "token signature does not verify with the keys of identity provider 'corp'" },
    { name: "embedded jwk header with the attacker's key", token: 'embeddedJwk', code: 'AUTH_TOKEN_INVALID', detail: () => "token signature does not verify with the keys of identity provider 'corp'" },
  ];
  for (const s of scenarios) {
    it(`${s.name} -> ${s.code}`, async () => {
      const error = await failure(() => auth.authenticate(`Bearer ${tokens[s.token]}`));
      assert.equal(error.code, s.code);
      assert.equal(error.status, 401);
      assert.equal(error.message, s.detail());
      assert.deepEqual(error.headers, { 'www-authenticate': invalidChallenge(s.detail()) });
      assert.ok(!error.message.includes(tokens[s.token].slice(0, 20)), 'the detail must not echo the token');
    });
  }

  it('the HS256 token is a real confusion attack: a naive HMAC check with the PEM passes', async () => {
    const pem = await idp.publicKeyPem();
    const { payload } = await jwtVerify(tokens.hs256WithPublicKeyPem, new TextEncoder().encode(pem), { algorithms: ['HS256'] });
    assert.equal(payload.iss, idp.issuer);
  });

  it('the attacker host was never asked for keys (jku, x5u ignored)', () => {
    assert.equal(attackerHost.requestCount(), 0);
  });

  it('the unverified issuer only selects a provider: a token of one provider is refused by an API accepting another', async () => {
    const other = authenticator([corp(), corp({ id: 'partner', issuer: 'https://partner.example', jwksUri: 'http://127.0.0.1:9/jwks' })]);
    const token = await idp.getToken({ clientId: 'orders-app', scope: 'orders:read' });
    const error = await failure(() => other.authenticate(`Bearer ${token}`, ['partner']));
    assert.equal(error.code, 'AUTH_TOKEN_INVALID');
    assert.equal(error.message, `token issuer '${idp.issuer}' is not trusted here`);
  });
});

describe('scope checks (operation security: OR of requirements, AND within one)', () => {
  let readWrite: Principal;
  let readOnly: Principal;
  before(async () => {
    const auth = authenticator([corp()]);
    readWrite = await auth.authenticate(`Bearer ${await idp.getToken({ clientId: 'orders-app', scope: 'orders:read orders:write' })}`);
    readOnly = await auth.authenticate(`Bearer ${await idp.getToken({ clientId: 'reporting', scope: 'orders:read' })}`);
  });

  const oauth = (...scopes: string[]): { scheme: string; scopes: string[] } => ({ scheme: 'oauth', scopes });
  const scenarios: Array<{ name: string; who: 'readWrite' | 'readOnly'; security: ScopeRequirement[]; denied?: { detail: string; scope: string } }> = [
    { name: 'no security at all', who: 'readOnly', security: [] },
    { name: 'an empty requirement (security: [{}])', who: 'readOnly', security: [[]] },
    { name: 'one scope held', who: 'readOnly', security: [[oauth('orders:read')]] },
    { name: 'all scopes of the requirement held', who: 'readWrite', security: [[oauth('orders:read', 'orders:write')]] },
    {
      name: 'AND within a requirement: one scope missing',
      who: 'readOnly',
      security: [[oauth('orders:read', 'orders:write')]],
      denied: { detail: "token lacks scope 'orders:write'", scope: 'orders:read orders:write' },
    },
    {
      name: 'AND across schemes of one requirement',
      who: 'readOnly',
      security: [[oauth('orders:read'), { scheme: 'openid', scopes: ['inventory:read'] }]],
      denied: { detail: "token lacks scope 'inventory:read'", scope: 'orders:read inventory:read' },
    },
    { name: 'OR across requirements: the second suffices', who: 'readOnly', security: [[oauth('orders:write')], [oauth('orders:read')]] },
    {
      name: 'OR across requirements: none suffices, the closest is named',
      who: 'readOnly',
      security: [[oauth('admin', 'orders:write', 'inventory:read')], [oauth('orders:read', 'orders:write')]],
      denied: { detail: "token lacks scope 'orders:write' (closest of 2 alternatives; it needs 'orders:read', 'orders:write')", scope: 'orders:read orders:write' },
    },
  ];
  for (const s of scenarios) {
    it(`${s.name} -> ${s.denied ? '403 AUTH_SCOPE_INSUFFICIENT' : 'allowed'}`, () => {
      const principal = s.who === 'readWrite' ? readWrite : readOnly;
      if (!s.denied) {
        compileScopeCheck(s.security)(principal);
        return;
      }
      assert.throws(
        () => compileScopeCheck(s.security)(principal),
        (error: unknown) => {
          assert.ok(error instanceof GatewayError);
          assert.equal(error.code, 'AUTH_SCOPE_INSUFFICIENT');
          assert.equal(error.status, 403);
          assert.equal(error.message, s.denied!.detail);
          assert.deepEqual(error.headers, {
            'www-authenticate': `Bearer realm="accord", error="insufficient_scope", scope="${s.denied!.scope}", error_description="${s.denied!.detail}"`,
          });
          return true;
        },
      );
    });
  }
});

describe('JWKS handling', () => {
  it('key rotation: a token with the new kid is accepted after one refetch (once the cooldown allows it)', async () => {
    const rotating = await startOAuthServer();
    try {
      const clock = testClock();
      const auth = authenticator([corp({ issuer: rotating.issuer, jwksUri: rotating.jwksUri })], { now: clock.now });
      const oldToken = await rotating.getToken({ clientId: 'orders-app', scope: 'orders:read' });
      await auth.authenticate(`Bearer ${oldToken}`);
      assert.equal(rotating.requestCount('/jwks'), 1);

      const newKid = await rotating.rotateKeys();
      const newToken = await rotating.getToken({ clientId: 'orders-app', scope: 'orders:read' });
      assert.equal(decodeProtectedHeader(newToken).kid, newKid);

      const early = await failure(() => auth.authenticate(`Bearer ${newToken}`));
      assert.equal(early.message, `token key id '${newKid}' is not in the key set of identity provider 'corp'`);
      assert.equal(rotating.requestCount('/jwks'), 1, 'no refetch inside the cooldown');

      clock.advance(31);
      const principal = await auth.authenticate(`Bearer ${newToken}`);
      assert.equal(principal.consumerId, 'corp/orders-app');
      assert.equal(rotating.requestCount('/jwks'), 2);
      const stillValid = await rotating.getToken({ clientId: 'reporting', scope: 'orders:read' });
      assert.equal((await auth.authenticate(`Bearer ${stillValid}`)).consumerId, 'corp/reporting');
      assert.equal(rotating.requestCount('/jwks'), 2);
    } finally {
      await rotating.close();
    }
  });

  it('50 concurrent tokens with random unknown kids cause one refetch, then none within the cooldown', async () => {
    const counted = await startOAuthServer();
    try {
      const clock = testClock();
      const auth = authenticator([corp({ issuer: counted.issuer, jwksUri: counted.jwksUri })], { now: clock.now });
      await auth.authenticate(`Bearer ${await counted.getToken({ clientId: 'orders-app', scope: 'orders:read' })}`);
      assert.equal(counted.requestCount('/jwks'), 1);
      const now = Math.floor(Date.now() / 1000);
      const randomKidTokens = (): Promise<string[]> =>
        Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            new SignJWT({ iss: counted.issuer, aud: 'orders-api', client_id: `c${i}`, exp: now + 600 })
              .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: `random-${i}-${Math.random().toString(36).slice(2)}` })
              .sign(attacker.privateKey),
          ),
        );
      clock.advance(31);
      const burst = await Promise.all((await randomKidTokens()).map((t) => failure(() => auth.authenticate(`Bearer ${t}`))));
      assert.deepEqual(new Set(burst.map((e) => e.code)), new Set(['AUTH_TOKEN_INVALID']));
      assert.equal(counted.requestCount('/jwks'), 2, 'one refetch for the whole burst');
      const second = await Promise.all((await randomKidTokens()).map((t) => failure(() => auth.authenticate(`Bearer ${t}`))));
      assert.equal(second.length, 50);
      assert.equal(counted.requestCount('/jwks'), 2, 'none within the cooldown');
    } finally {
      await counted.close();
    }
  });

  it('IdP down with a stale key set: known kids keep verifying and the failed refresh is logged', async () => {
    const flaky = await startOAuthServer();
    const clock = testClock();
    const { logger, lines } = capturedLogger();
    const auth = authenticator([corp({ issuer: flaky.issuer, jwksUri: flaky.jwksUri })], { now: clock.now, logger });
    const first = await flaky.getToken({ clientId: 'orders-app', scope: 'orders:read' });
    const second = await flaky.getToken({ clientId: 'reporting', scope: 'orders:read' });
    await auth.authenticate(`Bearer ${first}`);
    await flaky.close();

    clock.advance(601);
    const principal = await auth.authenticate(`Bearer ${second}`);
    assert.equal(principal.consumerId, 'corp/reporting');
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    assert.deepEqual(warnings, ['identity provider key refresh failed; keeping the previous key set']);
  });

  it('IdP unreachable from the start: 503 SERVICE_UNAVAILABLE with Retry-After, not a 401', async () => {
    const gone = await startOAuthServer();
    const token = await gone.getToken({ clientId: 'orders-app', scope: 'orders:read' });
    await gone.close();
    const clock = testClock();
    const auth = authenticator([corp({ issuer: gone.issuer, jwksUri: gone.jwksUri })], { now: clock.now });
    const error = await failure(() => auth.authenticate(`Bearer ${token}`));
    assert.equal(error.code, 'SERVICE_UNAVAILABLE');
    assert.equal(error.message, "signing keys of identity provider 'corp' are not available yet");
    assert.deepEqual(error.headers, { 'retry-after': '30' });
  });
});

describe('verified-token cache', () => {
  it('a second request with the same token is answered synchronously with the same principal', async () => {
    const auth = authenticator([corp()]);
    const header = `Bearer ${await idp.getToken({ clientId: 'orders-app', scope: 'orders:read' })}`;
    const first = auth.authenticate(header);
    assert.ok(first instanceof Promise, 'the first verification is asynchronous');
    const principal = await first;
    const second = auth.authenticate(header);
    assert.ok(!(second instanceof Promise), 'a cache hit returns synchronously');
    assert.equal(second, principal);
  });

  it('a cached token is refused once exp plus the clock tolerance has passed', async () => {
    const clock = testClock();
    const auth = authenticator([corp()], { now: clock.now });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const header = `Bearer ${await idp.sign({ iss: idp.issuer, aud: 'orders-api', client_id: 'short-lived', exp })}`;
    await auth.authenticate(header);
    clock.advance(exp - Math.floor(clock.now() / 1000) + 10);
    assert.ok(!(auth.authenticate(header) instanceof Promise), 'still within the 30 s tolerance: a cache hit');
    clock.advance(21);
    const late = auth.authenticate(header);
    assert.ok(late instanceof Promise, 'an expired entry is not served from the cache');
    const error = await failure(() => late);
    assert.equal(error.code, 'AUTH_TOKEN_EXPIRED');
    assert.equal(error.message, `token expired at ${new Date(exp * 1000).toISOString()}`);
    assert.deepEqual(error.headers, { 'www-authenticate': invalidChallenge(error.message) });
  });

  it('an entry is reverified after tokenCacheMaxAgeSeconds even though the token is still valid', async () => {
    const clock = testClock();
    const auth = authenticator([corp({ tokenCacheMaxAgeSeconds: 60 })], { now: clock.now });
    const header = `Bearer ${await idp.getToken({ clientId: 'orders-app', scope: 'orders:read' })}`;
    await auth.authenticate(header);
    clock.advance(61);
    const again = auth.authenticate(header);
    assert.ok(again instanceof Promise);
    assert.equal((await again).consumerId, 'corp/orders-app');
  });

  it('is not shared across providers with different audiences', async () => {
    const auth = authenticator([corp({ id: 'orders' }), corp({ id: 'billing', audiences: ['billing-api'] })]);
    const header = `Bearer ${await idp.getToken({ clientId: 'orders-app', scope: 'orders:read' })}`;
    assert.equal((await auth.authenticate(header, ['orders'])).providerId, 'orders');
    assert.ok(!(auth.authenticate(header, ['orders']) instanceof Promise));
    const forBilling = auth.authenticate(header, ['billing']);
    assert.ok(forBilling instanceof Promise, 'a hit for another provider is not used');
    const error = await failure(() => forBilling);
    assert.equal(error.code, 'AUTH_TOKEN_INVALID');
    assert.equal(error.message, "token audience does not include 'billing-api'");
  });
});
