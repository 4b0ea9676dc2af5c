/** Config schema of one identity provider (a JWT issuer) and its cross-field checks. */

/**
 * Signature algorithms an identity provider may be allowed. Only asymmetric ones: keys come
 * from a JWKS, which holds public keys, so an HMAC algorithm could only be verified with a
 * secret the gateway does not have (or, worse, with a public key misused as a secret).
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** One allowed JWS algorithm. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** A public JSON Web Key as it appears in a JWKS (RFC 7517). */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP';
  kid?: string;
  use?: string;
  alg?: string;
  key_ops?: string[];
  crv?: string;
  n?: string;
  e?: string;
  x?: string;
  y?: string;
  [member: string]: unknown;
}

/**
 * One identity provider after the schema's defaults are applied: the mirror of
 * `identityProviderSchema`, kept next to it so the two are edited together.
 */
export interface IdentityProviderConfig {
  id: string;
  issuer: string;
  jwksUri?: string;
  discovery?: boolean;
  jwks?: { keys: PublicJwk[] };
  audiences: string[];
  algorithms: AsymmetricAlgorithm[];
  clockToleranceSeconds: number;
  requireTyp?: string;
  consumerClaims: string[];
  jwksCooldownSeconds: number;
  jwksCacheMaxAgeSeconds: number;
  timeoutMs: number;
  tokenCacheMaxAgeSeconds: number;
}

/** Fields of `IdentityProviderConfig` that the schema fills with a default when absent. */
type DefaultedField =
  | 'algorithms'
  | 'clockToleranceSeconds'
  | 'consumerClaims'
  | 'jwksCooldownSeconds'
  | 'jwksCacheMaxAgeSeconds'
  | 'timeoutMs'
  | 'tokenCacheMaxAgeSeconds';

/** One identity provider as written by a user: the defaulted fields may be left out. */
export type IdentityProviderInput = Omit<IdentityProviderConfig, DefaultedField> & Partial<Pick<IdentityProviderConfig, DefaultedField>>;

/** JSON Schema (draft 2020-12) of one entry of `identityProviders`. Ajv applies the defaults. */
export const identityProviderSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'issuer', 'audiences'],
  description:
    'An OAuth2/OIDC issuer whose JWT access tokens are accepted. Exactly one key source: jwksUri, discovery: true, or static jwks.',
  properties: {
    id: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
      description: 'Name of this provider; APIs list it under auth.providers, logs and metrics carry it.',
    },
    issuer: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      description: "Exact value of the tokens' `iss` claim; also the base URL of discovery.",
    },
    jwksUri: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      description: 'URL of the JSON Web Key Set holding the signing keys (https; plain http only for loopback hosts).',
    },
    discovery: {
      type: 'boolean',
      default: false,
      description: 'Find the JWKS URL in <issuer>/.well-known/openid-configuration instead of setting jwksUri.',
    },
    jwks: {
      type: 'object',
      additionalProperties: false,
      required: ['keys'],
      description: 'Static public keys (e.g. the local development issuer). Never private keys.',
      properties: {
        keys: {
          type: 'array',
          minItems: 1,
          description: 'Public JWKs.',
          items: {
            type: 'object',
            required: ['kty'],
            description: 'One public JWK (RFC 7517).',
            properties: {
              kty: { type: 'string', enum: ['RSA', 'EC', 'OKP'], description: 'Key type.' },
              kid: { type: 'string', description: 'Key id that tokens name in their `kid` header.' },
              use: { type: 'string', description: 'Intended use; only `sig` keys are used.' },
              alg: { type: 'string', description: 'Algorithm this key is restricted to.' },
            },
          },
        },
      },
    },
    audiences: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'The token `aud` must contain at least one of these.',
    },
    algorithms: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', enum: [...ASYMMETRIC_ALGORITHMS] },
      default: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      description: "Allowed signature algorithms. Asymmetric only: 'none' and HS* can never be allowed.",
    },
    clockToleranceSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: 300,
      default: 30,
      description: 'Clock skew tolerated when checking `exp` and `nbf`.',
    },
    requireTyp: {
      type: 'string',
      minLength: 1,
      description: "Required `typ` header, e.g. 'at+jwt' (RFC 9068); unset accepts any.",
    },
    consumerClaims: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      default: ['client_id', 'azp', 'sub'],
      description: 'Claims tried in order for the consumer id; the first non-empty string wins.',
    },
    jwksCooldownSeconds: {
      type: 'integer',
      minimum: 0,
      default: 30,
      description: 'Least time between two JWKS fetches, so unknown key ids cannot make the gateway hammer the IdP.',
    },
    jwksCacheMaxAgeSeconds: {
      type: 'integer',
      minimum: 1,
      default: 600,
      description: 'Age after which the key set is fetched again (the old set keeps serving if that fails).',
    },
    timeoutMs: {
      type: 'integer',
      minimum: 100,
      maximum: 60000,
      default: 5000,
      description: 'Time allowed for one discovery or JWKS request.',
    },
    tokenCacheMaxAgeSeconds: {
      type: 'integer',
      minimum: 0,
      maximum: 3600,
      default: 300,
      description: 'Longest time a verified token is reused without checking its signature again (never past its exp); 0 disables the cache.',
    },
  },
} as const;

