/** Config schema of the per-consumer rate limit policy. */

/** Rate limit of one API per consumer: `points` requests per `windowSeconds`, plus a `burst` allowance. */
export interface RateLimitConfig {
  points: number;
  windowSeconds: number;
  burst: number;
  burstWindowSeconds: number;
  legacyHeaders: boolean;
}

export const rateLimitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['points', 'windowSeconds'],
  description:
    'Per-consumer rate limit of this API (consumer = identity provider + JWT client_id, azp or sub; anonymous callers are counted per client address, apart from consumers).',
  properties: {
    points: { type: 'integer', minimum: 1, description: 'Requests allowed per window (the "default" policy).' },
    windowSeconds: { type: 'integer', minimum: 1, description: 'Length of the window in seconds.' },
    burst: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Extra requests allowed once `points` are spent, drawn from a second, slower pool (the "burst" policy).',
    },
    burstWindowSeconds: { type: 'integer', minimum: 1, default: 60, description: 'Window over which burst requests replenish.' },
    legacyHeaders: {
      type: 'boolean',
      default: false,
      description: 'Also send the draft-06 RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset fields (totals over both pools).',
    },
  },
} as const;
