/** Config schema of the auth policy: which identity providers an API accepts tokens from. */

/** `apis[].auth`: the credentials an API accepts; which ones an operation requires comes from its `security`. */
export interface AuthConfig {
  providers: string[];
}

export const authSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['providers'],
  description: "Authentication of this API. Which schemes an operation requires, and which scopes, comes from its `security` in the contract.",
  properties: {
    providers: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Ids of identityProviders (or the devIssuer id) whose JWT access tokens are accepted for this API.' },
  },
} as const;
