/**
 * Contract drift: response-validation violations counted per (API, version, operation, upstream
 * target) in time buckets, with first and last seen and a few example JSON pointers, so that an
 * API owner sees which upstream broke its contract, where, and since when.
 *
 * The recorder belongs to the gateway instance, not to a routing table: a reload builds a new
 * table but keeps the counts. Everything is bounded: keys (`maxSeries`), buckets per key (one per
 * minute of the last hour and one per hour of the retention), example pointers per key.
 */

/** One violation of a response, as the response check reports it. */
export interface DriftViolation {
  readonly pointer: string;
  readonly message: string;
}

/** Where a violation was seen. */
export interface DriftSite {
  readonly api: string;
  readonly version: string;
  /** The operationId, or `METHOD /template` when the contract names none. */
  readonly operation: string;
  /** The upstream target's label (scheme, host, port, base path). */
  readonly target: string;
}

/** A report row: one site with violations in the window. */
export interface DriftEntry extends DriftSite {
  /** Responses that broke the contract in the window. */
  readonly count: number;
  /** Since the process started (or the key was first seen). */
  readonly total: number;
  /** ISO 8601 instants of the first and last broken response of this site (whole history). */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** `enforce` (the client got 502) or `report` (the response was relayed) at the last violation. */
  readonly mode: 'enforce' | 'report';
  /** Example pointers, the most frequent first, with the last message seen there. */
  readonly examples: ReadonlyArray<{ pointer: string; message: string; count: number }>;
  /** Violations at pointers beyond the kept examples. */
  readonly otherViolations: number;
}

/** The drift report of a window. */
export interface DriftReport {
  readonly window: { readonly since: string; readonly until: string; readonly granularity: 'minute' | 'hour' };
  /** Responses that broke the contract in the window, over every entry. */
  readonly violations: number;
  readonly entries: readonly DriftEntry[];
  /** Violating responses of sites not tracked because `maxSeries` was reached (since the start). */
  readonly dropped: number;
}

/** A filter on the report. */
export interface DriftFilter {
  readonly api?: string;
  readonly version?: string;
}

/** Tuning of the recorder (defaults suit a gateway; tests shrink them). */
export interface DriftRecorderOptions {
  /** Wall clock in ms (default Date.now); tests inject one. */
  readonly now?: () => number;
  /** Sites tracked at most (default 10,000); a new one beyond is counted in `droppedSites` only. */
  readonly maxSeries?: number;
  /** Distinct example pointers kept per site (default 5). */
  readonly maxExamples?: number;
  /** Hours of hourly buckets kept (default 168, seven days): the longest window. */
  readonly retentionHours?: number;
  /** Called for each violating response of an untracked site (`first` for the first one: a log line). */
  readonly onSiteDropped?: (site: DriftSite, first: boolean) => void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Hours of history kept by default (seven days): the longest window a report may ask for. */
export const DEFAULT_RETENTION_HOURS = 168;

/** A ring of counts, one slot per bucket; a slot remembers which bucket it counts. */
class BucketRing {
  private readonly starts: Float64Array;
  private readonly counts: Uint32Array;

  constructor(
    private readonly size: number,
    private readonly slots: number,
  ) {
    this.starts = new Float64Array(slots).fill(-1);
    this.counts = new Uint32Array(slots);
  }

  add(at: number): void {
    const bucket = Math.floor(at / this.size);
    const slot = bucket % this.slots;
    if (this.starts[slot] !== bucket) {
      this.starts[slot] = bucket;
      this.counts[slot] = 0;
    }
    this.counts[slot]!++;
  }

  /** Counts of the buckets from the one holding `from` to the one holding `until`, both included. */
  sum(from: number, until: number): number {
    const first = Math.floor(from / this.size);
    const last = Math.floor(until / this.size);
    let total = 0;
    for (let i = 0; i < this.slots; i++) {
      const bucket = this.starts[i]!;
      if (bucket >= first && bucket <= last) total += this.counts[i]!;
    }
    return total;
  }
}

interface Example {
  message: string;
  count: number;
}

interface Series {
  readonly site: DriftSite;
  readonly minutes: BucketRing;
  readonly hours: BucketRing;
  total: number;
  firstSeen: number;
  lastSeen: number;
  mode: 'enforce' | 'report';
  readonly examples: Map<string, Example>;
  otherViolations: number;
}

/** Parses a window: `<n>m` (1–60), `<n>h` (1–retention) or `<n>d`; undefined when malformed or too long. */
export function parseDriftWindow(text: string, retentionHours = DEFAULT_RETENTION_HOURS): number | undefined {
  const m = /^([1-9][0-9]{0,3})([mhd])$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const ms = m[2] === 'm' ? n * MINUTE : m[2] === 'h' ? n * HOUR : n * 24 * HOUR;
  if (ms > retentionHours * HOUR) return undefined;
  if (m[2] === 'm' && n > 60) return undefined;
  return ms;
}

/** Counts response-validation violations per site over time. */
export class DriftRecorder {
  private readonly now: () => number;
  private readonly maxSeries: number;
  private readonly maxExamples: number;
  /** Hours of history kept; the longest window a report may ask for. */
  readonly retentionHours: number;
  private readonly onSiteDropped: ((site: DriftSite, first: boolean) => void) | undefined;
  private readonly series = new Map<string, Series>();
  private dropped = 0;