/** One cross-field problem of a provider; `pointer` is relative to the provider object. */
export interface ProviderIssue {
  pointer: string;
  message: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for http(s) URLs whose transport is acceptable for key material: https, or http on loopback. */
function isTrustedTransport(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
}

/** Algorithms of the list that a public key of this type (and curve) can verify. */
export function algorithmsForKey(jwk: Pick<PublicJwk, 'kty' | 'crv' | 'alg'>, allowed: readonly string[]): string[] {
  const fits = (alg: string): boolean => {
    switch (jwk.kty) {
      case 'RSA':
        return /^(RS|PS)(256|384|512)$/.test(alg);
      case 'EC':
        return (jwk.crv === 'P-256' && alg === 'ES256') || (jwk.crv === 'P-384' && alg === 'ES384') || (jwk.crv === 'P-521' && alg === 'ES512');
      case 'OKP':
        return jwk.crv === 'Ed25519' && (alg === 'EdDSA' || alg === 'Ed25519');
      default:
        return false;
    }
  };
  return allowed.filter((alg) => fits(alg) && (jwk.alg === undefined || jwk.alg === alg));
}

/** JWK members that carry secret or private key material (RFC 7518 §6, and AKP's `priv`). */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/**
 * Checks what the schema cannot express: exactly one key source, a safe transport for key
 * material, and static keys that are public and usable with the allowed algorithms.
 * Pointers are relative to the provider (prefix them with `/identityProviders/<i>`).
 */
export function checkIdentityProvider(provider: IdentityProviderInput): ProviderIssue[] {
  const issues: ProviderIssue[] = [];
  const sources = [
    provider.jwksUri !== undefined ? 'jwksUri' : undefined,
    provider.discovery === true ? 'discovery' : undefined,
    provider.jwks !== undefined ? 'jwks' : undefined,
  ].filter((s): s is string => s !== undefined);
  if (sources.length === 0) {
    issues.push({ pointer: '', message: 'no key source: set exactly one of jwksUri, discovery: true or jwks' });
  } else if (sources.length > 1) {
    issues.push({
      pointer: `/${sources[1]}`,
      message: `${sources[1]} cannot be combined with ${sources[0]}: set exactly one of jwksUri, discovery: true or jwks`,
    });
  }
  if (provider.jwksUri !== undefined && !isTrustedTransport(provider.jwksUri)) {
    issues.push({ pointer: '/jwksUri', message: 'the JWKS must be fetched over https (plain http only for localhost, 127.0.0.1 or [::1])' });
  }
  if (provider.discovery === true && !isTrustedTransport(provider.issuer)) {
    issues.push({ pointer: '/issuer', message: 'discovery needs an https issuer (plain http only for localhost, 127.0.0.1 or [::1])' });
  }
  const allowed: readonly string[] = provider.algorithms ?? identityProviderSchema.properties.algorithms.default;
  provider.jwks?.keys.forEach((jwk, i) => {
    const secret = PRIVATE_JWK_MEMBERS.find((member) => Object.prototype.hasOwnProperty.call(jwk, member));
    if (secret !== undefined) {
      issues.push({ pointer: `/jwks/keys/${i}/${secret}`, message: `private key material ("${secret}") must not be configured; give the public key only` });
    } else if (algorithmsForKey(jwk, allowed).length === 0) {
      issues.push({ pointer: `/jwks/keys/${i}`, message: `key fits none of the allowed algorithms (${allowed.join(', ')})` });
    }
  });
  return issues;
}
