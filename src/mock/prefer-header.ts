/** Reads the Prism-style `Prefer` request header that lets a caller pick the mock's answer. */

/** What a caller asked the mock for; every member is optional. */
export interface MockPreference {
  /** `code=404`: answer with this declared status. */
  code?: number;
  /** `example=cancelled`: answer with the example of this name. */
  example?: string;
  /** `dynamic=true`: answer with a value generated from the schema instead of an example. */
  dynamic?: boolean;
}

/** Why a Prefer header could not be followed; becomes a 400 pointing at `/headers/prefer`. */
export class PreferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreferenceError';
  }
}

const TOKEN = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s"]*))?\s*$/;

/**
 * Parses `Prefer: code=404, example="not found", dynamic=true` (RFC 7240 syntax: preferences
 * separated by commas, parameters by semicolons; both are read as preferences here, as Prism does).
 * Preferences the mock does not know (`return=minimal`, `respond-async`) are ignored, since a real
 * upstream may receive them too.
 */
export function parsePreferHeader(header: string | string[] | undefined): MockPreference {
  const preference: MockPreference = {};
  if (header === undefined) return preference;
  const parts = (Array.isArray(header) ? header.join(',') : header).split(/[,;]/).filter((p) => p.trim() !== '');
  for (const part of parts) {
    const match = TOKEN.exec(part);
    if (!match) throw new PreferenceError(`cannot read the preference "${part.trim()}"`);
    const name = match[1].toLowerCase();
    const raw = match[2] ?? '';
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (name === 'code') {
      if (!/^[1-5][0-9]{2}$/.test(value)) throw new PreferenceError(`code must be an HTTP status between 100 and 599, got "${value}"`);
      preference.code = Number(value);
    } else if (name === 'example') {
      if (value === '') throw new PreferenceError('example needs a name: example=NAME');
      preference.example = value;
    } else if (name === 'dynamic') {
      if (value !== '' && value !== 'true' && value !== 'false') throw new PreferenceError(`dynamic must be true or false, got "${value}"`);
      preference.dynamic = value !== 'false';
    }
  }
  return preference;
}
