/** Fills in the schema's defaults for providers handed to the factory and refuses unsafe ones. */
import { ASYMMETRIC_ALGORITHMS, checkIdentityProvider, identityProviderSchema, type IdentityProviderConfig, type IdentityProviderInput } from './schema.js';

const ALLOWED = new Set<string>(ASYMMETRIC_ALGORITHMS);
const PROVIDER_ID = new RegExp(identityProviderSchema.properties.id.pattern);

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Problems a typed caller can still cause, and the ones that would weaken verification. */
function guardProblems(provider: IdentityProviderConfig): string[] {
  const problems: string[] = [];
  // The id starts every consumer id (`<id>/<claim>`): it must not contain `/` or anything a header cannot carry.
  if (typeof provider.id !== 'string' || !PROVIDER_ID.test(provider.id)) problems.push(`/id: must match ${PROVIDER_ID.source}`);
  // RFC 7519 `iss` is a StringOrURI: an http(s) URL for real IdPs, a URN for the local dev issuer.
  if (typeof provider.issuer !== 'string' || !/^(https?:\/\/|urn:)/.test(provider.issuer)) problems.push('/issuer: must be an http(s) URL or a URN');
  if (!Array.isArray(provider.audiences) || provider.audiences.length === 0 || provider.audiences.some((a) => typeof a !== 'string' || a === '')) {
    problems.push('/audiences: must be a non-empty list of non-empty strings');
  }
  if (!Array.isArray(provider.algorithms) || provider.algorithms.length === 0) problems.push('/algorithms: must be a non-empty list');
  else provider.algorithms.forEach((alg, i) => {
    if (!ALLOWED.has(alg)) problems.push(`/algorithms/${i}: '${String(alg)}' is not an allowed algorithm (${ASYMMETRIC_ALGORITHMS.join(', ')})`);
  });
  if (!Array.isArray(provider.consumerClaims) || provider.consumerClaims.length === 0) problems.push('/consumerClaims: must be a non-empty list');
  for (const field of ['clockToleranceSeconds', 'jwksCooldownSeconds', 'jwksCacheMaxAgeSeconds', 'timeoutMs', 'tokenCacheMaxAgeSeconds'] as const) {
    if (!isCount(provider[field])) problems.push(`/${field}: must be a non-negative integer`);
  }
  return problems;
}

/**
 * Returns copies of the providers with the schema's defaults applied (read from the schema, so
 * they cannot drift), after checking what keeps verification safe. Full schema validation is
 * the config loader's job; repeating it here would cost an Ajv compile (tens of milliseconds of
 * blocking CPU) on every hot reload. Misuse, so it throws TypeError listing every problem.
 */
export function resolveProviderConfigs(inputs: readonly IdentityProviderInput[]): IdentityProviderConfig[] {
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(identityProviderSchema.properties)) {
    if ('default' in property) defaults[name] = property.default;
  }
  const ids = new Set<string>();
  const problems: string[] = [];
  const resolved = inputs.map((input, i) => {
    const provider = structuredClone({ ...defaults, ...stripUndefined(input) }) as IdentityProviderConfig;
    for (const problem of guardProblems(provider)) problems.push(`/${i}${problem}`);
    for (const issue of checkIdentityProvider(provider)) problems.push(`/${i}${issue.pointer}: ${issue.message}`);
    if (ids.has(provider.id)) problems.push(`/${i}/id: duplicate identity provider id "${provider.id}"`);
    ids.add(provider.id);
    return provider;
  });
  if (problems.length > 0) throw new TypeError(`invalid identity providers:\n${problems.join('\n')}`);
  return resolved;
}

/** `{ jwksUri: undefined }` must not count as a key source nor hide a default. */
function stripUndefined(input: IdentityProviderInput): Partial<IdentityProviderConfig> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<IdentityProviderConfig>;
}
