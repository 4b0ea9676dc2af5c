/** Config schema of the gateway's Prometheus metrics (`metrics:`): how many consumers keep their own series. */

/** The `metrics` section after defaults are applied. */
export interface MetricsConfig {
  consumers: {
    top: number;
    periodSeconds: number;
  };
}

export const metricsSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description:
    'Prometheus metrics on the admin listener (`GET /metrics`). Read once at start: a change takes effect at the next restart.',
  properties: {
    consumers: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description:
        'The `consumer` label of accord_requests_total and accord_request_duration_seconds. Its values are bounded: a caller without an identity is `(anonymous)`, at most `top` consumers keep their own label, and every other consumer is folded into `(other)`.',
      properties: {
        top: {
          type: 'integer',
          minimum: 0,
          maximum: 1000,
          default: 10,
          description:
            'How many consumers keep their own series: a free slot goes to the first consumer that calls; at the end of each period the busiest `top` consumers of that period keep the slots for the next one (the others fold into `(other)` and their series are removed). 0: every identified caller is `(other)`.',
        },
        periodSeconds: {
          type: 'integer',
          minimum: 60,
          maximum: 604800,
          default: 3600,
          description: 'Length of the period over which the busiest consumers are counted.',
        },
      },
    },
  },
} as const;
