/** Reads a key's expiry as people give it: a duration from now (`30d`, `12h`, `90m`) or an ISO 8601 date. */

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The expiry, or the reason it cannot be one. */
export function parseExpiry(text: string, now: number = Date.now()): { date: Date } | { problem: string } {
  const relative = /^([1-9][0-9]{0,5})([mhd])$/.exec(text);
  if (relative) return { date: new Date(now + Number(relative[1]) * UNIT_MS[relative[2]!]!) };
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) {
      if (date.getTime() <= now) return { problem: `${text} is not in the future` };
      return { date };
    }
  }
  return { problem: `"${text}" is neither a duration such as 30d, 12h or 90m nor an ISO 8601 date` };
}
