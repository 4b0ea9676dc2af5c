/**
 * Screens the request's Connection header where the request is first examined: a Connection
 * option may name only hop-by-hop fields, never one the gateway validates, routes or asserts on.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../../errors/problem.js';
import { HOP_BY_HOP_HEADERS, HeaderNameSet, builtInStrippedEntries, normaliseHeaderName } from './stripped-headers.js';

const HOP_BY_HOP: ReadonlySet<string> = new Set(HOP_BY_HOP_HEADERS);

/**
 * End-to-end fields a Connection option may not name (RFC 9110 §7.6.1: a sender MUST NOT list a
 * field meant for all recipients): framing and representation, target, credentials, and every
 * identity, address or routing field the gateway sets or strips.
 */
const END_TO_END = new HeaderNameSet([
  'host',
  'authorization',
  'cookie',
  'expect',
  'content-*',
  'digest',
  'repr-digest',
  'want-digest',
  ...builtInStrippedEntries().filter((name) => !HOP_BY_HOP.has(name)),
]);

/**
 * Refuses (400 REQUEST_MALFORMED) a request whose Connection header names an end-to-end field,
 * and removes the fields it does name, so that every later step (authentication, validation)
 * sees exactly the headers the upstream will get. Costs one property read for a request
 * without Connection or with `keep-alive`/`close`.
 */
export function screenConnectionHeader(headers: IncomingHttpHeaders): void {
  const connection = headers.connection;
  if (typeof connection !== 'string' || connection === 'keep-alive' || connection === 'close') return;
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '' || name === 'close' || name === 'keep-alive') continue;
    if (END_TO_END.matches(name)) {
      throw new GatewayError('REQUEST_MALFORMED', `the Connection header may not name the end-to-end field "${normaliseHeaderName(name).slice(0, 64)}"`, { headers: { connection: 'close' } });
    }
    // A refused request is answered before anything reads its headers, so deleting as we go is safe.
    delete headers[name];
  }
}
