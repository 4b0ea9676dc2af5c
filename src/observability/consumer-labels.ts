/**
 * The `consumer` label of the request metrics, bounded: the busiest consumers keep their own value,
 * every other one is folded into `(other)`, so that a gateway with thousands of token subjects
 * still exposes a fixed number of series.
 */

/** The label of a request that carried no identity (refused before authentication, or an open API). */
export const ANONYMOUS_CONSUMER = '(anonymous)';
/** The label every consumer without a slot of its own shares. */
export const OTHER_CONSUMER = '(other)';

/** Options of the consumer labels. */
export interface ConsumerLabelOptions {
  /** How many consumers keep their own label (metrics.consumers.top). */
  top: number;
  /** Length of a counting period in milliseconds. */
  periodMs: number;
  /** The wall clock in milliseconds; tests inject one to end a period. */
  now: () => number;
  /** Called with the consumers that lost their slot at the end of a period (their series go). */
  onDropped: (consumers: readonly string[]) => void;
}

/**
 * Chooses the label of each request's consumer. Free slots go to consumers first come; at the end of
 * each period the `top` busiest consumers of that period keep the slots for the next one. The busiest
 * are found with the Misra-Gries summary over `4 * top` counters: amortised O(1) per request and
 * bounded memory, and any consumer with more than a `1 / (4 * top + 1)` share of a period's calls is
 * sure to be among the counted. Declared ids cannot contain parentheses and token subjects are
 * prefixed with their provider (`dev/…`), so the two fixed labels cannot collide with a consumer.
 */
export class ConsumerLabels {
  private readonly options: ConsumerLabelOptions;
  private readonly capacity: number;
  private kept = new Set<string>();
  private readonly counts = new Map<string, number>();
  private periodEnd: number;

  constructor(options: ConsumerLabelOptions) {
    if (!Number.isInteger(options.top) || options.top < 0) throw new TypeError('top must be a non-negative integer');
    if (!(options.periodMs > 0)) throw new TypeError('periodMs must be positive');
    this.options = options;
    this.capacity = Math.max(4 * options.top, 16);
    this.periodEnd = options.now() + options.periodMs;
  }

  /** The label of a request's consumer id (undefined: no identity). */
  label(consumerId: string | undefined): string {
    if (consumerId === undefined) return ANONYMOUS_CONSUMER;
    const { top } = this.options;
    if (top === 0) return OTHER_CONSUMER;
    const now = this.options.now();
    if (now >= this.periodEnd) this.endPeriod(now);
    this.count(consumerId);
    if (this.kept.has(consumerId)) return consumerId;
    if (this.kept.size < top) {
      this.kept.add(consumerId);
      return consumerId;
    }
    return OTHER_CONSUMER;
  }

  /** The consumers that have a label of their own now. */
  keptConsumers(): readonly string[] {
    return [...this.kept];
  }

  private count(consumerId: string): void {
    const counts = this.counts;
    const seen = counts.get(consumerId);
    if (seen !== undefined) counts.set(consumerId, seen + 1);
    else if (counts.size < this.capacity) counts.set(consumerId, 1);
    else {
      // Every counter loses one (the newcomer's call cancels out): the total removed is at most the
      // total counted, which is what makes this pass amortised O(1).
      for (const [id, n] of counts) {
        if (n === 1) counts.delete(id);
        else counts.set(id, n - 1);
      }
    }
  }

  private endPeriod(now: number): void {
    const ranked = [...this.counts].sort((a, b) => b[1] - a[1]);
    const next = new Set<string>();
    for (const [id] of ranked) {
      if (next.size === this.options.top) break;
      next.add(id);
    }
    const dropped = [...this.kept].filter((id) => !next.has(id));
    this.kept = next;
    this.counts.clear();
    this.periodEnd = now + this.options.periodMs;
    if (dropped.length > 0) this.options.onDropped(dropped);
  }
}
