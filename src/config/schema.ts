/**
 * The JSON Schema of the gateway configuration (policies/gateway.yaml) and the TypeScript types
 * that mirror it. The schema is the validation and the reference documentation at once: every
 * field has a type, a description and, where one makes sense, a default.
 */
import { identityProviderSchema, type IdentityProviderConfig } from '../gateway/policies/jwt-auth/schema.js';
import { planSchema, rateLimitSchema, type PlanConfig, type RateLimitConfig } from '../gateway/policies/rate-limit/schema.js';
import { authSchema, type AuthConfig } from '../gateway/policies/auth/schema.js';
import { apiKeysSchema, type ApiKeysConfig } from '../gateway/policies/auth/api-keys-schema.js';
import { admitSchema, consumerSchema, type AdmitMode, type ConsumerConfig } from '../gateway/policies/consumers/schema.js';
import { requestValidationSchema } from '../gateway/policies/request-validation/schema.js';
import { ipRulesSchema, type IpRulesConfig } from '../gateway/policies/ip-rules/schema.js';
import type { ClientAddressHeader } from '../gateway/edge/client-address.js';
import { limitsSchema, type LimitsConfig } from '../gateway/policies/rate-limit/stores/store-schema.js';
import { listenTlsSchema, mtlsSchema, type ListenTlsConfig, type MtlsConfig } from '../gateway/policies/mtls/schema.js';
import { usageSchema, type UsageConfig } from '../usage/schema.js';
import { metricsSchema, type MetricsConfig } from '../observability/metrics-schema.js';
import { adminSchema, type AdminConfig } from '../admin/schema.js';
import { registrySchema, type RegistryConfig } from '../registry/schema.js';
import { targetsSchema, upstreamSchema, type TargetConfig, type UpstreamConfig } from '../gateway/upstreams/schema.js';
import { idempotencySchema, idempotencyStoresSchema, type IdempotencyConfig, type IdempotencyStoresConfig } from '../gateway/policies/idempotency/schema.js';
import type { PayloadExcerptsConfig } from '../observability/payload-excerpts.js';

export type { TargetConfig, UpstreamConfig } from '../gateway/upstreams/schema.js';

/** How a proxied response is checked against the contract. */
export type ResponseValidationMode = 'enforce' | 'report' | 'off';

/** One contract version of an API served by the gateway. */
export interface ApiVersionConfig {
  version: string;
  upstream?: string;
  targets?: TargetConfig[];
}

/** One API: its contract versions, upstream and policies. */
export interface ApiConfig {
  id: string;
  basePath: string;
  versions: ApiVersionConfig[];
  upstream: UpstreamConfig;
  ipRules?: IpRulesConfig;
  auth?: AuthConfig;
  admit?: AdmitMode;
  mtls?: MtlsConfig;
  rateLimit?: RateLimitConfig;
  idempotency?: IdempotencyConfig;
  requestValidation: boolean;
  undeclaredParameters: 'allow' | 'refuse';
  responseValidation: ResponseValidationMode;
  payloadExcerpts: PayloadExcerptsConfig;
}

/** Listener and edge limits of the data plane. */
export interface ListenConfig {
  host: string;
  port: number;
  trustedProxies: string[];
  clientAddressHeader: ClientAddressHeader;
  tls?: ListenTlsConfig;
  maxBodyBytes: number;
  maxHeaderBytes: number;
  maxHeaderCount: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  shutdownGraceMs: number;
  stripHeaders: string[];
  underscoreHeaders: 'drop' | 'forward';
  forwardedHost?: string;
  forwardClientHost: boolean;
}

/** The local development issuer (`accord token`), trusted only when enabled and never in production. */
export interface DevIssuerConfig {
  enabled: boolean;
  id: string;
  audiences: string[];
}

