/**
 * The `kind` label of validation failures: a small fixed set derived from the first violation, so
 * that a dashboard can tell a client sending bad bodies from one missing a header, and an upstream
 * answering an undeclared status from one whose body drifted from the schema.
 */
import type { Violation } from '../contracts/compile/types.js';

/** Why request validation refused a request. */
export type RequestViolationKind = 'body' | 'query' | 'path' | 'header' | 'cookie' | 'media-type' | 'malformed';

/** How an upstream response broke its contract. */
export type ResponseViolationKind = 'status' | 'media-type' | 'body-syntax' | 'body-schema';

const REQUEST_PARTS: ReadonlyMap<string, RequestViolationKind> = new Map([
  ['body', 'body'],
  ['query', 'query'],
  ['path', 'path'],
  ['headers', 'header'],
  ['cookies', 'cookie'],
]);

/** The kind of a refused request, from its code and violations. */
export function requestViolationKind(code: 'REQUEST_INVALID' | 'UNSUPPORTED_MEDIA_TYPE' | 'REQUEST_MALFORMED', violations: readonly Violation[]): RequestViolationKind {
  if (code === 'UNSUPPORTED_MEDIA_TYPE') return 'media-type';
  if (code === 'REQUEST_MALFORMED') return 'malformed';
  const pointer = violations[0]?.pointer ?? '';
  const end = pointer.indexOf('/', 1);
  const part = pointer.slice(1, end === -1 ? undefined : end);
  return REQUEST_PARTS.get(part) ?? 'body';
}

/** The kind of a response that broke its contract, from its first violation. */
export function responseViolationKind(violations: readonly Violation[]): ResponseViolationKind {
  const first = violations[0];
  if (!first) return 'body-schema';
  if (first.keyword === 'status') return 'status';
  if (first.keyword === 'mediaType') return 'media-type';
  if (first.keyword === 'parse' || first.keyword === 'duplicate') return 'body-syntax';
  return 'body-schema';
}
