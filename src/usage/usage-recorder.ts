/**
 * Gathers usage in memory as responses finish and writes it to the store in batches, off the
 * request path: on a timer and on shutdown (the first call of a new UTC day seals the previous
 * day's counts into a batch of their own). A failed write is kept for the next flush (up to a
 * bound), so a short store outage loses nothing.
 */
import type { Logger } from '../observability/logger.js';
import type { OperationUsage } from './operation-usage.js';
import { examineRequest, type RequestSample } from './request-fingerprint.js';
import type { UsageConfig } from './schema.js';
import type { UsageStore } from './stores/usage-store.js';
import { STATUS_CLASSES, utcDay, type FingerprintDelta, type RecordDelta, type UsageBatch, type UsageFilter, type UsageReport } from './usage-record.js';

/** Why calls were not recorded. */
export type DropReason = 'capacity' | 'store-unavailable';

/** What the recorder reports to its surroundings (metrics, log). */
export interface UsageRecorderDeps {
  store: UsageStore;
  logger: Logger;
  /** Epoch milliseconds; tests pass their own clock. */
  now?: () => number;
  onFlushFailure?: (store: string) => void;
  onDropped?: (reason: DropReason, calls: number) => void;
}

/** A location of a fingerprint seen in this interval. */
interface LocationCount {
  count: number;
  lastSeen: number;
  /** The request that counted it last, so that a location used twice by one request counts once. */
  stamp: number;
}

/** What one consumer did with one operation since the last flush, and its fingerprint's sampling state. */
interface Entry {
  readonly consumer: string;
  /** Calls per status class (1xx..5xx at 0..4), with first and last seen. */
  readonly counts: number[];
  readonly first: number[];
  readonly last: number[];
  touched: boolean;
  requests: number;
  examined: number;
  undeclaredQuery: number;
  overflow: number;
  fpFirst: number;
  fpLast: number;
  /** Every location seen while this entry lived (at most maxLocations): the pending counts, and what is known. */
  readonly locations: Map<string, LocationCount>;
  /** Examined requests since one brought a new location. */
  sinceNew: number;
  tick: number;
}

const newEntry = (consumer: string): Entry => ({
  consumer,
  counts: [0, 0, 0, 0, 0],
  first: [0, 0, 0, 0, 0],
  last: [0, 0, 0, 0, 0],
  touched: false,
  requests: 0,
  examined: 0,
  undeclaredQuery: 0,
  overflow: 0,
  fpFirst: 0,
  fpLast: 0,
  locations: new Map(),
  sinceNew: 0,
  tick: 0,
});

const DAY_MS = 86_400_000;

