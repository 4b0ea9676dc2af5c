/** Validates identity providers handed to the factory and fills in the schema's defaults. */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { checkIdentityProvider, identityProviderSchema, type IdentityProviderConfig, type IdentityProviderInput } from './schema.js';

// ajv-formats is CommonJS; its default export arrives as a namespace under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${error.instancePath}/${String(params.missingProperty)}: required`;
  if (error.keyword === 'additionalProperties') return `${error.instancePath}/${String(params.additionalProperty)}: unknown property`;
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}`;
}

/**
 * Returns validated copies of the providers with defaults applied. The config loader has
 * normally done this already; the factory repeats it because a caller building providers in
 * code (tests, the dev issuer) must not get weaker checks. Misuse, so it throws TypeError.
 */
export function resolveProviderConfigs(inputs: readonly IdentityProviderInput[]): IdentityProviderConfig[] {
  const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(identityProviderSchema);
  const ids = new Set<string>();
  const problems: string[] = [];
  const resolved = inputs.map((input, i) => {
    const copy = structuredClone(input) as unknown;
    if (!validate(copy)) {
      for (const error of validate.errors ?? []) problems.push(`/${i}${describe(error)}`);
      return copy as IdentityProviderConfig;
    }
    const provider = copy as IdentityProviderConfig;
    for (const issue of checkIdentityProvider(provider)) problems.push(`/${i}${issue.pointer || ''}: ${issue.message}`);
    if (ids.has(provider.id)) problems.push(`/${i}/id: duplicate identity provider id "${provider.id}"`);
    ids.add(provider.id);
    return provider;
  });
  if (problems.length > 0) throw new TypeError(`invalid identity providers:\n${problems.join('\n')}`);
  return resolved;
}
