/**
 * Calendar periods (a local day or month in an IANA time zone) computed with Intl, so a quota
 * resets at local midnight or on the first of the month whatever daylight saving does to the
 * length of the day.
 */
import type { QuotaUnit } from './schema.js';

/** One calendar period: its id (`2026-03-29`, `2026-03`) and the instants it starts and ends (ms). */
export interface CalendarPeriod {
  readonly id: string;
  readonly start: number;
  /** The first instant of the next period: when the quota resets. */
  readonly end: number;
}

/** A local calendar date. */
interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** True when Intl knows the time zone (an IANA name such as Europe/Paris, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A comparable number of a local date (yyyymmdd). */
function ordinal(d: LocalDate): number {
  return d.year * 10000 + d.month * 100 + d.day;
}

/**
 * The calendar of one time zone. The formatter is made once; the period of "now" is cached, so a
 * request costs one comparison until the period ends. Throws TypeError for an unknown zone
 * (the config check refuses those with a pointer first).
 */
export class ZoneCalendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<QuotaUnit, CalendarPeriod>();

  constructor(readonly timeZone: string) {
    if (!isTimeZone(timeZone)) throw new TypeError(`unknown time zone "${timeZone}"`);
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  }

  /** The local date at an instant. */
  localDate(instant: number): LocalDate {
    let year = 0;
    let month = 0;
    let day = 0;
    for (const part of this.format.formatToParts(instant)) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
    }
    return { year, month, day };
  }

  /**
   * The first instant whose local date is `date` or later: local midnight, or the end of a
   * daylight-saving gap where midnight does not exist (America/Santiago starts such days at 01:00).
   * Found by bisection between bounds no zone offset can exceed (±18 h), to the millisecond.
   */
  startOf(date: LocalDate): number {
    const target = ordinal(date);
    const nominal = Date.UTC(date.year, date.month - 1, date.day);
    let lo = nominal - 18 * 3_600_000;
    let hi = nominal + 18 * 3_600_000;
    // Invariant: local date at lo is before the target, at hi it is the target or later.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (ordinal(this.localDate(mid)) >= target) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** The period of `unit` holding `instant` (computed; see `current` for the cached form). */
  periodAt(instant: number, unit: QuotaUnit): CalendarPeriod {
    const d = this.localDate(instant);
    if (unit === 'day') {
      const next = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
      return {
        id: `${d.year}-${pad(d.month)}-${pad(d.day)}`,
        start: this.startOf(d),
        end: this.startOf({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }),
      };
    }
    const nextMonth = d.month === 12 ? { year: d.year + 1, month: 1, day: 1 } : { year: d.year, month: d.month + 1, day: 1 };
    return { id: `${d.year}-${pad(d.month)}`, start: this.startOf({ year: d.year, month: d.month, day: 1 }), end: this.startOf(nextMonth) };
  }

  /** The period holding `instant`, from the cache while it lasts. */
  current(instant: number, unit: QuotaUnit): CalendarPeriod {
    const cached = this.cache.get(unit);
    if (cached && instant >= cached.start && instant < cached.end) return cached;
    const period = this.periodAt(instant, unit);
    this.cache.set(unit, period);
    return period;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
