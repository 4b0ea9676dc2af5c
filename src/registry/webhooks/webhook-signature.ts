/**
 * The signature of a lifecycle webhook: `Accord-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` (Stripe's scheme). The timestamp is signed with the body, so a receiver that
 * refuses old timestamps also refuses replays.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a delivery carries. */
export const SIGNATURE_HEADER = 'accord-signature';

/** Signs `body` at `unixSeconds`: the value of the Accord-Signature header. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * Checks a signature header as a receiver does: well-formed, a `v1` that matches (in constant
 * time), and a timestamp within `toleranceSeconds` of `nowSeconds`. Returns why not, or undefined.
 */
export function verifyWebhook(secret: string, body: string, header: string | undefined, nowSeconds: number, toleranceSeconds = 300): string | undefined {
  if (header === undefined) return 'no signature header';
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (t === undefined || candidates.length === 0) return 'malformed signature header';
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return 'timestamp outside the tolerance';
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return candidates.some((c) => timingSafeEqual(Buffer.from(c), expected)) ? undefined : 'signature mismatch';
}
