/**
 * Reads the hops of X-Forwarded-For and RFC 7239 Forwarded, left (farthest) to right (nearest).
 * A hop that names no address (`unknown`, an obfuscated `_id`, a missing `for=`, or a value that
 * cannot be read) is kept as a hop without an address, so that it still stands where it stood.
 */
import { parseIp } from './ip-address.js';

/** One hop: an address (family 4 or 6), or a label with family 0 (`unknown` or an obfuscated `_id`). */
export interface Hop {
  /** The canonical address; for family 0 a label made only of `[A-Za-z0-9._-]`, safe to log. */
  readonly address: string;
  readonly family: 0 | 4 | 6;
}

/** A hop whose address is not known (RFC 7239 `unknown`, or a value that could not be read). */
export const UNKNOWN_HOP: Hop = Object.freeze({ address: 'unknown', family: 0 });

const OBFUSCATED = /^_[A-Za-z0-9._-]{1,63}$/;
const PORT = /^(?:\d{1,5}|_[A-Za-z0-9._-]{1,63})$/;
const IPV4_PORT = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})$/;

/** One X-Forwarded-For element (trimmed, non-empty): an address, `v4:port`, `[v6]` or `[v6]:port`; anything else is unknown. */
export function xffHop(text: string): Hop {
  const ip = parseIp(text);
  if (ip) return ip;
  if (text.charCodeAt(0) === 0x5b /* [ */) return bracketed(text, /^\d{1,5}$/) ?? UNKNOWN_HOP;
  const v4 = IPV4_PORT.exec(text);
  if (v4) return parseIp(v4[1]!) ?? UNKNOWN_HOP;
  return UNKNOWN_HOP;
}

/** The node of a Forwarded `for=` value (unquoted): IPv4[:port], "[IPv6]"[:port], unknown or an obfuscated id. */
export function forwardedNode(value: string | undefined): Hop {
  if (value === undefined) return UNKNOWN_HOP;
  if (value.charCodeAt(0) === 0x5b /* [ */) return bracketed(value, PORT) ?? UNKNOWN_HOP;
  const colon = value.indexOf(':');
  const name = colon === -1 ? value : value.slice(0, colon);
  if (colon !== -1 && !PORT.test(value.slice(colon + 1))) return UNKNOWN_HOP;
  if (OBFUSCATED.test(name)) return { address: name, family: 0 };
  // An IPv6 address outside brackets is refused: its colons cannot be told from a port's.
  const ip = /^[0-9.]+$/.test(name) ? parseIp(name) : undefined;
  return ip ?? UNKNOWN_HOP;
}

function bracketed(text: string, port: RegExp): Hop | undefined {
  const close = text.indexOf(']');
  if (close === -1) return undefined;
  const rest = text.slice(close + 1);
  if (rest !== '' && !(rest.charCodeAt(0) === 0x3a /* : */ && port.test(rest.slice(1)))) return undefined;
  const inner = text.slice(1, close);
  // Brackets hold IPv6 only (a mapped IPv4 address included, which parseIp folds into IPv4).
  if (inner.includes('.') && !inner.includes(':')) return undefined;
  return parseIp(inner);
}

/** RFC 9110 tchar. */
function isTchar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2e || c === 0x2d || c === 0x5f || c === 0x7e || c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x5e || c === 0x60 || c === 0x7c
  );
}

/** A character of an unquoted value: tchar, and ':', '[' and ']' (proxies write `for=[::1]:80` unquoted). */
function isValueChar(c: number): boolean {
  return isTchar(c) || c === 0x3a || c === 0x5b || c === 0x5d;
}

/**
 * The hops of a Forwarded field value (repeated fields joined with ", "), one per element, left to
 * right. The first syntax error ends the reading: from there on the value is one hop without an
 * address. A client writes only the left part of the value; stopping there means its garbage can
 * make its own hop unknown but never bring a hop of its choosing to the right of a real one.
 */
export function forwardedHops(value: string): Hop[] {
  const hops: Hop[] = [];
  const n = value.length;
  let i = 0;
  for (;;) {
    while (i < n && (value[i] === ' ' || value[i] === '\t' || value[i] === ',')) i++;
    if (i >= n) return hops;
    let forValue: string | undefined;
    let hasFor = false;
    // The pairs of one element, up to ',' or the end.
    for (;;) {
      while (i < n && (value[i] === ' ' || value[i] === '\t' || value[i] === ';')) i++;
      if (i >= n || value[i] === ',') break;
      const nameStart = i;
      while (i < n && isTchar(value.charCodeAt(i))) i++;
      if (i === nameStart || value[i] !== '=') return malformed(hops);
      const name = value.slice(nameStart, i).toLowerCase();
      i++;
      let pairValue: string;
      if (value[i] === '"') {
        i++;
        let text = '';
        for (;;) {
          if (i >= n) return malformed(hops);
          const c = value[i]!;
          if (c === '"') break;
          if (c === '\\') {
            i++;
            if (i >= n) return malformed(hops);
          }
          text += value[i];
          i++;
        }
        i++;
        pairValue = text;
      } else {
        const start = i;
        while (i < n && isValueChar(value.charCodeAt(i))) i++;
        if (i === start) return malformed(hops);
        pairValue = value.slice(start, i);
      }
      if (name === 'for') {
        // RFC 7239 4: a parameter occurs at most once per element.
        if (hasFor) return malformed(hops);
        hasFor = true;
        forValue = pairValue;
      }
      while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
      if (i < n && value[i] !== ';' && value[i] !== ',') return malformed(hops);
    }
    // An element without `for=` is a hop whose proxy did not say whom it received from.
    hops.push(forwardedNode(forValue));
  }
}

function malformed(hops: Hop[]): Hop[] {
  hops.push(UNKNOWN_HOP);
  return hops;
}
