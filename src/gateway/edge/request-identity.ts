/** Request id and W3C trace context: accept well-formed values from the caller, else make new ones. */
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '00000000000000000000000000000000';

/** The caller's X-Request-Id when well-formed (1-128 safe characters), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  if (typeof header === 'string' && REQUEST_ID.test(header)) return header;
  return randomUUID();
}

function randomHex(length: number): string {
  // randomUUID is the cheapest CSPRNG source in Node (it batches entropy); strip its dashes.
  let out = '';
  while (out.length < length) out += randomUUID().replace(/-/g, '');
  return out.slice(0, length);
}

/**
 * The traceparent to send upstream: same trace id and flags as the caller's when valid, with the
 * gateway's own span as parent; a new trace otherwise.
 */
export function nextTraceparent(header: string | string[] | undefined): string {
  if (typeof header === 'string') {
    const m = TRACEPARENT.exec(header);
    if (m && m[1] !== ZERO_TRACE && m[2] !== '0000000000000000') return `00-${m[1]}-${randomHex(16)}-${m[3]}`;
  }
  return `00-${randomHex(32)}-${randomHex(16)}-01`;
}
