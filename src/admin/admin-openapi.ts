/**
 * The admin API's own OpenAPI 3.1 document, served at `GET /admin/openapi.json` and compiled at
 * start by the same validators partner traffic uses (admin-request-validation.ts). A TS module,
 * not a file: the package ships dist/ only. A test keeps it and the mounted routes in step, and
 * lints it with the default ruleset.
 */

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const problemRef = (name: string): Json => ({ $ref: `#/components/responses/${name}` });

/** The problem responses every authenticated route can give. */
const AUTH_PROBLEMS: Json = { '401': problemRef('Unauthenticated'), '403': problemRef('Forbidden') };
/** Adds 400 (the request breaks this document) to the auth problems. */
const CHECKED_PROBLEMS: Json = { '400': problemRef('RequestInvalid'), ...AUTH_PROBLEMS };

const json = (schema: Json): Json => ({ 'application/json': { schema } });

const apiParam: Json = { name: 'api', in: 'path', required: true, description: 'API id, e.g. `orders`.', schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' } };
const versionParam: Json = { name: 'version', in: 'path', required: true, description: 'Semantic version, e.g. `1.2.0`.', schema: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$', maxLength: 256 } };
const keyIdParam: Json = { name: 'id', in: 'path', required: true, description: 'Key id (16 hex digits; anything else is 404).', schema: { type: 'string' } };

/** An ISO 8601 date or date-time, as the registry reads them (Date.parse); the rest is the registry's check. */
const INSTANT = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9].*)?$';

const query = (name: string, description: string, schema: Json, required = false): Json => ({ name, in: 'query', required, description, schema });

/** The query parameters of an impact report. */
const impactBase: Json = { name: 'base', in: 'query', required: true, description: 'The registered version the change starts from (its major\'s usage is read).', schema: versionParam.schema };
const impactWindow: Json = { name: 'window', in: 'query', required: false, description: 'Days of usage to read, ending today (UTC): `<n>d`, 1d to 366d.', schema: { type: 'string', pattern: '^[1-9][0-9]{0,2}d$', default: '30d' } };

/** Registry routes are open to API owners (reads of every API, changes to their own). */
const OWNER_NOTE = 'Admin scope, or the token of an owner (admin.owners).';

/** Media types a contract document is registered as. */
export const DOCUMENT_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'application/openapi+yaml', 'application/json', 'application/openapi+json'] as const;

