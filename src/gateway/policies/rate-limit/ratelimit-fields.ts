/**
 * The IETF RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11):
 * Structured Field Lists of String items, one per policy, `"name";q=;w=` and `"name";r=;t=`.
 */

/** A policy that applies to a request. */
export type LimitPolicyName = 'rate' | 'burst' | 'quota';

/** One RateLimit-Policy item: quota `q` per window `w` seconds. */
export function policyItem(name: LimitPolicyName, q: number, w: number): string {
  return `"${name}";q=${q};w=${w}`;
}

/**
 * One RateLimit item: `r` requests left, `t` seconds until the window resets. `t` is left out
 * when no window is running (a pool that nothing has drawn from yet is full and stays full).
 */
export function limitItem(name: LimitPolicyName, r: number, t: number | undefined): string {
  return t === undefined ? `"${name}";r=${r}` : `"${name}";r=${r};t=${t}`;
}

/**
 * Whole seconds until an instant `ms` ahead, rounded up: a client that waits `t` seconds is past
 * the reset. Never 0 (the reset is still ahead, or it is happening now).
 */
export function secondsUntil(ms: number): number {
  return ms > 0 ? Math.ceil(ms / 1000) : 1;
}
