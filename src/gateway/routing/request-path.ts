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
// Raw characters never accepted in a path: backslash, ';' (matrix parameters read by some
// frameworks as path-parameter separators), and control characters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_RAW = /[\\;\u0000-\u001f\u007f]/;

function malformed(detail: string): GatewayError {
  return new GatewayError('REQUEST_MALFORMED', detail);
}

/**
 * Parses `req.url`. Throws GatewayError REQUEST_MALFORMED for dot segments (raw or encoded),
 * encoded slashes, backslashes or NUL, ';', control characters, bad percent-encoding, or a
 * target that is not in origin form.
 */
export function parseRequestPath(url: string): RequestPath {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (rawPath.charCodeAt(0) !== 47 /* '/' */) throw malformed('request target must be an absolute path');
  if (FORBIDDEN_RAW.test(rawPath)) throw malformed('path contains a forbidden character (backslash, ";" or a control character)');
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
