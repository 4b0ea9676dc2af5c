/** Config schema of consumers: the partners known to the gateway, how each is recognised, and what it may call. */
import { ipRulesSchema, type IpRulesConfig } from '../ip-rules/schema.js';
import { certificateBindingSchema, type CertificateBindingConfig } from '../mtls/schema.js';

/** A credential that identifies a consumer: a token from an identity provider whose consumer claim has this value. */
export interface ConsumerIdentityConfig {
  provider: string;
  claim: string;
}

/** An API (and optionally only some of its majors) a consumer may call. */
export interface EntitlementConfig {
  api: string;
  majors?: number[];
}

/** One consumer (`consumers[]`). */
export interface ConsumerConfig {
  id: string;
  contact?: string;
  description?: string;
  /** Id of the plan (`plans[]`) that sets this consumer's rate and quota. */
  plan?: string;
  identities: ConsumerIdentityConfig[];
  certificates: CertificateBindingConfig[];
  entitlements: EntitlementConfig[];
  ipRules?: IpRulesConfig;
}

/** Who an API admits once authenticated (`apis[].admit`). */
export type AdmitMode = 'declared' | 'any-authenticated';

export const CONSUMER_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

export const consumerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  description: 'A partner known to the gateway: how it is recognised and which APIs it may call.',
  properties: {
    id: {
      type: 'string',
      pattern: CONSUMER_ID_PATTERN,
      description: 'Consumer id: sent upstream as X-Consumer-Id, logged, and the key of its limits and usage records. It never contains "/", so it cannot be mistaken for the <provider>/<claim> id of an undeclared caller.',
    },
    contact: { type: 'string', maxLength: 320, description: 'Who to tell about changes that affect this consumer (an email address or URL).' },
    description: { type: 'string', maxLength: 1000, description: 'Free text for operators.' },
    plan: {
      type: 'string',
      description: 'Id of a plan in plans[]: its rate and quota apply to this consumer on every API it calls (overridable per API and per operation). Unset: the API\'s own rateLimit applies, as to any caller without a plan.',
    },
    identities: {
      type: 'array',
      default: [],
      description: 'Tokens that identify this consumer: the identity provider id and the value of its consumer claim (client_id, azp or sub, as the provider\'s consumerClaims say).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['provider', 'claim'],
        properties: {
          provider: { type: 'string', description: 'Id of an identityProviders entry, or the devIssuer id.' },
          claim: { type: 'string', minLength: 1, maxLength: 1024, description: 'Value of the provider\'s consumer claim in this consumer\'s tokens.' },
        },
      },
    },
    certificates: {
      type: 'array',
      default: [],
      items: certificateBindingSchema,
      description:
        'Client certificates that identify this consumer (see listen.tls). A request over such a certificate is this consumer: a token or key of another consumer on it gets 403 MTLS_CERT_NOT_ALLOWED, and operations whose security admits mutualTLS accept the certificate alone.',
    },
    entitlements: {
      type: 'array',
      default: [],
      description: 'The APIs this consumer may call. A consumer calling any other gets 403 CONSUMER_NOT_ENTITLED.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['api'],
        properties: {
          api: { type: 'string', description: 'Id of an API in apis[].' },
          majors: {
            type: 'array',
            minItems: 1,
            items: { type: 'integer', minimum: 0 },
            description: 'Major versions allowed. Default: every major the API serves.',
          },
        },
      },
    },
    ipRules: {
      ...ipRulesSchema,
      description: `Client addresses this consumer may call from, checked once the consumer is known, after the API's own ipRules. ${ipRulesSchema.description}`,
    },
  },
} as const;

export const admitSchema = {
  enum: ['declared', 'any-authenticated'],
  description:
    'Who may call this API once authenticated. declared: only consumers declared in consumers[] and entitled to this API (any other caller gets 403 CONSUMER_NOT_ENTITLED); any-authenticated: every caller with a valid credential (identified upstream as <provider>/<claim>). Default: declared when consumers[] declares any consumer, else any-authenticated.',
} as const;
