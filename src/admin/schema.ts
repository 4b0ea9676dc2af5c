/** Config schema of the admin listener (`admin:`): where it binds and who may call it. */

/** The `admin` section after defaults are applied. */
export interface AdminConfig {
  enabled: boolean;
  listen: { host: string; port: number };
  auth: { providers: string[]; scope: string };
}

export const adminSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The admin listener: `/usage` (and the admin API), apart from partner traffic.',
  properties: {
    enabled: { type: 'boolean', default: true, description: 'Serve the admin listener.' },
    listen: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Where the admin listener binds.',
      properties: {
        host: { type: 'string', default: '127.0.0.1', description: 'Address to bind (loopback by default: expose it deliberately).' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 9080, description: 'Port to bind (ADMIN_PORT overrides).' },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Who may call the admin listener: a JWT from one of these identity providers carrying the admin scope.',
      properties: {
        providers: {
          type: 'array',
          default: [],
          items: { type: 'string' },
          description: 'Identity provider ids (identityProviders[].id, or devIssuer.id) whose tokens are accepted. Empty: every admin request is refused with 401.',
        },
        scope: { type: 'string', default: 'accord:admin', description: 'Scope an admin token must carry (403 AUTH_SCOPE_INSUFFICIENT without it).' },
      },
    },
  },
} as const;
