/** The window of an impact report: `30d` style durations in whole UTC days, ending today. */

const DAY_MS = 86_400_000;
/** Longest window accepted (a year; usage retention is shorter by default anyway). */
export const MAX_WINDOW_DAYS = 366;
export const DEFAULT_WINDOW = '30d';

/** The UTC days a report looks at, today included. */
export interface ImpactWindow {
  /** First day, `YYYY-MM-DD`. */
  readonly since: string;
  /** Last day (today), `YYYY-MM-DD`. */
  readonly until: string;
  readonly days: number;
}

/** Days of a `<n>d` duration, or undefined when the text is not one (1..366). */
export function parseWindowDays(text: string): number | undefined {
  const m = /^([1-9][0-9]{0,2})d$/.exec(text);
  if (!m) return undefined;
  const days = Number(m[1]);
  return days <= MAX_WINDOW_DAYS ? days : undefined;
}

/** The window of `days` UTC days ending on the day of `now` (epoch ms). */
export function windowEnding(now: number, days: number): ImpactWindow {
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { since: day(now - (days - 1) * DAY_MS), until: day(now), days };
}
