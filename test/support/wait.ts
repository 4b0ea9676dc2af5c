/** Polling for a condition a test expects to become true, within a deadline (never an unbounded wait). */

/** Polls `probe` every 25 ms until it returns true or `ms` have passed; returns the elapsed milliseconds, or undefined. */
export async function within(ms: number, probe: () => Promise<boolean>): Promise<number | undefined> {
  const start = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - start;
    if (performance.now() - start > ms) return undefined;
    await new Promise((r) => setTimeout(r, 25));
  }
}
