/**
 * The shapes of usage records: the deltas a recorder hands its store at each flush, and the report
 * the store answers with (the JSON of `GET /usage`, documented in docs/usage-records.md).
 */

/** 1xx..5xx, from the response status. */
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

export const STATUS_CLASSES: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** Calls of one (consumer, API, version, operation, status class) on one UTC day since the last flush. */
export interface RecordDelta {
  consumer: string;
  api: string;
  version: string;
  operation: string;
  statusClass: StatusClass;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  count: number;
  /** Epoch milliseconds. */
  firstSeen: number;
  lastSeen: number;
}

/**
 * Where a request puts something: `query:<name>`, `header:<name>` (lower-case), `cookie:<name>`
 * (declared parameters only) or `body:<JSON pointer>` (array indices as `*`); and an enum value
 * sent at one of them, `enum:<location>` NUL `<JSON value>` (see {@link enumLocation}).
 */
export type Location = string;

/** Prefix of the location that records an enum value sent. */
export const ENUM_PREFIX = 'enum:';
/** Separates the location from the value: NUL, which no location the contract declares holds. */
const ENUM_SEPARATOR = '\u0000';

/** The fingerprint location that records `value` sent at the enum-restricted `location`. */
export function enumLocation(location: string, value: unknown): Location {
  return `${ENUM_PREFIX}${location}${ENUM_SEPARATOR}${JSON.stringify(value)}`;
}

/** What one (consumer, API, major, operation) sent since the last flush. */
export interface FingerprintDelta {
  consumer: string;
  api: string;
  major: number;
  operation: string;
  firstSeen: number;
  lastSeen: number;
  /** Requests counted. */
  requests: number;
  /** Requests whose parameters and body were examined (all of them until the fingerprint is stable, then a sample). */
  examined: number;
  /** Examined requests with a query parameter the operation does not declare. */
  undeclaredQuery: number;
  /** Examined requests that sent a location the fingerprint had no room for. */
  overflow: number;
  /** Examined requests that sent each location, and when one last did. */
  locations: Map<Location, { count: number; lastSeen: number }>;
}

/** One flush: every delta gathered since the last one. */
export interface UsageBatch {
  records: RecordDelta[];
  fingerprints: FingerprintDelta[];
}

/** What `GET /usage` and `accord usage` ask for. */
export interface UsageFilter {
  api?: string;
  operation?: string;
  consumer?: string;
  /** UTC day `YYYY-MM-DD`: only calls on this day or later. */
  since?: string;
}

/** One call record as reported. */
export interface UsageRecordView {
  consumer: string;
  api: string;
  version: string;
  major: number;
  operation: string;
  statusClass: StatusClass;
  /** Calls on the days in the window. */
  calls: number;
  firstSeen: string;
  lastSeen: string;
  /** Calls per UTC day in the window, oldest first. */
  daily: Array<{ day: string; count: number }>;
}

/** One location of a fingerprint as reported. */
export interface LocationView {
  in: 'query' | 'header' | 'cookie' | 'body';
  /** Parameter name, or the body's JSON pointer. */
  name: string;
  /** Examined requests that sent it. */
  count: number;
  lastSeen: string;
}

/** An enum value a consumer sent at an enum-restricted location, as reported. */
export interface EnumValueView {
  /** The location (`query:status`, `body:/items/STAR/kind`). */
  location: string;
  /** The value sent (one of the contract's enum values). */
  value: string | number | boolean | null;
  /** Examined requests that sent it. */
  count: number;
  lastSeen: string;
}

/** One fingerprint as reported. */
export interface FingerprintView {
  consumer: string;
  api: string;
  major: number;
  operation: string;
  firstSeen: string;
  lastSeen: string;
  requests: number;
  examined: number;
  undeclaredQuery: number;
  locations: LocationView[];
  /** Enum values sent at enum-restricted locations (only the contract's own values are recorded). */
  enumValues: EnumValueView[];
  /** Locations not kept because the fingerprint already held `maxLocations` (counted once per examined request that sent one). */
  overflow: number;
}

/** The answer to a usage query. */
export interface UsageReport {
  /** The UTC days the daily counts cover (the retention window, narrowed by `since`). */
  window: { since: string; until: string };
  records: UsageRecordView[];
  fingerprints: FingerprintView[];
}

const DAY_MS = 86_400_000;

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The first UTC day kept when `retentionDays` days (today included) are kept. */
export function oldestKeptDay(now: number, retentionDays: number): string {
  return utcDay(now - (retentionDays - 1) * DAY_MS);
}

/** The status class of a status code. */
export function statusClassOf(status: number): StatusClass {
  const hundred = Math.floor(status / 100);
  return STATUS_CLASSES[Math.min(Math.max(hundred, 1), 5) - 1]!;
}

/** Splits a location into its part and name. */
export function locationView(location: Location, count: number, lastSeen: number): LocationView {
  const colon = location.indexOf(':');
  return { in: location.slice(0, colon) as LocationView['in'], name: location.slice(colon + 1), count, lastSeen: new Date(lastSeen).toISOString() };
}

/** Splits stored locations into the fingerprint's locations and its enum values. */
export function fingerprintLocations(stored: Iterable<readonly [Location, number, number]>): { locations: LocationView[]; enumValues: EnumValueView[] } {
  const locations: LocationView[] = [];
  const enumValues: EnumValueView[] = [];
  for (const [location, count, lastSeen] of stored) {
    if (!location.startsWith(ENUM_PREFIX)) {
      locations.push(locationView(location, count, lastSeen));
      continue;
    }
    const separator = location.indexOf(ENUM_SEPARATOR);
    if (separator < 0) continue;
    let value: EnumValueView['value'];
    try {
      value = JSON.parse(location.slice(separator + 1)) as EnumValueView['value'];
    } catch {
      continue; // Not written by this version: left out rather than guessed.
    }
    enumValues.push({ location: location.slice(ENUM_PREFIX.length, separator), value, count, lastSeen: new Date(lastSeen).toISOString() });
  }
  return { locations, enumValues };
}

/** Orders report rows for stable output: API, operation, consumer, then version or major and class. */
export function sortReport(report: UsageReport): UsageReport {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  report.records.sort((a, b) => cmp(a.api, b.api) || cmp(a.operation, b.operation) || cmp(a.consumer, b.consumer) || cmp(a.version, b.version) || cmp(a.statusClass, b.statusClass));
  report.fingerprints.sort((a, b) => cmp(a.api, b.api) || cmp(a.operation, b.operation) || cmp(a.consumer, b.consumer) || a.major - b.major);
  for (const f of report.fingerprints) {
    f.locations.sort((a, b) => cmp(a.in, b.in) || cmp(a.name, b.name));
    f.enumValues.sort((a, b) => cmp(a.location, b.location) || cmp(JSON.stringify(a.value), JSON.stringify(b.value)));
  }
  return report;
}
