/** Exponential backoff with "full jitter" (AWS Architecture Blog, 2015): spreads retries of many clients apart. */

/** The delay before retry `retry` (1 for the first): uniform in [0, min(maxMs, baseMs * 2^(retry-1))). */
export function fullJitterDelay(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