/** The whole gateway configuration after defaults are applied. */
export interface GatewayConfig {
  version: 1;
  contractsDir: string;
  listen: ListenConfig;
  devIssuer: DevIssuerConfig;
  identityProviders: IdentityProviderConfig[];
  consumers: ConsumerConfig[];
  plans: PlanConfig[];
  limits: LimitsConfig;
  idempotency: IdempotencyStoresConfig;
  apiKeys: ApiKeysConfig;
  apis: ApiConfig[];
  usage: UsageConfig;
  metrics: MetricsConfig;
  admin: AdminConfig;
  registry: RegistryConfig;
}

const semver = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$';

/** JSON Schema of policies/gateway.yaml (draft 2020-12). Ajv applies the defaults. */
export const gatewayConfigSchema = {
  $id: 'https://accord.dev/schemas/gateway-config.json',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'apis'],
  properties: {
    version: { const: 1, description: 'Version of this configuration format. Only 1 exists.' },
    contractsDir: {
      type: 'string',
      default: '../contracts',
      description: 'Folder of contracts laid out as <api>/<version>.yaml, relative to this file.',
    },
    listen: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Data-plane listener and its limits against slow or oversized clients.',
      properties: {
        host: { type: 'string', default: '0.0.0.0', description: 'Address to bind.' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080, description: 'Port to bind (PORT overrides).' },
        trustedProxies: {
          type: 'array',
          default: [],
          items: { type: 'string', minLength: 2, maxLength: 64 },
          description:
            'Addresses or CIDRs (IPv4 or IPv6) of proxies in front of Accord whose listen.clientAddressHeader (and listen.tls.certificateHeader) is honoured. From any other peer both X-Forwarded-For and Forwarded are ignored and the peer is the client.',
        },
        clientAddressHeader: {
          enum: ['x-forwarded-for', 'forwarded'],
          default: 'x-forwarded-for',
          description:
            'The header a trusted proxy names the client in: X-Forwarded-For, or RFC 7239 Forwarded (its for= parameters). Only this one is read; the other is ignored, since honouring both would let a client choose the one its proxy does not rewrite.',
        },
        tls: listenTlsSchema,
        maxBodyBytes: { type: 'integer', minimum: 0, default: 1048576, description: 'Largest request body accepted (413 beyond).' },
        maxHeaderBytes: { type: 'integer', minimum: 1024, default: 16384, description: 'Largest request head accepted (431 beyond).' },
        maxHeaderCount: { type: 'integer', minimum: 1, default: 100, description: 'Most request header fields accepted (431 beyond).' },
        headersTimeoutMs: { type: 'integer', minimum: 1, default: 10000, description: 'Time a client has to send the request head, however slowly it trickles (408 beyond); at most requestTimeoutMs.' },
        requestTimeoutMs: { type: 'integer', minimum: 1, default: 30000, description: 'Time a client has to send the whole request, body included (408 beyond).' },
        keepAliveTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Idle time before a client connection is closed.' },
        shutdownGraceMs: { type: 'integer', minimum: 0, default: 10000, description: 'How long in-flight requests may finish after SIGTERM.' },
        stripHeaders: {
          type: 'array',
          default: [],
          items: { type: 'string', pattern: "^[A-Za-z0-9!#$%&'+.^_`|~-]+\\*?$" },
          description:
            'Request headers removed before proxying, on top of the built-in list (which cannot be switched off). A trailing `*` makes a prefix (`X-Internal-*`); `_` and `-` match each other.',
        },
        underscoreHeaders: {
          enum: ['drop', 'forward'],
          default: 'drop',
          description:
            'drop: request headers whose name contains `_` never reach the upstream (as nginx does); forward: they do, except those that alias a removed name (`X_Consumer_Id`).',
        },
        forwardedHost: {
          type: 'string',
          pattern: '^(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}\\])(?::\\d{1,5})?$',
          description: 'X-Forwarded-Host sent to upstreams (the public host name). Unset: none is sent, unless forwardClientHost.',
        },
        forwardClientHost: {
          type: 'boolean',
          default: false,
          description:
            "Send the client's own Host as X-Forwarded-Host. Only for setups where something in front of Accord admits known hosts only; refused together with forwardedHost.",
        },
      },
    },
    devIssuer: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Trust tokens minted by `accord token` (a key generated under the data directory). Refused when NODE_ENV=production.',
      properties: {
        enabled: { type: 'boolean', default: false, description: 'Accept tokens of the local development issuer.' },
        id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', default: 'dev', description: 'Provider id that apis[].auth.providers refer to; also the first part of its consumers\' ids.' },
        audiences: { type: 'array', items: { type: 'string' }, default: ['accord'], description: 'Audiences accepted from the development issuer.' },
      },
    },
    identityProviders: {
      type: 'array',
      default: [],
      items: identityProviderSchema,
      description: 'OAuth2/OIDC issuers whose JWT access tokens are accepted.',
    },
    consumers: {
      type: 'array',
      default: [],
      items: consumerSchema,
      description: 'The partners known to the gateway: how each is recognised and which APIs it may call.',
    },
    plans: {
      type: 'array',
      default: [],
      items: planSchema,
      description: 'Plans: the rate and calendar quota of the consumers that name one (consumers[].plan).',
    },
    limits: limitsSchema,
    idempotency: idempotencyStoresSchema,
    apiKeys: apiKeysSchema,
    usage: usageSchema,
    metrics: metricsSchema,
    admin: adminSchema,
    registry: registrySchema,
    apis: {
      type: 'array',
      minItems: 1,
      description: 'The APIs served, each from its contracts.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'basePath'],
        properties: {
          id: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'API id; also the folder name under contractsDir.' },
          basePath: {
            type: 'string',
            pattern: '^(/[a-z0-9][a-z0-9._-]*)+$',
            description: 'Public path prefix; the API is served at <basePath>/v<major>/…',
          },
          versions: {
            type: 'array',
            default: [],
            description:
              'Contract versions to serve; the highest version of each major serves that major. Required unless `registry.enabled`; with the registry, the registered versions are served and an entry here only names the upstream of its version.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['version'],
              properties: {
                version: { type: 'string', pattern: semver, description: 'Semantic version; the contract file is <api>/<version>.yaml.' },
                upstream: { type: 'string', description: 'Upstream URL of this version (overrides upstream.url and upstream.targets): http or https, a host, an optional port from 1 to 65535 and path prefix; no credentials, query or fragment.' },
                targets: { ...targetsSchema, description: 'Several upstream targets of this version (instead of upstream; overrides upstream.url and upstream.targets), balanced by upstream.balancing.' },
              },
            },
          },
          upstream: upstreamSchema,
          ipRules: ipRulesSchema,
          auth: authSchema,
          admit: admitSchema,
          mtls: mtlsSchema,
          rateLimit: rateLimitSchema,
          idempotency: idempotencySchema,
          requestValidation: requestValidationSchema,
          undeclaredParameters: {
            enum: ['allow', 'refuse'],
            default: 'allow',
            description:
              'Query parameters the operation does not declare. allow: ignored by validation and forwarded (clients add cache busters and tracking parameters); refuse: 400 REQUEST_INVALID. A case variant (LIMIT) or bracket form (limit[], limit[$gt]) of a declared name is refused either way.',
          },
          responseValidation: {
            enum: ['enforce', 'report', 'off'],
            default: 'report',
            description: 'enforce: a response breaking the contract becomes 502 RESPONSE_INVALID; report: logged and counted; off: not checked.',
          },
          payloadExcerpts: {
            type: 'object',
            additionalProperties: false,
            default: {},
            description:
              'A debugging aid: log (at debug level) an excerpt of each JSON request body and, when responseValidation is not off, each JSON response body, with the fields the contract marks sensitive masked (x-accord-sensitive: true, format password, email, idn-email, phone, tel, phone-number, e164) and credentials masked as on every log line. Off by default; needs LOG_LEVEL=debug or PUT /admin/log-level.',
            properties: {
              enabled: { type: 'boolean', default: false, description: 'Log payload excerpts of this API at debug level.' },
              maxBytes: { type: 'integer', minimum: 64, maximum: 65536, default: 1024, description: 'Longest excerpt, in characters of its masked JSON; the rest is cut and marked with an ellipsis.' },
            },
          },
        },
      },
    },
  },
} as const;