/** Records calls and flushes them to a store. */
export class UsageRecorder {
  private readonly config: UsageConfig;
  private readonly deps: UsageRecorderDeps;
  private readonly now: () => number;
  /** Per operation plan (one per served operation and routing table), per consumer. */
  private readonly buckets = new Map<OperationUsage, Map<string, Entry>>();
  private entries = 0;
  private day = '';
  private dayEnd = 0;
  /** Batches collected and not yet written. */
  private readonly queue: UsageBatch[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Sequence number of the request being examined (LocationCount.stamp). */
  private seq = 0;

  constructor(config: UsageConfig, deps: UsageRecorderDeps) {
    this.config = config;
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** The store's kind, for logs and metrics. */
  get storeKind(): string {
    return this.deps.store.kind;
  }

  /** Starts the flush timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.config.flushIntervalSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Counts one finished call. Cheap when nothing is examined: two map lookups and a few stores;
   * the fingerprint examines the request only while it is learning, then one request in sampleEvery.
   */
  record(plan: OperationUsage, consumer: string, status: number, sample: RequestSample): void {
    const now = this.now();
    if (now >= this.dayEnd) this.startDay(now);
    let byConsumer = this.buckets.get(plan);
    if (!byConsumer) this.buckets.set(plan, (byConsumer = new Map()));
    let entry = byConsumer.get(consumer);
    if (!entry) {
      if (this.entries >= this.config.maxPendingRecords) {
        this.deps.onDropped?.('capacity', 1);
        return;
      }
      byConsumer.set(consumer, (entry = newEntry(consumer)));
      this.entries++;
    }
    entry.touched = true;
    const cls = status < 200 ? 0 : status >= 500 ? 4 : Math.floor(status / 100) - 1;
    if (entry.counts[cls]++ === 0) entry.first[cls] = now;
    entry.last[cls] = now;
    const fingerprint = this.config.fingerprint;
    if (!fingerprint.enabled) return;
    if (entry.requests++ === 0) entry.fpFirst = now;
    entry.fpLast = now;
    if (entry.sinceNew >= fingerprint.stableAfter && ++entry.tick % fingerprint.sampleEvery !== 0) return;
    this.examine(plan, entry, sample, now);
  }

  private examine(plan: OperationUsage, entry: Entry, sample: RequestSample, now: number): void {
    const stamp = ++this.seq;
    const max = this.config.fingerprint.maxLocations;
    let fresh = false;
    let overflowed = false;
    const locations = entry.locations;
    const undeclared = examineRequest(plan, sample, this.config.fingerprint, (location) => {
      const seen = locations.get(location);
      if (seen) {
        if (seen.stamp === stamp) return;
        seen.stamp = stamp;
        seen.count++;
        seen.lastSeen = now;
        return;
      }
      if (locations.size >= max) {
        overflowed = true;
        return;
      }
      fresh = true;
      locations.set(location, { count: 1, lastSeen: now, stamp });
    });
    entry.examined++;
    if (undeclared) entry.undeclaredQuery++;
    if (overflowed) entry.overflow++;
    entry.sinceNew = fresh ? 0 : entry.sinceNew + 1;
  }

  /** A new UTC day: what was gathered so far belongs to the day before. */
  private startDay(now: number): void {
    if (this.day !== '') this.collect();
    this.day = utcDay(now);
    this.dayEnd = Date.parse(`${this.day}T00:00:00Z`) + DAY_MS;
  }

  /** Moves the counts gathered so far into a batch; forgets consumers that were idle for a whole interval. */
  private collect(): void {
    const records: RecordDelta[] = [];
    const fingerprints: FingerprintDelta[] = [];
    for (const [plan, byConsumer] of this.buckets) {
      for (const [consumer, entry] of byConsumer) {
        if (!entry.touched) {
          byConsumer.delete(consumer);
          this.entries--;
          continue;
        }
        entry.touched = false;
        for (let i = 0; i < 5; i++) {
          const count = entry.counts[i]!;
          if (count === 0) continue;
          records.push({ consumer, api: plan.api, version: plan.version, operation: plan.operation, statusClass: STATUS_CLASSES[i]!, day: this.day, count, firstSeen: entry.first[i]!, lastSeen: entry.last[i]! });
          entry.counts[i] = 0;
        }
        if (entry.requests > 0) {
          const locations = new Map<string, { count: number; lastSeen: number }>();
          for (const [location, seen] of entry.locations) {
            if (seen.count === 0) continue;
            locations.set(location, { count: seen.count, lastSeen: seen.lastSeen });
            seen.count = 0;
          }
          fingerprints.push({
            consumer,
            api: plan.api,
            major: plan.major,
            operation: plan.operation,
            firstSeen: entry.fpFirst,
            lastSeen: entry.fpLast,
            requests: entry.requests,
            examined: entry.examined,
            undeclaredQuery: entry.undeclaredQuery,
            overflow: entry.overflow,
            locations,
          });
          entry.requests = 0;
          entry.examined = 0;
          entry.undeclaredQuery = 0;
          entry.overflow = 0;
        }
      }
      if (byConsumer.size === 0) this.buckets.delete(plan);
    }
    if (records.length > 0 || fingerprints.length > 0) this.queue.push({ records, fingerprints });
  }

  /**
   * Writes everything gathered so far. One flush at a time (a call during one waits for it, then
   * flushes again). Never rejects: a failure is logged, counted and retried at the next flush.
   */
  flush(): Promise<void> {
    const run = async (): Promise<void> => {
      this.collect();
      while (this.queue.length > 0) {
        const batch = this.queue[0]!;
        try {
          await this.deps.store.write(batch);
          this.queue.shift();
        } catch (error) {
          this.deps.onFlushFailure?.(this.deps.store.kind);
          this.deps.logger.warn({ store: this.deps.store.kind, pending: this.queue.length, err: { message: (error as Error).message } }, 'usage flush failed; retrying at the next flush');
          break;
        }
      }
      while (this.queue.length > this.config.maxRetainedBatches) {
        const dropped = this.queue.shift()!;
        const calls = dropped.records.reduce((sum, r) => sum + r.count, 0);
        this.deps.onDropped?.('store-unavailable', calls);
        this.deps.logger.error({ store: this.deps.store.kind, calls }, 'usage batch dropped: the store could not be written for maxRetainedBatches flushes');
      }
    };
    const previous = this.flushing ?? Promise.resolve();
    const next = previous.then(run);
    this.flushing = next;
    void next.finally(() => {
      if (this.flushing === next) this.flushing = undefined;
    });
    return next;
  }

  /** Flushes what this process gathered, then reads the store (so an answer includes the calls just made). */
  async query(filter: UsageFilter): Promise<UsageReport> {
    await this.flush();
    return this.deps.store.query(filter, this.now());
  }

  /** Stops the timer, flushes what is left, and closes the store. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.deps.store.close();
  }
}