  constructor(options: DriftRecorderOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxSeries = options.maxSeries ?? 10_000;
    this.maxExamples = options.maxExamples ?? 5;
    this.retentionHours = options.retentionHours ?? DEFAULT_RETENTION_HOURS;
    this.onSiteDropped = options.onSiteDropped;
  }

  /** Records one response that broke its contract at `site`, with its violations. */
  record(site: DriftSite, mode: 'enforce' | 'report', violations: readonly DriftViolation[]): void {
    const at = this.now();
    // NUL cannot occur in an API id, version, operation id or URL label: the key is unambiguous.
    const key = `${site.api}\u0000${site.version}\u0000${site.operation}\u0000${site.target}`;
    let series = this.series.get(key);
    if (!series) {
      if (this.series.size >= this.maxSeries) {
        this.onSiteDropped?.(site, this.dropped++ === 0);
        return;
      }
      series = {
        site: { api: site.api, version: site.version, operation: site.operation, target: site.target },
        minutes: new BucketRing(MINUTE, 61),
        hours: new BucketRing(HOUR, this.retentionHours + 1),
        total: 0,
        firstSeen: at,
        lastSeen: at,
        mode,
        examples: new Map(),
        otherViolations: 0,
      };
      this.series.set(key, series);
    }
    series.minutes.add(at);
    series.hours.add(at);
    series.total++;
    series.lastSeen = at;
    series.mode = mode;
    for (const v of violations) {
      const example = series.examples.get(v.pointer);
      if (example) {
        example.count++;
        example.message = v.message;
      } else if (series.examples.size < this.maxExamples) series.examples.set(v.pointer, { message: v.message, count: 1 });
      else series.otherViolations++;
    }
  }

  /**
   * The report of the last `windowMs` (at most the retention): windows up to an hour are counted
   * in whole minutes, longer ones in whole hours (the bucket holding the window's start counts whole).
   */
  report(windowMs: number, filter: DriftFilter = {}): DriftReport {
    if (!(windowMs > 0) || windowMs > this.retentionHours * HOUR) throw new TypeError(`windowMs must be in (0, ${this.retentionHours} h]`);
    const until = this.now();
    const from = until - windowMs;
    const granularity = windowMs <= HOUR ? 'minute' : 'hour';
    const size = granularity === 'minute' ? MINUTE : HOUR;
    const entries: DriftEntry[] = [];
    let violations = 0;
    for (const series of this.series.values()) {
      const { site } = series;
      if (filter.api !== undefined && site.api !== filter.api) continue;
      if (filter.version !== undefined && site.version !== filter.version) continue;
      // Slots of buckets older than the ring holds were reused, so `sum` never counts a stale one.
      const count = granularity === 'minute' ? series.minutes.sum(from, until) : series.hours.sum(from, until);
      if (count === 0) continue;
      violations += count;
      const examples = [...series.examples].map(([pointer, e]) => ({ pointer, message: e.message, count: e.count })).sort((a, b) => b.count - a.count || (a.pointer < b.pointer ? -1 : 1));
      entries.push({ ...site, count, total: series.total, firstSeen: new Date(series.firstSeen).toISOString(), lastSeen: new Date(series.lastSeen).toISOString(), mode: series.mode, examples, otherViolations: series.otherViolations });
    }
    entries.sort((a, b) => b.count - a.count || compareSites(a, b));
    return { window: { since: new Date(Math.floor(from / size) * size).toISOString(), until: new Date(until).toISOString(), granularity }, violations, entries, dropped: this.dropped };
  }
}

function compareSites(a: DriftSite, b: DriftSite): number {
  for (const key of ['api', 'version', 'operation', 'target'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}
