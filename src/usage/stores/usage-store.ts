/** Where usage records are kept: one interface, a memory store and a Redis store behind it. */
import type { UsageBatch, UsageFilter, UsageReport } from '../usage-record.js';

/** A place usage batches are added to and read from. */
export interface UsageStore {
  /** `memory` or `redis`, for logs and metrics. */
  readonly kind: string;
  /** Adds a batch (counts add up; first seen keeps the earliest, last seen the latest). */
  write(batch: UsageBatch): Promise<void>;
  /** The records and fingerprints matching the filter, within the retention window ending `now`. */
  query(filter: UsageFilter, now: number): Promise<UsageReport>;
  close(): Promise<void>;
}

/** The bounds every store keeps. */
export interface StoreBounds {
  retentionDays: number;
  maxLocations: number;
}
