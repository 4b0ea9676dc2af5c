/** The jwt-auth policy: its name, config schema, authenticator factory and scope check. */

/** The policy's config key and its log/metric label. */
export const name = 'jwt-auth';

export { createJwtAuthenticator, type JwtAuthenticator, type JwtAuthenticatorDeps, type Principal } from './authenticator.js';
export { qualifiedConsumerId } from './consumer-id.js';
export { compileScopeCheck, scopesOf, type ScopeCheck, type ScopeRequirement } from './scopes.js';
export {
  ASYMMETRIC_ALGORITHMS,
  checkIdentityProvider,
  identityProviderSchema,
  type AsymmetricAlgorithm,
  type IdentityProviderConfig,
  type IdentityProviderInput,
  type ProviderIssue,
  type PublicJwk,
} from './schema.js';
