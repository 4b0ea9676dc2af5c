/** The identity provider schema: defaults, refused values with their pointers, and the cross-field checks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import {
  checkIdentityProvider,
  createJwtAuthenticator,
  identityProviderSchema,
  type IdentityProviderInput,
} from '../../src/gateway/policies/jwt-auth/index.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
// The same Ajv settings as the config loader (src/config/load-config.ts).
const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(identityProviderSchema);

const RSA_PUBLIC = { kty: 'RSA', kid: 'k1', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw', e: 'AQAB' };
const EC_PUBLIC = { kty: 'EC', crv: 'P-256', kid: 'e1', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };

function errorsOf(data: unknown): Array<{ pointer: string; keyword: string }> {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({ pointer: e.instancePath, keyword: e.keyword }));
}

describe('identity provider schema', () => {
  it('fills every default', () => {
    const provider = { id: 'corp', issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks', audiences: ['orders-api'] };
    assert.deepEqual(errorsOf(provider), []);
    assert.deepEqual(provider, {
      id: 'corp',
      issuer: 'https://idp.example',
      jwksUri: 'https://idp.example/jwks',
      audiences: ['orders-api'],
      discovery: false,
      algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      clockToleranceSeconds: 30,
      consumerClaims: ['client_id', 'azp', 'sub'],
      jwksCooldownSeconds: 30,
      jwksCacheMaxAgeSeconds: 600,
      timeoutMs: 5000,
      tokenCacheMaxAgeSeconds: 300,
    });
  });

  it('gives every property a type and a description', () => {
    for (const [name, property] of Object.entries(identityProviderSchema.properties)) {
      assert.ok('type' in property, `${name} has a type`);
      assert.ok(property.description.length > 10, `${name} has a description`);
    }
  });

  const base = { id: 'corp', issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks', audiences: ['orders-api'] };
  const refused: Array<{ name: string; data: unknown; errors: Array<{ pointer: string; keyword: string }> }> = [
    { name: "algorithm 'none'", data: { ...base, algorithms: ['RS256', 'none'] }, errors: [{ pointer: '/algorithms/1', keyword: 'enum' }] },
    { name: 'an HMAC algorithm', data: { ...base, algorithms: ['HS256'] }, errors: [{ pointer: '/algorithms/0', keyword: 'enum' }] },
    { name: 'no algorithm', data: { ...base, algorithms: [] }, errors: [{ pointer: '/algorithms', keyword: 'minItems' }] },
    { name: 'no audiences', data: { id: 'corp', issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks' }, errors: [{ pointer: '', keyword: 'required' }] },
    { name: 'an empty audience', data: { ...base, audiences: [''] }, errors: [{ pointer: '/audiences/0', keyword: 'minLength' }] },
    { name: 'a jwksUri that is not http(s)', data: { ...base, jwksUri: 'file:///etc/jwks.json' }, errors: [{ pointer: '/jwksUri', keyword: 'pattern' }] },
    { name: 'a negative clock tolerance', data: { ...base, clockToleranceSeconds: -1 }, errors: [{ pointer: '/clockToleranceSeconds', keyword: 'minimum' }] },
    { name: 'an unknown property', data: { ...base, audience: 'x' }, errors: [{ pointer: '', keyword: 'additionalProperties' }] },
    { name: 'a symmetric static key', data: { ...base, jwksUri: undefined, jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, errors: [{ pointer: '/jwks/keys/0/kty', keyword: 'enum' }] },
  ];
  for (const s of refused) {
    it(`refuses ${s.name}`, () => {
      const data = JSON.parse(JSON.stringify(s.data)) as unknown;
      assert.deepEqual(errorsOf(data), s.errors);
    });
  }
});

describe('identity provider cross-field checks', () => {
  const base: IdentityProviderInput = { id: 'corp', issuer: 'https://idp.example', audiences: ['orders-api'] };
  const scenarios: Array<{ name: string; provider: IdentityProviderInput; issues: Array<{ pointer: string; message: string }> }> = [
    { name: 'jwksUri alone', provider: { ...base, jwksUri: 'https://idp.example/jwks' }, issues: [] },
    { name: 'discovery alone', provider: { ...base, discovery: true }, issues: [] },
    { name: 'static keys alone', provider: { ...base, jwks: { keys: [RSA_PUBLIC as never] } }, issues: [] },
    { name: 'http on loopback', provider: { ...base, jwksUri: 'http://127.0.0.1:4000/jwks' }, issues: [] },
    { name: 'no key source', provider: base, issues: [{ pointer: '', message: 'no key source: set exactly one of jwksUri, discovery: true or jwks' }] },
    {
      name: 'discovery: false is no key source',
      provider: { ...base, discovery: false },
      issues: [{ pointer: '', message: 'no key source: set exactly one of jwksUri, discovery: true or jwks' }],
    },
    {
      name: 'jwksUri and static keys',
      provider: { ...base, jwksUri: 'https://idp.example/jwks', jwks: { keys: [RSA_PUBLIC as never] } },
      issues: [{ pointer: '/jwks', message: 'jwks cannot be combined with jwksUri: set exactly one of jwksUri, discovery: true or jwks' }],
    },
    {
      name: 'jwksUri and discovery',
      provider: { ...base, jwksUri: 'https://idp.example/jwks', discovery: true },
      issues: [{ pointer: '/discovery', message: 'discovery cannot be combined with jwksUri: set exactly one of jwksUri, discovery: true or jwks' }],
    },
    {
      name: 'plain http JWKS on another host',
      provider: { ...base, jwksUri: 'http://idp.example/jwks' },
      issues: [{ pointer: '/jwksUri', message: 'the JWKS must be fetched over https (plain http only for localhost, 127.0.0.1 or [::1])' }],
    },
    {
      name: 'discovery of a plain http issuer on another host',
      provider: { ...base, issuer: 'http://idp.example', discovery: true },
      issues: [{ pointer: '/issuer', message: 'discovery needs an https issuer (plain http only for localhost, 127.0.0.1 or [::1])' }],
    },
    {
      name: 'a private key among static keys',
      provider: { ...base, jwks: { keys: [{ ...RSA_PUBLIC, d: 'secret' } as never] } },
      issues: [{ pointer: '/jwks/keys/0/d', message: 'private key material ("d") must not be configured; give the public key only' }],
    },
    {
      name: 'a static EC key when only RSA algorithms are allowed',
      provider: { ...base, algorithms: ['RS256'], jwks: { keys: [RSA_PUBLIC as never, EC_PUBLIC as never] } },
      issues: [{ pointer: '/jwks/keys/1', message: 'key fits none of the allowed algorithms (RS256)' }],
    },
  ];
  for (const s of scenarios) {
    it(`${s.name} -> ${s.issues.length === 0 ? 'accepted' : s.issues[0].pointer || '/'}`, () => {
      assert.deepEqual(checkIdentityProvider(s.provider), s.issues);
    });
  }

  it('the factory accepts the local dev issuer: a URN issuer with static keys', () => {
    const auth = createJwtAuthenticator([{ id: 'local-dev', issuer: 'urn:accord:dev', jwks: { keys: [EC_PUBLIC as never] }, audiences: ['orders-api'] }]);
    auth.close();
  });

  it('the factory refuses a misconfigured provider with TypeError naming pointer and problem', () => {
    assert.throws(
      () => createJwtAuthenticator([{ ...base, jwksUri: 'https://idp.example/jwks' }, { ...base, id: 'other', jwksUri: 'https://idp.example/jwks', algorithms: ['HS256' as never] }]),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.equal(
          error.message,
          "invalid identity providers:\n/1/algorithms/0: 'HS256' is not an allowed algorithm (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519)",
        );
        return true;
      },
    );
    assert.throws(
      () => createJwtAuthenticator([{ ...base, jwksUri: 'https://idp.example/jwks' }, { ...base, jwksUri: 'https://idp.example/jwks' }]),
      { name: 'TypeError', message: 'invalid identity providers:\n/1/id: duplicate identity provider id "corp"' },
    );
  });
});
