/** Config schema of rate limits and quotas: plans, the API default, and per-API and per-operation overrides. */

/** Unit of a rate window. */
export type RateUnit = 'second' | 'minute';
/** Unit of a calendar quota period. */
export type QuotaUnit = 'day' | 'month';

/** A rate: `limit` requests per `per`, plus `burst` extra requests per `burstPer` once they are spent. */
export interface RateConfig {
  limit: number;
  per: RateUnit;
  burst: number;
  burstPer: RateUnit | 'hour';
}

/** A calendar quota: `limit` requests per local day or month of `timeZone`. */
export interface QuotaConfig {
  limit: number;
  per: QuotaUnit;
  timeZone: string;
}

/** A rate and/or a quota. Either may be absent: the next less specific level then supplies it. */
export interface LimitsConfig {
  rate?: RateConfig;
  quota?: QuotaConfig;
}

/** Limits of one operation: for every caller, and per plan (more specific still). */
export interface OperationLimitsConfig extends LimitsConfig {
  plans?: Record<string, LimitsConfig>;
}

/** One plan (`plans[]`). */
export interface PlanConfig extends LimitsConfig {
  id: string;
  description?: string;
  sharedAcrossApis: boolean;
}

/** Rate limit of one API (`apis[].rateLimit`). */
export interface RateLimitConfig {
  points?: number;
  windowSeconds?: number;
  burst: number;
  burstWindowSeconds: number;
  quota?: QuotaConfig;
  legacyHeaders: boolean;
  plans?: Record<string, LimitsConfig>;
  operations?: Record<string, OperationLimitsConfig>;
}

export const PLAN_ID_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';

const rateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['limit', 'per'],
  description: 'A rate ("rate" policy), with an optional "burst" pool drawn from once it is spent.',
  properties: {
    limit: { type: 'integer', minimum: 1, description: 'Requests allowed per window.' },
    per: { enum: ['second', 'minute'], description: 'The window: one second or one minute, starting with the first request.' },
    burst: { type: 'integer', minimum: 0, default: 0, description: 'Extra requests allowed once `limit` is spent, from a second pool (the "burst" policy); 0: none.' },
    burstPer: { enum: ['second', 'minute', 'hour'], default: 'minute', description: 'Window over which the burst pool replenishes.' },
  },
} as const;

const quotaSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['limit', 'per'],
  description: 'A calendar quota ("quota" policy): it resets at local midnight (day) or on the first of the month (month) in `timeZone`.',
  properties: {
    limit: { type: 'integer', minimum: 1, description: 'Requests allowed per period.' },
    per: { enum: ['day', 'month'], description: 'The calendar period.' },
    timeZone: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      default: 'UTC',
      description: 'IANA time zone whose local midnight ends a period (e.g. Europe/Paris); daylight-saving days last 23 or 25 hours.',
    },
  },
} as const;

/** A rate and/or a quota (a plan's limits, an override). */
export const limitsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'A rate and/or a quota; what is left out comes from the next less specific level.',
  properties: { rate: rateSchema, quota: quotaSchema },
} as const;

const planOverridesSchema = {
  type: 'object',
  propertyNames: { pattern: PLAN_ID_PATTERN },
  additionalProperties: limitsSchema,
  description: 'Per plan id: `{rate, quota}` (each shaped as in plans[]) that replace the plan\'s own here.',
} as const;

/** Limits of one operation (config `operations.<operationId>` and the contract's `x-accord-rate-limit`). */
export const operationLimitsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Limits of one operation, counted apart from the rest of the API: for every caller, and per plan.',
  properties: { rate: rateSchema, quota: quotaSchema, plans: planOverridesSchema },
} as const;

/** One plan (`plans[]`). */
export const planSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  description: 'A plan: the rate and quota of the consumers that name it.',
  properties: {
    id: { type: 'string', pattern: PLAN_ID_PATTERN, description: 'Plan id that consumers[].plan and overrides refer to.' },
    description: { type: 'string', maxLength: 1000, description: 'Free text for operators.' },
    rate: rateSchema,
    quota: quotaSchema,
    sharedAcrossApis: {
      type: 'boolean',
      default: false,
      description: 'false: a consumer\'s counters are kept per API (each API grants the whole plan); true: one set of counters across every API the plan applies to.',
    },
  },
} as const;

export const rateLimitSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Rate limit and quota of this API. points/windowSeconds/burst/quota are the default for callers without a plan (consumers without one, any-authenticated callers, anonymous callers counted per client address); plans and operations override (most specific wins).',
  properties: {
    points: { type: 'integer', minimum: 1, description: 'Requests allowed per window for callers without a plan (the "rate" policy). Unset: they have no rate.' },
    windowSeconds: { type: 'integer', minimum: 1, description: 'Length of the window in seconds (required with points).' },
    burst: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Extra requests allowed once `points` are spent, drawn from a second, slower pool (the "burst" policy).',
    },
    burstWindowSeconds: { type: 'integer', minimum: 1, default: 60, description: 'Window over which burst requests replenish.' },
    quota: quotaSchema,
    legacyHeaders: {
      type: 'boolean',
      default: false,
      description:
        'Also send the draft-06 RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset fields (the rate pools\' totals, or the quota when it is the nearer limit).',
    },
    plans: planOverridesSchema,
    operations: {
      type: 'object',
      additionalProperties: operationLimitsSchema,
      description: 'Per operationId: `{rate, quota, plans}` of that operation (rate and quota shaped as in plans[], plans as in rateLimit.plans), counted apart; they win over the contract\'s x-accord-rate-limit, which has the same shape.',
    },
  },
  dependentRequired: { points: ['windowSeconds'], windowSeconds: ['points'] },
} as const;
