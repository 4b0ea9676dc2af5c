/** Usage records in this process's memory: the default store, lost on restart. */
import { fingerprintLocations, oldestKeptDay, sortReport, utcDay, type FingerprintDelta, type StatusClass, type UsageBatch, type UsageFilter, type UsageReport } from '../usage-record.js';
import type { StoreBounds, UsageStore } from './usage-store.js';

interface StoredRecord {
  consumer: string;
  api: string;
  version: string;
  major: number;
  operation: string;
  statusClass: StatusClass;
  firstSeen: number;
  lastSeen: number;
  days: Map<string, number>;
}

interface StoredFingerprint {
  consumer: string;
  api: string;
  major: number;
  operation: string;
  firstSeen: number;
  lastSeen: number;
  requests: number;
  examined: number;
  undeclaredQuery: number;
  overflow: number;
  locations: Map<string, { count: number; lastSeen: number }>;
}

const SEP = '\u0000';

/** The major version of a semantic version string. */
export function majorOf(version: string): number {
  return Number(version.slice(0, version.indexOf('.')));
}

/** Keeps usage in maps; the retention window is applied as records are written and read. */
export class MemoryUsageStore implements UsageStore {
  readonly kind = 'memory';
  private readonly bounds: StoreBounds;
  private readonly records = new Map<string, StoredRecord>();
  private readonly fingerprints = new Map<string, StoredFingerprint>();

  private readonly now: () => number;

  constructor(bounds: StoreBounds, now: () => number = Date.now) {
    this.bounds = bounds;
    this.now = now;
  }

  async write(batch: UsageBatch): Promise<void> {
    for (const r of batch.records) {
      const key = [r.consumer, r.api, r.version, r.operation, r.statusClass].join(SEP);
      let stored = this.records.get(key);
      if (!stored) {
        stored = { consumer: r.consumer, api: r.api, version: r.version, major: majorOf(r.version), operation: r.operation, statusClass: r.statusClass, firstSeen: r.firstSeen, lastSeen: r.lastSeen, days: new Map() };
        this.records.set(key, stored);
      }
      stored.firstSeen = Math.min(stored.firstSeen, r.firstSeen);
      stored.lastSeen = Math.max(stored.lastSeen, r.lastSeen);
      stored.days.set(r.day, (stored.days.get(r.day) ?? 0) + r.count);
    }
    for (const f of batch.fingerprints) this.mergeFingerprint(f);
    this.expire(this.now());
  }

  private mergeFingerprint(f: FingerprintDelta): void {
    const key = [f.consumer, f.api, f.major, f.operation].join(SEP);
    let stored = this.fingerprints.get(key);
    if (!stored) {
      stored = { consumer: f.consumer, api: f.api, major: f.major, operation: f.operation, firstSeen: f.firstSeen, lastSeen: f.lastSeen, requests: 0, examined: 0, undeclaredQuery: 0, overflow: 0, locations: new Map() };
      this.fingerprints.set(key, stored);
    }
    stored.firstSeen = Math.min(stored.firstSeen, f.firstSeen);
    stored.lastSeen = Math.max(stored.lastSeen, f.lastSeen);
    stored.requests += f.requests;
    stored.examined += f.examined;
    stored.undeclaredQuery += f.undeclaredQuery;
    stored.overflow += f.overflow;
    for (const [location, seen] of f.locations) {
      const known = stored.locations.get(location);
      if (known) {
        known.count += seen.count;
        known.lastSeen = Math.max(known.lastSeen, seen.lastSeen);
      } else if (stored.locations.size < this.bounds.maxLocations) stored.locations.set(location, { ...seen });
      else stored.overflow += seen.count;
    }
  }

  /** Drops days and records that left the retention window. */
  private expire(now: number): void {
    const oldest = oldestKeptDay(now, this.bounds.retentionDays);
    const cutoff = Date.parse(`${oldest}T00:00:00Z`);
    for (const [key, r] of this.records) {
      for (const day of r.days.keys()) if (day < oldest) r.days.delete(day);
      if (r.days.size === 0) this.records.delete(key);
    }
    for (const [key, f] of this.fingerprints) if (f.lastSeen < cutoff) this.fingerprints.delete(key);
  }

  async query(filter: UsageFilter, now: number): Promise<UsageReport> {
    this.expire(now);
    const oldest = oldestKeptDay(now, this.bounds.retentionDays);
    const since = filter.since !== undefined && filter.since > oldest ? filter.since : oldest;
    const sinceMs = Date.parse(`${since}T00:00:00Z`);
    const report: UsageReport = { window: { since, until: utcDay(now) }, records: [], fingerprints: [] };
    const matches = (x: { api: string; operation: string; consumer: string }): boolean =>
      (filter.api === undefined || x.api === filter.api) && (filter.operation === undefined || x.operation === filter.operation) && (filter.consumer === undefined || x.consumer === filter.consumer);
    for (const r of this.records.values()) {
      if (!matches(r)) continue;
      const daily = [...r.days].filter(([day]) => day >= since).sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, count]) => ({ day, count }));
      if (daily.length === 0) continue;
      const calls = daily.reduce((sum, d) => sum + d.count, 0);
      report.records.push({ consumer: r.consumer, api: r.api, version: r.version, major: r.major, operation: r.operation, statusClass: r.statusClass, calls, firstSeen: new Date(r.firstSeen).toISOString(), lastSeen: new Date(r.lastSeen).toISOString(), daily });
    }
    for (const f of this.fingerprints.values()) {
      if (!matches(f) || f.lastSeen < sinceMs) continue;
      report.fingerprints.push({
        consumer: f.consumer,
        api: f.api,
        major: f.major,
        operation: f.operation,
        firstSeen: new Date(f.firstSeen).toISOString(),
        lastSeen: new Date(f.lastSeen).toISOString(),
        requests: f.requests,
        examined: f.examined,
        undeclaredQuery: f.undeclaredQuery,
        overflow: f.overflow,
        ...fingerprintLocations([...f.locations].map(([location, seen]) => [location, seen.count, seen.lastSeen] as const)),
      });
    }
    return sortReport(report);
  }

  async close(): Promise<void> {}
}
