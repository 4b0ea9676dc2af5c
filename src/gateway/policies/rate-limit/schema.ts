/** Config schema of the per-consumer rate limit policy. */

/** Rate limit of one API per consumer: `points` requests per `windowSeconds`, plus a `burst` allowance. */
export interface RateLimitConfig {
  points: number;
  windowSeconds: number;
  burst: number;
  burstWindowSeconds: number;
}

export const rateLimitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['points', 'windowSeconds'],
  description: 'Per-consumer rate limit of this API (consumer = JWT client_id, azp or sub; else client IP).',
  properties: {
    points: { type: 'integer', minimum: 1, description: 'Requests allowed per window.' },
    windowSeconds: { type: 'integer', minimum: 1, description: 'Length of the window in seconds.' },
    burst: { type: 'integer', minimum: 0, default: 0, description: 'Extra requests allowed above `points` in a burst, drawn from a slower bucket.' },
    burstWindowSeconds: { type: 'integer', minimum: 1, default: 60, description: 'Window over which burst requests replenish.' },
  },
} as const;
