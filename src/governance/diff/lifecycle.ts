/** Reads the lifecycle extensions oasdiff defined and Accord follows: `deprecated`, `x-sunset` and `x-stability-level`. */
import { isObject } from '../../contracts/openapi-document.js';

/** Stability levels, least to most stable. An absent level counts as `stable`. */
export const STABILITY_LEVELS = ['draft', 'alpha', 'beta', 'stable'] as const;

/** One valid `x-stability-level`. */
export type StabilityLevel = (typeof STABILITY_LEVELS)[number];

/** The stability of an object: a valid level, `stable` when absent, or the reason it is invalid. */
export type StabilityReading = { level: StabilityLevel; declared: boolean } | { invalid: string };

/** Reads `x-stability-level` of an operation (or any object carrying extensions). */
export function readStability(node: unknown): StabilityReading {
  const raw = isObject(node) ? node['x-stability-level'] : undefined;
  if (raw === undefined || raw === null) return { level: 'stable', declared: false };
  if (typeof raw !== 'string') return { invalid: 'x-stability-level is not a string' };
  if (!(STABILITY_LEVELS as readonly string[]).includes(raw)) {
    return { invalid: `x-stability-level is not one of ${STABILITY_LEVELS.join(', ')}: "${raw}"` };
  }
  return { level: raw as StabilityLevel, declared: true };
}

/** Rank of a stability level for comparisons (draft 0 … stable 3). */
export function stabilityRank(level: StabilityLevel): number {
  return STABILITY_LEVELS.indexOf(level);
}

/**
 * Whether changes to an object of this stability are reported: oasdiff's default threshold is
 * `beta`, so `draft` and `alpha` operations may change freely.
 */
export function isStabilityReported(reading: StabilityReading): boolean {
  return 'invalid' in reading || stabilityRank(reading.level) >= stabilityRank('beta');
}

/** A calendar date (UTC) as days since the epoch, so dates compare without time-of-day noise. */
export type DayNumber = number;

/** The day number of an instant (its UTC calendar date). */
export function dayOf(instant: Date): DayNumber {
  return Math.floor(instant.getTime() / 86_400_000);
}

/** The sunset of an object: absent, a day, or the reason it cannot be read. */
export type SunsetReading = { present: false } | { present: true; day: DayNumber; text: string } | { present: true; invalid: string };

/**
 * Reads `x-sunset`: a `YYYY-MM-DD` date or an RFC 3339 date-time (its calendar date counts),
 * the two forms oasdiff accepts.
 */
export function readSunset(node: unknown): SunsetReading {
  if (!isObject(node) || !('x-sunset' in node)) return { present: false };
  const raw = node['x-sunset'];
  // YAML turns an unquoted 2025-01-31 into a Date; accept it as the date it names.
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) {
    return { present: true, day: dayOf(raw), text: raw.toISOString().slice(0, 10) };
  }
  if (typeof raw !== 'string') return { present: true, invalid: 'x-sunset is not a string' };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (date) {
    const ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    const back = new Date(ms);
    if (back.getUTCMonth() === Number(date[2]) - 1 && back.getUTCDate() === Number(date[3])) {
      return { present: true, day: dayOf(back), text: raw };
    }
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw)) {
    const parsed = new Date(raw);
    if (!Number.isNaN(parsed.getTime())) {
      // The calendar date as written, not as shifted to UTC.
      const local = raw.slice(0, 10);
      return { present: true, day: dayOf(new Date(`${local}T00:00:00Z`)), text: local };
    }
  }
  return { present: true, invalid: `x-sunset is not an RFC 3339 date: "${raw}"` };
}

/** True when an object is marked `deprecated: true`. */
export function isDeprecated(node: unknown): boolean {
  return isObject(node) && node.deprecated === true;
}
