/** The bound on what one diff may cost: schema nodes compared and wall time, checked as the walk goes. */

/** Thrown when a diff would exceed its budget; the CLI turns it into exit 2 with its message. */
export class DiffBudgetExceeded extends Error {
  readonly code = 'DIFF_BUDGET_EXCEEDED' as const;

  constructor(
    readonly limit: 'nodes' | 'time',
    message: string,
  ) {
    super(message);
    this.name = 'DiffBudgetExceeded';
  }
}

/** Limits of one diff; absent limits are unbounded. */
export interface DiffLimits {
  /** Schema node visits (pairs compared, plus result nodes read back) before the diff gives up. */
  maxNodes?: number;
  /** Milliseconds of wall time before the diff gives up. */
  timeoutMs?: number;
}

/** Defaults of `accord diff`: far above any real contract (Stripe's whole spec visits ~10^5 nodes), far below memory exhaustion. */
export const DEFAULT_LIMITS: Readonly<Required<DiffLimits>> = Object.freeze({ maxNodes: 5_000_000, timeoutMs: 120_000 });

// Reading the clock on every visit would cost more than the visit; every 1,024th is often enough.
const CLOCK_EVERY = 1024;

/** Counts node visits of one diff and stops it past its limits. One instance per diff. */
export class DiffBudget {
  private count = 0;
  private readonly deadline: number;

  constructor(
    private readonly limits: DiffLimits = {},
    private readonly clock: () => number = Date.now,
  ) {
    if (limits.maxNodes !== undefined && !(limits.maxNodes > 0)) throw new TypeError('maxNodes must be a positive number');
    if (limits.timeoutMs !== undefined && !(limits.timeoutMs > 0)) throw new TypeError('timeoutMs must be a positive number');
    this.deadline = limits.timeoutMs === undefined ? Infinity : clock() + limits.timeoutMs;
  }

  /** Nodes visited so far. */
  get visited(): number {
    return this.count;
  }

  /** Counts one visit; throws DiffBudgetExceeded past a limit. */
  visit(): void {
    this.count += 1;
    const max = this.limits.maxNodes;
    if (max !== undefined && this.count > max) {
      throw new DiffBudgetExceeded('nodes', `diff stopped: more than ${max} schema nodes visited (raise --max-nodes to allow more)`);
    }
    if (this.count % CLOCK_EVERY === 0) this.checkTime();
  }

  /** Throws DiffBudgetExceeded when the deadline has passed. */
  checkTime(): void {
    if (this.deadline !== Infinity && this.clock() > this.deadline) {
      throw new DiffBudgetExceeded('time', `diff stopped: it took longer than ${this.limits.timeoutMs} ms (raise --timeout to allow more)`);
    }
  }
}
