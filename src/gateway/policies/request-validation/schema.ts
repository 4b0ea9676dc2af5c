/** Config schema of the request-validation policy. */

export const requestValidationSchema = {
  type: 'boolean',
  default: true,
  description:
    'Validate requests against the contract (400/415 on violations). When false, the framing rules still hold: no body where the operation takes none, and no encoded body that would reach the upstream as other bytes than were admitted.',
} as const;
