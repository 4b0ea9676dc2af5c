/**
 * Splits and screens the request target before routing. Accord does not normalise paths: it
 * matches exactly what was sent, and refuses anything another component (the upstream, a file
 * system, a framework) could read as a different path. See docs/routing.md.
 */
import { GatewayError } from '../../errors/problem.js';

/** A screened request target: decoded segments for matching, raw form for forwarding. */
export interface RequestPath {
  /** The raw path as received, without the query. */
  rawPath: string;
  /** Raw (still percent-encoded) segments; `rawSegments[0]` is the first segment after '/'. */
  rawSegments: string[];
  /** Percent-decoded segments. */
  segments: string[];
  /** The raw query without '?', '' when none. */
  rawQuery: string;
}

// Percent-encodings that would change the path structure if decoded by someone downstream:
// '/', '\', NUL. Checked case-insensitively on the raw path.
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;
// Characters a path may hold (RFC 3986 pchar and '/', minus ';': matrix parameters that some
// frameworks read as path-parameter separators). Anything else, '#', '\\', spaces, quotes,
// braces, controls or non-ASCII, is read differently by some component between the client and
// the upstream, so it is refused rather than guessed at.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,=:@%/]*$/;
// Characters a query may hold: RFC 3986 query characters, plus '[' and ']' that clients send
// raw for deepObject parameters. Never '#': a fragment is not part of a request target.
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?[\]]*$/;

/** The first character of `text` that `allowed` refuses (only called once a test failed). */
function firstOutside(text: string, allowed: RegExp): string {
  for (const char of text) if (!allowed.test(char)) return char;
  return '';
}

/** A character as a client can read it in an error: printable ones quoted, others as a U+ code point. */
function describe(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0x20 && code < 0x7f ? `"${char}"` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function malformed(detail: string): GatewayError {
  return new GatewayError('REQUEST_MALFORMED', detail);
}

/**
 * Parses `req.url`. Throws GatewayError REQUEST_MALFORMED for dot segments (raw or encoded),
 * encoded slashes, backslashes or NUL, any character outside a request
 * target's grammar ('#', ';' in the path, spaces, controls, non-ASCII…), bad percent-encoding,
 * or a target that is not in origin form.
 */
export function parseRequestPath(url: string): RequestPath {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (rawPath.charCodeAt(0) !== 47 /* '/' */) throw malformed('request target must be an absolute path');
  if (!PATH_CHARS.test(rawPath)) throw malformed(`path contains a character not allowed in a request target (${describe(firstOutside(rawPath, PATH_CHARS))})`);
  if (rawQuery && !QUERY_CHARS.test(rawQuery)) throw malformed(`query contains a character not allowed in a request target (${describe(firstOutside(rawQuery, QUERY_CHARS))})`);
  if (ENCODED_SEPARATOR.test(rawPath)) throw malformed('path contains an encoded "/", "\\" or NUL');
  const rawSegments = rawPath.slice(1).split('/');
  const hasEscapes = rawPath.includes('%');
  // Without escapes the decoded segments are the raw ones: one array serves both.
  const segments = hasEscapes ? new Array<string>(rawSegments.length) : rawSegments;
  for (let i = 0; i < rawSegments.length; i++) {
    const raw = rawSegments[i]!;
    let decoded = raw;
    if (hasEscapes && raw.includes('%')) {
      try {
        decoded = decodeURIComponent(raw);
      } catch {
        throw malformed('path contains invalid percent-encoding');
      }
    }
    if (decoded === '.' || decoded === '..') throw malformed('path contains a "." or ".." segment');
    if (hasEscapes) segments[i] = decoded;
  }
  return { rawPath, rawSegments, segments, rawQuery };
}

/** The raw path after the first `depth` segments, with its leading '/' ('/' when nothing is left). */
export function rawPathAfter(path: RequestPath, depth: number): string {
  let offset = 0;
  for (let i = 0; i < depth; i++) offset += path.rawSegments[i]!.length + 1;
  return offset < path.rawPath.length ? path.rawPath.slice(offset) : '/';
}
