/**
 * Headers toward the upstream: removes hop-by-hop headers and every header the gateway itself
 * asserts (so a client cannot forge them), then sets the gateway's own.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Header carrying the authenticated consumer id to the upstream. */
export const CONSUMER_HEADER = 'x-consumer-id';

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];
const GATEWAY_ASSERTED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded', 'x-real-ip', CONSUMER_HEADER, 'x-consumer-scopes', 'x-request-id', 'traceparent', 'tracestate-accord'];

/** What the gateway asserts about a request. */
export interface UpstreamIdentity {
  forwardedFor: string;
  proto: 'http' | 'https';
  host: string | undefined;
  requestId: string;
  traceparent: string;
  consumerId: string | undefined;
  forwardAuthorization: boolean;
  contentLength: number | undefined;
}

const REMOVED_TOWARD_UPSTREAM: ReadonlySet<string> = new Set([...HOP_BY_HOP, ...GATEWAY_ASSERTED]);

const HEADER_SAFE = /^[\x21-\x7e]{1,256}$/;

/** Claims are untrusted text: anything but visible ASCII is percent-encoded so CR/LF never reach a header. */
export function headerSafe(value: string): string {
  return HEADER_SAFE.test(value) ? value : encodeURIComponent(value.slice(0, 256));
}

/** Rewrites `headers` in place for the upstream request. */
export function prepareUpstreamHeaders(headers: IncomingHttpHeaders, identity: UpstreamIdentity): void {
  const connection = headers.connection;
  if (typeof connection === 'string') {
    for (const token of connection.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) delete headers[name];
    }
  }
  // One pass over what the client sent (a handful of names) rather than a delete per known name.
  for (const name in headers) if (REMOVED_TOWARD_UPSTREAM.has(name)) delete headers[name];
  if (!identity.forwardAuthorization) delete headers.authorization;
  headers['x-forwarded-for'] = identity.forwardedFor;
  headers['x-forwarded-proto'] = identity.proto;
  if (identity.host) headers['x-forwarded-host'] = identity.host;
  headers['x-request-id'] = identity.requestId;
  headers.traceparent = identity.traceparent;
  if (identity.consumerId !== undefined) headers[CONSUMER_HEADER] = headerSafe(identity.consumerId);
  if (identity.contentLength !== undefined) headers['content-length'] = String(identity.contentLength);
  else delete headers['content-length'];
}

const HOP_BY_HOP_SET: ReadonlySet<string> = new Set(HOP_BY_HOP);

/** Names of the hop-by-hop headers of a message (the fixed ones plus those its Connection lists). */
export function hopByHopOf(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const connection = headers.connection;
  // `keep-alive` and `close` name no extra header: the common case needs no new set.
  if (typeof connection !== 'string' || connection === 'keep-alive' || connection === 'close') return HOP_BY_HOP_SET;
  const names = new Set(HOP_BY_HOP);
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name) names.add(name);
  }
  return names;
}
