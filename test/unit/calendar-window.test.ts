/** Calendar periods of quotas: local midnight and the first of the month in a time zone, across DST and month ends. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ZoneCalendar, isTimeZone } from '../../src/gateway/policies/rate-limit/calendar-window.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('calendar periods', () => {
  const cases: Array<{ name: string; zone: string; unit: 'day' | 'month'; instant: string; id: string; start: string; end: string; hours: number }> = [
    { name: 'an ordinary Paris day (CET, UTC+1)', zone: 'Europe/Paris', unit: 'day', instant: '2026-12-03T15:58:00Z', id: '2026-12-03', start: '2026-12-02T23:00:00.000Z', end: '2026-12-03T23:00:00.000Z', hours: 24 },
    { name: 'the Paris day clocks go forward: 23 hours', zone: 'Europe/Paris', unit: 'day', instant: '2026-03-29T12:00:00Z', id: '2026-03-29', start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', hours: 23 },
    { name: 'the Paris day clocks go back: 25 hours', zone: 'Europe/Paris', unit: 'day', instant: '2026-10-25T01:30:00Z', id: '2026-10-25', start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', hours: 25 },
    { name: 'the last millisecond of a Paris day belongs to it', zone: 'Europe/Paris', unit: 'day', instant: '2026-03-28T22:59:59.999Z', id: '2026-03-28', start: '2026-03-27T23:00:00.000Z', end: '2026-03-28T23:00:00.000Z', hours: 24 },
    { name: 'local midnight starts the next Paris day', zone: 'Europe/Paris', unit: 'day', instant: '2026-03-28T23:00:00.000Z', id: '2026-03-29', start: '2026-03-28T23:00:00.000Z', end: '2026-03-29T22:00:00.000Z', hours: 23 },
    { name: 'January in Paris ends at 23:00 UTC on the 31st', zone: 'Europe/Paris', unit: 'month', instant: '2026-01-31T22:59:59.999Z', id: '2026-01', start: '2025-12-31T23:00:00.000Z', end: '2026-01-31T23:00:00.000Z', hours: 744 },
    { name: 'February in Paris (28 days)', zone: 'Europe/Paris', unit: 'month', instant: '2026-01-31T23:00:00.000Z', id: '2026-02', start: '2026-01-31T23:00:00.000Z', end: '2026-02-28T23:00:00.000Z', hours: 672 },
    { name: 'the Paris month holding the spring change is an hour short', zone: 'Europe/Paris', unit: 'month', instant: '2026-03-15T00:00:00Z', id: '2026-03', start: '2026-02-28T23:00:00.000Z', end: '2026-03-31T22:00:00.000Z', hours: 743 },
    { name: 'a UTC month across the new year', zone: 'UTC', unit: 'month', instant: '2026-12-31T23:59:59Z', id: '2026-12', start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z', hours: 744 },
    { name: 'a leap February in New York', zone: 'America/New_York', unit: 'month', instant: '2028-02-29T12:00:00Z', id: '2028-02', start: '2028-02-01T05:00:00.000Z', end: '2028-03-01T05:00:00.000Z', hours: 696 },
    { name: 'Santiago skips midnight: the day after starts at 01:00 local', zone: 'America/Santiago', unit: 'day', instant: '2026-09-05T12:00:00Z', id: '2026-09-05', start: '2026-09-05T04:00:00.000Z', end: '2026-09-06T04:00:00.000Z', hours: 24 },
    { name: 'Tokyo is ahead of UTC: its day starts the evening before', zone: 'Asia/Tokyo', unit: 'day', instant: '2026-12-03T16:00:00Z', id: '2026-12-04', start: '2026-12-03T15:00:00.000Z', end: '2026-12-04T15:00:00.000Z', hours: 24 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const period = new ZoneCalendar(c.zone).periodAt(at(c.instant), c.unit);
      assert.deepEqual({ id: period.id, start: iso(period.start), end: iso(period.end) }, { id: c.id, start: c.start, end: c.end });
      assert.equal((period.end - period.start) / 3_600_000, c.hours);
    });
  }

  it('current() keeps the period until its end, then moves to the next', () => {
    const calendar = new ZoneCalendar('Europe/Paris');
    const first = calendar.current(at('2026-03-29T21:59:59.000Z'), 'day');
    assert.equal(calendar.current(at('2026-03-29T21:59:59.999Z'), 'day'), first, 'same object while the period lasts');
    const next = calendar.current(at('2026-03-29T22:00:00.000Z'), 'day');
    assert.equal(next.id, '2026-03-30');
    assert.equal(iso(next.start), '2026-03-29T22:00:00.000Z');
    assert.equal(calendar.current(at('2026-03-29T21:00:00.000Z'), 'day').id, '2026-03-29', 'an earlier instant (a clock set back) is recomputed, not served from the cache');
  });

  it('knows IANA zones and refuses others', () => {
    assert.deepEqual(['Europe/Paris', 'UTC', 'America/Santiago', 'Europe/Atlantis', 'Paris', ''].map(isTimeZone), [true, true, true, false, false, false]);
    assert.throws(() => new ZoneCalendar('Europe/Atlantis'), { name: 'TypeError', message: 'unknown time zone "Europe/Atlantis"' });
  });
});