const document = {
  openapi: '3.1.0',
  info: {
    title: 'Accord admin API',
    version: '1.0.0',
    description:
      'The admin listener of Accord (default 127.0.0.1:9080): the contract registry, usage records, API keys, metrics, the log level and the contract drift report. ' +
      'Every route except this document needs a Bearer JWT from an identity provider of admin.auth.providers. ' +
      'The admin scope (admin.auth.scope, default accord:admin) opens every route; a token that owns an API (admin.owners) may use the registry routes: read every API, change its own. ' +
      'Requests are validated against this document; errors are RFC 9457 problem+json with a stable `code`.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  tags: [
    { name: 'registry', description: 'Contract versions, their lifecycle and the audit log.' },
    { name: 'usage', description: 'Who called which operation.' },
    { name: 'keys', description: 'API keys of consumers.' },
    { name: 'operations', description: 'Metrics, the log level, contract drift and this document.' },
  ],
  security: [{ adminToken: [] }],
  paths: {
    '/admin/openapi.json': {
      get: {
        operationId: 'getAdminOpenApi',
        tags: ['operations'],
        summary: 'This document',
        description: 'Served without authentication: it describes the API, nothing about the fleet.',
        security: [],
        responses: { '200': { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
      },
    },
    '/admin/apis': {
      get: {
        operationId: 'listApis',
        tags: ['registry'],
        summary: 'Every API with its versions',
        description: OWNER_NOTE,
        responses: { '200': { description: 'APIs, versions oldest first.', content: json({ type: 'object', required: ['apis'], properties: { apis: { type: 'array', items: ref('ApiSummary') } } }) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
    },
    '/admin/apis/{api}/versions': {
      parameters: [apiParam],
      get: {
        operationId: 'listVersions',
        tags: ['registry'],
        summary: 'The versions of one API',
        description: OWNER_NOTE,
        responses: { '200': { description: 'Versions oldest first (empty for an unknown API).', content: json(ref('ApiSummary')) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
      post: {
        operationId: 'registerVersion',
        tags: ['registry'],
        summary: 'Register a contract version',
        description:
          `${OWNER_NOTE} The body is the OpenAPI document (YAML or JSON, up to admin.maxDocumentBytes); its info.version is the version. ` +
          'Governance (the default or configured ruleset, and the diff against the latest version of the same major) decides: 201 published (with warnings), 200 identical content already published, 409 other content for that version, 422 rejected with every finding. ' +
          'Under registry.governance.breakingChanges block-if-used, a breaking change within the major is published when the usage records show it unused (the impact report goes into the audit entry), else 422 BREAKING_CHANGE_IN_USE naming the consumers, or BREAKING_CHANGE_UNPROVEN saying why the records are not enough.',
        parameters: [
          {
            name: 'accord-override-reason',
            in: 'header',
            required: false,
            description: 'Publish despite a governance rejection; the reason is recorded in the audit log.',
            schema: { type: 'string', minLength: 1, maxLength: 1000 },
          },
        ],
        requestBody: {
          required: true,
          description: 'The OpenAPI 3.0 or 3.1 document as text.',
          // JSON documents are parsed (and so checked to be one JSON object); YAML is taken as text. The route registers the bytes as sent either way.
          content: Object.fromEntries(DOCUMENT_MEDIA_TYPES.map((type) => [type, { schema: type.endsWith('json') ? { type: 'object', description: 'The document.' } : { type: 'string', description: 'The document text.' } }])),
        },
        responses: {
          '200': { description: 'Identical content is already published: nothing changed.', content: json(ref('Registration')) },
          '201': { description: 'Published.', headers: { Location: { description: 'The version.', schema: { type: 'string' } } }, content: json(ref('Registration')) },
          ...CHECKED_PROBLEMS,
          '409': problemRef('Conflict'),
          '413': problemRef('TooLarge'),
          '415': problemRef('UnsupportedMediaType'),
          '422': problemRef('GovernanceRejected'),
          '503': problemRef('Unavailable'),
        },
      },
    },
    '/admin/apis/{api}/versions/{version}': {
      parameters: [apiParam, versionParam],
      get: {
        operationId: 'getVersion',
        tags: ['registry'],
        summary: 'One version and its lifecycle',
        description: OWNER_NOTE,
        responses: { '200': { description: 'The version.', content: json(ref('VersionRecord')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '503': problemRef('Unavailable') },
      },
    },
    '/admin/apis/{api}/versions/{version}/document': {
      parameters: [apiParam, versionParam],
      get: {
        operationId: 'getVersionDocument',
        tags: ['registry'],
        summary: 'The document of a version, as registered',
        description: `${OWNER_NOTE} The exact bytes registered, as YAML or JSON (as sent); the ETag is the digest.`,
        responses: {
          '200': {
            description: 'The document.',
            content: { 'application/yaml': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
          },
          ...CHECKED_PROBLEMS,
          '404': problemRef('NotFound'),
          '503': problemRef('Unavailable'),
        },
      },
    },
    '/admin/apis/{api}/diff': {
      parameters: [apiParam],
      get: {
        operationId: 'diffVersions',
        tags: ['registry'],
        summary: 'The changes between two versions',
        description: `${OWNER_NOTE} JSON by default; \`Accept: text/markdown\` gives the changelog in markdown.`,
        parameters: [query('base', 'The older version.', versionParam.schema as Json, true), query('revision', 'The newer version.', versionParam.schema as Json, true)],
        responses: {
          '200': {
            description: 'The changes, breaking ones flagged.',
            content: {
              'application/json': { schema: { type: 'object', required: ['breaking', 'changes'], properties: { breaking: { type: 'boolean' }, changes: { type: 'array', items: ref('Finding') } } } },
              'text/markdown': { schema: { type: 'string' } },
            },
          },
          ...CHECKED_PROBLEMS,
          '404': problemRef('NotFound'),
          '503': problemRef('Unavailable'),
        },
      },
    },
    '/admin/apis/{api}/impact': {
      parameters: [apiParam],
      get: {
        operationId: 'impactOfVersion',
        tags: ['registry'],
        summary: 'Which consumers a change between two registered versions would affect',
        description:
          'Admin scope, or the token of an owner of this API (the report names its consumers). Runs the diff of base -> revision, then lists for each breaking or possibly breaking change the consumers that called the operation in the window, with their evidence: `field` (seen sending, or not sending, what the change concerns), `operation` (calls the operation; the gateway cannot see more, e.g. for response changes) or `none`. Needs usage records and the registry.',
        parameters: [impactBase, query('revision', 'The registered version to compare with.', versionParam.schema as Json, true), impactWindow],
        responses: { '200': { description: 'The impact report.', content: json(ref('ImpactReport')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '503': problemRef('Unavailable') },
      },
      post: {
        operationId: 'proposeImpact',
        tags: ['registry'],
        summary: 'Which consumers a proposed document would affect',
        description: 'As GET, with the proposed revision sent as the body (the OpenAPI document, YAML or JSON, self-contained, up to admin.maxDocumentBytes); nothing is registered.',
        parameters: [impactBase, impactWindow],
        requestBody: {
          required: true,
          description: 'The proposed OpenAPI 3.0 or 3.1 document as text.',
          content: Object.fromEntries(DOCUMENT_MEDIA_TYPES.map((type) => [type, { schema: type.endsWith('json') ? { type: 'object', description: 'The document.' } : { type: 'string', description: 'The document text.' } }])),
        },
        responses: { '200': { description: 'The impact report.', content: json(ref('ImpactReport')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '413': problemRef('TooLarge'), '415': problemRef('UnsupportedMediaType'), '503': problemRef('Unavailable') },
      },
    },
    '/admin/impact/deprecations': {
      get: {
        operationId: 'listDeprecations',
        tags: ['registry'],
        summary: 'Who still calls what is deprecated',
        description:
          'Admin scope, or an owner token with `api` set to an API it owns. Per consumer, the deprecated operations it called in the window (operations of deprecated versions, and operations marked `deprecated: true` in a served version), with calls, last call and the sunset date. Needs usage records and the registry.',
        parameters: [query('api', 'Only this API (required for an owner token).', { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' }), query('window', 'Days of usage to read, ending today: `<n>d` (1 to 366).', { type: 'string', pattern: '^[1-9][0-9]{0,2}d$', default: '7d' })],
        responses: { '200': { description: 'The deprecations in use.', content: json(ref('DeprecationReport')) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
    },
    '/admin/apis/{api}/versions/{version}/deprecation': {
      parameters: [apiParam, versionParam],
      post: {
        operationId: 'deprecateVersion',
        tags: ['registry'],
        summary: 'Deprecate a published version',
        description: `${OWNER_NOTE} The version keeps being served with Deprecation, Sunset and Link (successor-version) headers.`,
        requestBody: {
          required: false,
          content: json({
            type: 'object',
            additionalProperties: false,
            properties: {
              sunset: { type: 'string', pattern: INSTANT, description: 'When the version stops being served (RFC 8594 Sunset): an ISO 8601 date-time (or date), in the future.' },
              successor: { ...(versionParam.schema as Json), description: 'The version callers should move to.' },
            },
          }),
        },
        responses: { '200': { description: 'Deprecated.', content: json(ref('VersionRecord')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '409': problemRef('Conflict'), '503': problemRef('Unavailable') },
      },
    },
    '/admin/apis/{api}/versions/{version}/retirement': {
      parameters: [apiParam, versionParam],
      post: {
        operationId: 'retireVersion',
        tags: ['registry'],
        summary: 'Retire a version',
        description: `${OWNER_NOTE} The gateway answers its requests 410 VERSION_RETIRED (naming the successor). Refused with 409 VERSION_IN_USE (listing \`consumers\`) while a consumer called the version within \`registry.lifecycle.inUseWindowDays\` (when usage is recorded), unless \`force\` is true with a \`reason\`; the audit entry records the consumers and the reason.`,
        requestBody: {
          required: false,
          content: json({
            type: 'object',
            additionalProperties: false,
            properties: {
              force: { type: 'boolean', default: false, description: 'Retire even though consumers called the version within the window.' },
              reason: { type: 'string', minLength: 1, maxLength: 1000, description: 'Why (required with force; written to the audit log).' },
            },
          }),
        },
        responses: { '200': { description: 'Retired.', content: json(ref('VersionRecord')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '409': problemRef('Conflict'), '503': problemRef('Unavailable') },
      },
    },
    '/admin/audit': {
      get: {
        operationId: 'readAudit',
        tags: ['registry'],
        summary: 'The audit log',
        description: `${OWNER_NOTE} Append-only, oldest first; follow \`next\` as \`cursor\` until it is null.`,
        parameters: [
          query('limit', 'Entries per page.', { type: 'integer', minimum: 1, maximum: 500, default: 50 }),
          query('cursor', 'The `next` of the previous page.', { type: 'string', pattern: '^[0-9]{1,15}$' }),
          query('api', 'Only this API.', { type: 'string', maxLength: 63 }),
          query('actor', 'Only this actor (`provider/subject`, or the subject).', { type: 'string', maxLength: 512 }),
          query('since', 'Entries at or after this instant (ISO 8601 date-time or date).', { type: 'string', pattern: INSTANT }),
          query('until', 'Entries at or before this instant (ISO 8601 date-time or date).', { type: 'string', pattern: INSTANT }),
        ],
        responses: {
          '200': {
            description: 'One page.',
            content: json({ type: 'object', required: ['entries', 'next'], properties: { entries: { type: 'array', items: ref('AuditEntry') }, next: { type: ['string', 'null'] } } }),
          },
          ...CHECKED_PROBLEMS,
          '503': problemRef('Unavailable'),
        },
      },
    },
    '/usage': {
      get: {
        operationId: 'readUsage',
        tags: ['usage'],
        summary: 'Usage records',
        description: 'Admin scope. Who called which operation, how often, when last, and what they send.',
        parameters: [
          query('api', 'Only this API.', { type: 'string', minLength: 1 }),
          query('operation', 'Only this operation.', { type: 'string', minLength: 1 }),
          query('consumer', 'Only this consumer.', { type: 'string', minLength: 1 }),
          query('since', 'From this day (YYYY-MM-DD or an RFC 3339 date-time).', { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ].+)?$' }),
        ],
        responses: { '200': { description: 'The report.', content: json({ type: 'object', required: ['window', 'records', 'fingerprints'], properties: { window: { type: 'object' }, records: { type: 'array', items: { type: 'object' } }, fingerprints: { type: 'array', items: { type: 'object' } } } }) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
    },
    '/keys': {
      get: {
        operationId: 'listKeys',
        tags: ['keys'],
        summary: 'API keys, never their secrets',
        description: 'Admin scope.',
        parameters: [query('consumer', 'Only the keys of this consumer.', { type: 'string', minLength: 1 })],
        responses: { '200': { description: 'The keys.', content: json({ type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: ref('ApiKey') } } }) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
      post: {
        operationId: 'issueKey',
        tags: ['keys'],
        summary: 'Issue a key to a declared consumer',
        description: 'Admin scope. The key is in this response only.',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['consumer'],
            properties: {
              consumer: { type: 'string', minLength: 1, description: 'A declared consumer id.' },
              expires: { type: ['string', 'null'], description: 'A duration (30d, 12h, 90m) or an ISO 8601 date.' },
            },
          }),
        },
        responses: {
          '201': { description: 'Issued.', content: json({ allOf: [ref('ApiKey'), { type: 'object', required: ['key'], properties: { key: { type: 'string' } } }] }) },
          ...CHECKED_PROBLEMS,
          '413': problemRef('TooLarge'),
          '415': problemRef('UnsupportedMediaType'),
          '503': problemRef('Unavailable'),
        },
      },
    },
    '/keys/{id}': {
      parameters: [keyIdParam],
      get: {
        operationId: 'getKey',
        tags: ['keys'],
        summary: 'One key',
        description: 'Admin scope.',
        responses: { '200': { description: 'The key.', content: json(ref('ApiKey')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '503': problemRef('Unavailable') },
      },
      delete: {
        operationId: 'deleteKey',
        tags: ['keys'],
        summary: 'Revoke a key',
        description: 'Admin scope. Answers the record (also when it was revoked already).',
        responses: { '200': { description: 'Revoked.', content: json(ref('ApiKey')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '503': problemRef('Unavailable') },
      },
    },
    '/keys/{id}/revoke': {
      parameters: [keyIdParam],
      post: {
        operationId: 'revokeKey',
        tags: ['keys'],
        summary: 'Revoke a key (POST form)',
        description: 'Admin scope. Same as DELETE /keys/{id}.',
        responses: { '200': { description: 'Revoked.', content: json(ref('ApiKey')) }, ...CHECKED_PROBLEMS, '404': problemRef('NotFound'), '503': problemRef('Unavailable') },
      },
    },
    '/admin/log-level': {
      get: {
        operationId: 'getLogLevel',
        tags: ['operations'],
        summary: 'The log level of this process',
        description: 'Admin scope. With --workers N: of the worker that answered (README: Log redaction and log level).',
        responses: { '200': { description: 'The level in service.', content: json(ref('LogLevel')) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
      put: {
        operationId: 'setLogLevel',
        tags: ['operations'],
        summary: 'Change the log level at runtime',
        description: 'Admin scope. Logged at warn level with the caller. With `durationSeconds`, the level before comes back after that time.',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['level'],
            properties: {
              level: { type: 'string', enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] },
              durationSeconds: { type: 'integer', minimum: 1, maximum: 86400, description: 'Time box: the level before comes back after this many seconds.' },
            },
          }),
        },
        responses: { '200': { description: 'The level now in service.', content: json(ref('LogLevel')) }, ...CHECKED_PROBLEMS, '413': problemRef('TooLarge'), '415': problemRef('UnsupportedMediaType'), '503': problemRef('Unavailable') },
      },
    },
    '/admin/drift': {
      get: {
        operationId: 'readDrift',
        tags: ['operations'],
        summary: 'Contract drift: responses that broke their contract',
        description:
          'Admin scope, or an owner asking about an API it owns (`api` required). Response-validation violations per API, version, operation and upstream target in the window, with example pointers and first and last seen; counts survive a reload. With --workers N: of the worker that answered.',
        parameters: [
          query('window', 'How far back: `<n>m` (up to 60m, counted by minute), `<n>h` or `<n>d` (counted by hour), at most 168h.', { type: 'string', pattern: '^[1-9][0-9]{0,3}[mhd]$', default: '24h' }),
          query('api', 'Only this API.', { type: 'string', minLength: 1 }),
          query('version', 'Only this version.', { type: 'string', minLength: 1 }),
        ],
        responses: { '200': { description: 'The report.', content: json(ref('DriftReport')) }, ...CHECKED_PROBLEMS, '503': problemRef('Unavailable') },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description: 'Admin scope. The metrics of this process (with workers: of the primary\'s admin listener process; see the README).',
        responses: { '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } }, ...CHECKED_PROBLEMS },
      },
    },
  },
  components: {
    securitySchemes: {
      adminToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT from an identity provider of admin.auth.providers (e.g. `accord token --client ops --scope accord:admin`).' },
    },
    schemas: {
      Problem: {
        type: 'object',
        description: 'RFC 9457 problem details.',
        required: ['type', 'title', 'status', 'code'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          code: { type: 'string', description: 'Stable error code (README: Error codes).' },
          errors: { type: 'array', items: { type: 'object', required: ['pointer', 'message'], properties: { pointer: { type: 'string' }, message: { type: 'string' } } } },
          findings: { type: 'array', items: ref('Finding') },
        },
      },
      ImpactReport: {
        type: 'object',
        description: 'Consumers a change would affect, from the usage records (README: Consumer impact).',
        required: ['api', 'base', 'revision', 'breaking', 'window', 'coverage', 'changes'],
        properties: {
          api: { type: 'string' },
          base: { type: 'string' },
          revision: { type: 'string' },
          breaking: { type: 'boolean', description: 'A breaking change (severity error) affects at least one consumer (evidence field or operation).' },
          gate: {
            type: 'object',
            description: 'Present when the API\'s registry.governance.breakingChanges mode is block-if-used: what registration would decide on these breaking changes, over the policy\'s window (accord check --admin-url reads it).',
            required: ['accepted', 'outcome', 'policy', 'breakingChanges', 'consumers', 'reasons', 'window', 'coverage'],
            properties: {
              accepted: { type: 'boolean' },
              outcome: { type: 'string', enum: ['accepted', 'in-use', 'unproven'] },
              policy: { type: 'object' },
              breakingChanges: { type: 'integer' },
              consumers: { type: 'array', items: { type: 'object', required: ['id', 'changes'], properties: { id: { type: 'string' }, contact: { type: 'string' }, changes: { type: 'array', items: { type: 'object' } } } } },
              reasons: { type: 'array', items: { type: 'string' } },
              window: { type: 'object' },
              coverage: { type: 'object' },
            },
          },
          window: { type: 'object', required: ['since', 'until', 'days'], properties: { since: { type: 'string' }, until: { type: 'string' }, days: { type: 'integer' } } },
          coverage: {
            type: 'object',
            required: ['days', 'requests', 'overflowed'],
            properties: {
              days: { type: 'integer', description: 'Days from the first recorded call in the window to its end.' },
              requests: { type: 'integer', description: 'Calls of the API (base major) in the window.' },
              overflowed: { type: 'boolean', description: 'A fingerprint ran out of room: field evidence degrades to operation for it.' },
            },
          },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'severity', 'message', 'operation', 'location', 'consumers'],
              properties: {
                id: { type: 'string' },
                severity: { type: 'string', enum: ['error', 'warn'] },
                message: { type: 'string' },
                operation: { type: 'string' },
                usageOperation: { type: 'string' },
                where: { type: 'string' },
                path: { type: 'string' },
                location: { type: 'object' },
                field: { type: 'string', description: 'The fingerprint location (`query:status`, `body:/note`).' },
                values: { type: 'array', description: 'For a removed enum value: the value(s) whose senders are affected.', items: {} },
                statusClass: { type: 'string', enum: ['1xx', '2xx', '3xx', '4xx', '5xx'], description: 'For a response-side change: the status class of the response it concerns; only callers that received it are listed.' },
                note: { type: 'string' },
                consumers: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['id', 'calls', 'firstSeen', 'lastSeen', 'evidence'],
                    properties: {
                      id: { type: 'string' },
                      contact: { type: 'string' },
                      calls: { type: 'integer' },
                      firstSeen: { type: 'string' },
                      lastSeen: { type: 'string' },
                      evidence: { type: 'string', enum: ['field', 'operation', 'none'] },
                      note: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      Finding: {
        type: 'object',
        required: ['id', 'severity', 'message', 'location'],
        properties: {
          id: { type: 'string', description: 'Rule or check ID.' },
          severity: { type: 'string', enum: ['error', 'warn', 'info', 'hint'] },
          message: { type: 'string' },
          operation: { type: 'string', description: 'E.g. `GET /orders/{id}`.' },
          location: { type: 'object', properties: { file: { type: 'string' }, pointer: { type: 'string' }, line: { type: 'integer' }, column: { type: 'integer' } } },
          affects: { type: 'string' },
        },
      },
      VersionRecord: {
        type: 'object',
        required: ['api', 'version', 'status', 'digest', 'format', 'publishedAt'],
        properties: {
          api: { type: 'string' },
          version: { type: 'string' },
          status: { type: 'string', enum: ['published', 'deprecated', 'retired'] },
          digest: { type: 'string', description: '`sha256:<hex>` of the document bytes.' },
          format: { type: 'string', enum: ['yaml', 'json'] },
          publishedAt: { type: 'string', format: 'date-time' },
          deprecatedAt: { type: 'string', format: 'date-time' },
          sunset: { type: 'string', format: 'date-time' },
          successor: { type: 'string' },
          retiredAt: { type: 'string', format: 'date-time' },
        },
      },
      ApiSummary: { type: 'object', required: ['api', 'versions'], properties: { api: { type: 'string' }, versions: { type: 'array', items: ref('VersionRecord') } } },
      Registration: {
        type: 'object',
        required: ['version', 'findings'],
        properties: { version: ref('VersionRecord'), findings: { type: 'array', items: ref('Finding') }, overridden: { type: 'boolean' }, identical: { type: 'boolean' } },
      },
      AuditEntry: {
        type: 'object',
        required: ['seq', 'at', 'actor', 'action', 'api', 'version'],
        properties: {
          seq: { type: 'integer', minimum: 1 },
          at: { type: 'string', format: 'date-time' },
          actor: { type: 'object', required: ['provider', 'subject'], properties: { provider: { type: 'string' }, subject: { type: 'string' } } },
          action: { type: 'string', enum: ['register', 'deprecate', 'retire'] },
          api: { type: 'string' },
          version: { type: 'string' },
          digest: { type: 'string' },
          governance: {
            type: 'object',
            properties: {
              errors: { type: 'integer' },
              warnings: { type: 'integer' },
              blocking: { type: 'array', items: { type: 'string' } },
              impact: { type: 'object', description: 'The impact report a block-if-used policy judged breaking changes within the major on (policy, outcome, base, window, coverage, blocking consumers, reasons, the breaking changes and their consumers).' },
            },
          },
          overrideReason: { type: 'string' },
          sunset: { type: 'string' },
          successor: { type: 'string' },
          trigger: { type: 'string', enum: ['manual', 'sunset'] },
          consumers: { type: 'array', description: 'Deprecation and retirement: the consumers that called the version in the window.', items: ref('VersionCaller') },
        },
      },
      VersionCaller: {
        type: 'object',
        required: ['consumer', 'calls', 'lastSeen', 'operations'],
        properties: { consumer: { type: 'string' }, calls: { type: 'integer' }, lastSeen: { type: 'string' }, operations: { type: 'array', items: { type: 'string' } } },
      },
      DeprecationReport: {
        type: 'object',
        required: ['window', 'consumers'],
        properties: {
          window: { type: 'object', required: ['since', 'until', 'days'], properties: { since: { type: 'string' }, until: { type: 'string' }, days: { type: 'integer' } } },
          consumers: {
            type: 'array',
            items: {
              type: 'object',
              required: ['consumer', 'operations'],
              properties: {
                consumer: { type: 'string' },
                contact: { type: 'string' },
                operations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['api', 'version', 'operation', 'calls', 'lastSeen', 'reason'],
                    properties: {
                      api: { type: 'string' },
                      version: { type: 'string' },
                      operation: { type: 'string' },
                      calls: { type: 'integer' },
                      lastSeen: { type: 'string' },
                      reason: { type: 'string', enum: ['version-deprecated', 'operation-deprecated'] },
                      sunset: { type: 'string' },
                      successor: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
      LogLevel: {
        type: 'object',
        required: ['level', 'initial'],
        properties: {
          level: { type: 'string' },
          initial: { type: 'string', description: 'The level at start (LOG_LEVEL, default info).' },
          revertsAt: { type: 'string', format: 'date-time', description: 'When a time-boxed level ends.' },
          revertsTo: { type: 'string' },
        },
      },
      DriftReport: {
        type: 'object',
        required: ['window', 'violations', 'entries', 'dropped'],
        properties: {
          window: { type: 'object', required: ['since', 'until', 'granularity'], properties: { since: { type: 'string' }, until: { type: 'string' }, granularity: { type: 'string', enum: ['minute', 'hour'] } } },
          violations: { type: 'integer', description: 'Responses that broke their contract in the window.' },
          dropped: { type: 'integer', description: 'Broken responses of sites beyond the recorder\'s bound (not in entries).' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              required: ['api', 'version', 'operation', 'target', 'count', 'total', 'firstSeen', 'lastSeen', 'mode', 'examples', 'otherViolations'],
              properties: {
                api: { type: 'string' },
                version: { type: 'string' },
                operation: { type: 'string', description: 'operationId, or `METHOD /template`.' },
                target: { type: 'string', description: 'The upstream target that sent the responses.' },
                count: { type: 'integer', description: 'In the window.' },
                total: { type: 'integer', description: 'Since the process started.' },
                firstSeen: { type: 'string', format: 'date-time' },
                lastSeen: { type: 'string', format: 'date-time' },
                mode: { type: 'string', enum: ['enforce', 'report'] },
                examples: { type: 'array', items: { type: 'object', required: ['pointer', 'message', 'count'], properties: { pointer: { type: 'string' }, message: { type: 'string' }, count: { type: 'integer' } } } },
                otherViolations: { type: 'integer' },
              },
            },
          },
        },
      },
      ApiKey: {
        type: 'object',
        required: ['id', 'consumer', 'createdAt'],
        properties: { id: { type: 'string' }, consumer: { type: 'string' }, createdAt: { type: 'string' }, expiresAt: { type: ['string', 'null'] }, revokedAt: { type: ['string', 'null'] } },
      },
    },
    responses: {
      RequestInvalid: { description: 'REQUEST_INVALID / REQUEST_MALFORMED / CONTRACT_UNUSABLE: the request breaks this document; `errors` points at each violation.', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Unauthenticated: { description: 'AUTH_TOKEN_MISSING / AUTH_TOKEN_INVALID / AUTH_TOKEN_EXPIRED.', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Forbidden: { description: 'AUTH_SCOPE_INSUFFICIENT (no admin scope, or an owner on an admin-only route) / API_NOT_OWNED (an owner changing another API).', content: { 'application/problem+json': { schema: ref('Problem') } } },
      NotFound: { description: 'VERSION_NOT_FOUND / API_KEY_NOT_FOUND.', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Conflict: { description: 'VERSION_CONFLICT (other content for a published version) / LIFECYCLE_CONFLICT (the version is not in a state that allows the change).', content: { 'application/problem+json': { schema: ref('Problem') } } },
      TooLarge: { description: 'PAYLOAD_TOO_LARGE.', content: { 'application/problem+json': { schema: ref('Problem') } } },
      UnsupportedMediaType: { description: 'UNSUPPORTED_MEDIA_TYPE.', content: { 'application/problem+json': { schema: ref('Problem') } } },
      GovernanceRejected: { description: 'GOVERNANCE_REJECTED, with every finding (id, severity, operation, location with pointer and line); BREAKING_CHANGE_IN_USE / BREAKING_CHANGE_UNPROVEN (block-if-used), with the findings, `consumers` (id, contact, changes with evidence, calls and share), `reasons`, `policy`, `window` and `coverage`.', content: { 'application/problem+json': { schema: ref('Problem') } } },
      Unavailable: { description: 'SERVICE_UNAVAILABLE: the registry, key store or usage records are not available on this listener.', content: { 'application/problem+json': { schema: ref('Problem') } } },
    },
  },
} as const;

/** The document as served (JSON text, built once). */
export const ADMIN_OPENAPI_TEXT: string = JSON.stringify(document, null, 2);

/** The name the document is loaded under (for load errors and lint findings). */
export const ADMIN_OPENAPI_FILE = 'accord-admin-openapi.json';
