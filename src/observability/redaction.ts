/**
 * Masks credentials in what the logger writes (every line except the access log, which is built
 * from named fields only): values under credential-named keys, JWTs, Accord API keys (the id
 * stays, the secret goes), `Basic`/`Bearer` credentials, and credential query parameters in URLs.
 *
 * Linear time whatever the input: strings are scanned once as maximal runs of token characters
 * (no backtracking across runs), objects are walked to a bounded depth and breadth, and long
 * strings are cut before they are scanned.
 */

/** What replaces a masked value. */
export const REDACTED = '[redacted]';

/** Keys whose whole value is a credential (lower-cased, `-`/`_` removed, before the test). */
const SECRET_KEY = /^(authorization|proxyauthorization|cookie|setcookie|apikey|xapikey|accesstoken|idtoken|refreshtoken|clientsecret|password|passwd|secret|token|bearer|credentials?|privatekey|key)$/;

/** Query parameters whose value is a credential (OAuth 2.0 tokens and codes, common key names). */
const SECRET_PARAMS: ReadonlySet<string> = new Set(['access_token', 'id_token', 'refresh_token', 'client_secret', 'code', 'code_verifier', 'api_key', 'apikey', 'api-key', 'key', 'token', 'password', 'secret', 'signature', 'sig']);

/** Runs of characters a credential is written with (base64, base64url, URL-encoded, JWT dots, `=`/`&` of a query). */
const TOKEN_RUN = /[A-Za-z0-9_\-.+/=~%&?;:]+/g;

/** Longest string scanned; the rest is cut (log lines of the gateway are short; this bounds the cost of a hostile one). */
const MAX_STRING = 16 * 1024;
const MAX_DEPTH = 8;
const MAX_KEYS = 200;

/** An Accord API key anywhere in a run: the id is public, the secret is masked. */
const ACCORD_KEY = /acc_([0-9a-f]{16})_[A-Za-z0-9_-]+/g;

/** True when a key names a credential. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** True when a dot-separated run holds three segments where the first is a JSON object in base64url (`eyJ…`): a JWT or JWS. */
function hasJwtShape(run: string): boolean {
  let at = run.indexOf('eyJ');
  while (at >= 0) {
    const first = run.indexOf('.', at);
    if (first < 0) return false;
    const second = run.indexOf('.', first + 1);
    if (second > first + 1) return true;
    at = run.indexOf('eyJ', first + 1);
  }
  return false;
}

/** Masks credential parameters of a query-like run (`/p?a=1&access_token=x`): split on the delimiters, never a backtracking pattern. */
function maskParams(run: string): string {
  if (!run.includes('=')) return run;
  const parts = run.split(/([&?;])/);
  for (let i = 0; i < parts.length; i += 2) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    if (eq > 0 && SECRET_PARAMS.has(part.slice(0, eq).toLowerCase())) parts[i] = `${part.slice(0, eq + 1)}${REDACTED}`;
  }
  return parts.join('');
}

/** Masks JWTs and Accord keys among the pieces of a run between URL delimiters (neither contains one). */
function maskPieces(run: string): string {
  if (!run.includes('eyJ') && !run.includes('acc_')) return run;
  const pieces = run.split(/([&?;=/:,])/);
  for (let i = 0; i < pieces.length; i += 2) {
    const piece = pieces[i]!;
    if (hasJwtShape(piece)) pieces[i] = REDACTED;
    else if (piece.includes('acc_')) pieces[i] = piece.replace(ACCORD_KEY, `acc_$1_${REDACTED}`);
  }
  return pieces.join('');
}

/** Masks the credentials found in one string. */
export function redactString(text: string): string {
  const input = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  let afterScheme = false;
  let lastEnd = 0;
  let out = '';
  TOKEN_RUN.lastIndex = 0;
  for (let m = TOKEN_RUN.exec(input); m !== null; m = TOKEN_RUN.exec(input)) {
    let run = m[0];
    const gap = input.slice(lastEnd, m.index);
    lastEnd = m.index + run.length;
    // `Basic <credentials>`, `Bearer <token>`: the credential follows the scheme after white space.
    if (afterScheme && /^\s+$/.test(gap)) run = REDACTED;
    else run = maskParams(maskPieces(run));
    const lower = m[0].toLowerCase();
    afterScheme = lower === 'basic' || lower === 'bearer' || lower === 'digest' || lower.endsWith(':basic') || lower.endsWith(':bearer');
    out += gap + run;
  }
  return out + input.slice(lastEnd);
}

/** A copy of a value with every credential masked (see the module comment); errors become `{type, message, code, stack}`. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: redactString(value.message), ...(code !== undefined ? { code } : {}), ...(value.stack ? { stack: redactString(value.stack) } : {}) };
  }
  if (Array.isArray(value)) return value.slice(0, MAX_KEYS).map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (n++ >= MAX_KEYS) break;
    const v = (value as Record<string, unknown>)[key];
    out[key] = isSecretKey(key) && v !== undefined && v !== null && v !== '' ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}
