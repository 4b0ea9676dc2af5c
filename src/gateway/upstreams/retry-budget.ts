/**
 * A retry budget (as Finagle's and Envoy's): over the last `windowSeconds`, retries may be at
 * most `ratio` of the requests plus `minRetriesPerSecond` per second of the window. Under a full
 * outage every request fails and wants retries; the budget keeps the extra load on the upstream
 * to that fraction instead of multiplying it by the number of attempts.
 */

/** Counts requests and retries in one-second slots of a ring. */
export class RetryBudget {
  private readonly ratio: number;
  private readonly reserve: number;
  private readonly window: number;
  private readonly now: () => number;
  private readonly seconds: Float64Array;
  private readonly requests: Float64Array;
  private readonly retries: Float64Array;

  constructor(options: { ratio: number; minRetriesPerSecond: number; windowSeconds: number }, now: () => number = Date.now) {
    this.ratio = options.ratio;
    this.window = options.windowSeconds;
    this.reserve = options.minRetriesPerSecond * options.windowSeconds;
    this.now = now;
    this.seconds = new Float64Array(this.window).fill(-1);
    this.requests = new Float64Array(this.window);
    this.retries = new Float64Array(this.window);
  }

  /** The slot of the current second, emptied when it last held an older second. */
  private slot(): { index: number; second: number } {
    const second = Math.floor(this.now() / 1000);
    const index = second % this.window;
    if (this.seconds[index] !== second) {
      this.seconds[index] = second;
      this.requests[index] = 0;
      this.retries[index] = 0;
    }
    return { index, second };
  }

  /** Counts a request (its first attempt). */
  recordRequest(): void {
    this.requests[this.slot().index]!++;
  }

  /** Takes one retry from the budget: false (and nothing taken) when it is spent. */
  tryRetry(): boolean {
    const { index, second } = this.slot();
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < this.window; i++) {
      if (this.seconds[i]! > second - this.window) {
        requests += this.requests[i]!;
        retries += this.retries[i]!;
      }
    }
    if (retries + 1 > this.reserve + this.ratio * requests) return false;
    this.retries[index]!++;
    return true;
  }
}
