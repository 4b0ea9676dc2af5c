/** Config schema of the admin listener (`admin:`): where it binds, who may call it, and who owns which API. */

/** One `admin.owners` entry: the callers (of one identity provider) that register and change one API. */
export interface AdminOwner {
  api: string;
  provider: string;
  subjects: string[];
}

/** `admin.listen.tls`: HTTPS with a required client certificate. Paths are relative to the config file's folder. */
export interface AdminTlsConfig {
  key: string;
  cert: string;
  clientCa: string;
}

/** The `admin` section after defaults are applied. */
export interface AdminConfig {
  enabled: boolean;
  listen: { host: string; port: number; tls?: AdminTlsConfig };
  auth: { providers: string[]; scope: string };
  owners: AdminOwner[];
  maxDocumentBytes: number;
}

/** Default largest contract document the register route takes: 5 MiB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export const adminSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'The admin listener: the registry (`/admin/...`), `/usage`, `/keys` and `/metrics`, apart from partner traffic.',
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
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'cert', 'clientCa'],
          description:
            'Serve HTTPS and require a client certificate issued by clientCa (mutual TLS) before any admin request; the bearer token is still required. Absent: plain HTTP (keep the listener on loopback). Read at start: a change needs a restart.',
          properties: {
            key: { type: 'string', minLength: 1, description: 'PEM private key of the listener (path relative to the config file\'s folder).' },
            cert: { type: 'string', minLength: 1, description: 'PEM certificate (chain) of the listener.' },
            clientCa: { type: 'string', minLength: 1, description: 'PEM bundle of the CAs whose client certificates are accepted; any other client is refused in the TLS handshake.' },
          },
        },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Who may call the admin listener: a JWT from one of these identity providers carrying the admin scope (everything), or naming an owner of an API (`owners`).',
      properties: {
        providers: {
          type: 'array',
          default: [],
          items: { type: 'string' },
          description: 'Identity provider ids (identityProviders[].id, or devIssuer.id) whose tokens are accepted. Empty: every admin request is refused with 401.',
        },
        scope: { type: 'string', default: 'accord:admin', description: 'Scope of an admin token: every route and every API. Without it a token may only use the registry routes as an owner (403 AUTH_SCOPE_INSUFFICIENT elsewhere).' },
      },
    },
    owners: {
      type: 'array',
      default: [],
      description:
        'Per-API ownership: a token without the admin scope whose subject is listed for an API may read the registry and register, deprecate and retire versions of that API (403 API_NOT_OWNED for other APIs). A token that is neither admin nor an owner is refused with 403.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['api', 'provider', 'subjects'],
        properties: {
          api: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'The API id (as in the registry, e.g. `orders`).' },
          provider: { type: 'string', description: 'The identity provider the tokens come from (must be in admin.auth.providers).' },
          subjects: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', minLength: 1 },
            description: 'Subjects that own the API: the token\'s `client_id` claim, else its `sub`.',
          },
        },
      },
    },
    maxDocumentBytes: {
      type: 'integer',
      minimum: 1024,
      default: DEFAULT_MAX_DOCUMENT_BYTES,
      description: 'Largest contract document the register route accepts, in bytes (413 PAYLOAD_TOO_LARGE beyond). Default 5 MiB.',
    },
  },
} as const;
