/**
 * Headers toward the upstream: removes hop-by-hop headers and every header the gateway itself
 * asserts or that upstreams trust for identity, address or routing (under any `_`/`-` spelling),
 * so a client cannot forge them, then sets the gateway's own.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HOP_BY_HOP_HEADERS, HeaderNameSet, builtInStrippedEntries } from './stripped-headers.js';

/** Header carrying the authenticated consumer id to the upstream. */
export const CONSUMER_HEADER = 'x-consumer-id';

/** What the gateway asserts about a request. */
export interface UpstreamIdentity {
  forwardedFor: string;
  proto: 'http' | 'https';
  /** The client's Host; sent as X-Forwarded-Host only when the policy forwards the client's host. */
  host: string | undefined;
  requestId: string;
  traceparent: string;
  /** `<provider id>/<claim, percent-encoded>`: visible ASCII by construction. */
  consumerId: string | undefined;
  forwardAuthorization: boolean;
  contentLength: number | undefined;
}

/** The listener settings that shape the upstream headers (a subset of `listen` in the config). */
export interface UpstreamHeaderOptions {
  /** Extra names (or `Prefix-*`) removed on top of the built-in list. */
  stripHeaders?: readonly string[];
  /** `drop` (default): every header whose name contains `_` is removed; `forward`: only those aliasing a removed name. */
  underscoreHeaders?: 'drop' | 'forward';
  /** Fixed X-Forwarded-Host value; without it and without `forwardClientHost` none is sent. */
  forwardedHost?: string;
  /** Send the client's own Host (when well-formed) as X-Forwarded-Host. */
  forwardClientHost?: boolean;
}

/** The upstream-header rules of one configuration, compiled once at load. */
export class UpstreamHeaderPolicy {
  private readonly stripped: HeaderNameSet;
  private readonly dropUnderscore: boolean;
  readonly forwardedHost: string | undefined;
  readonly forwardClientHost: boolean;

  constructor(options: UpstreamHeaderOptions = {}) {
    this.stripped = new HeaderNameSet([...builtInStrippedEntries(), ...(options.stripHeaders ?? [])]);
    this.dropUnderscore = (options.underscoreHeaders ?? 'drop') === 'drop';
    this.forwardedHost = options.forwardedHost;
    this.forwardClientHost = options.forwardClientHost ?? false;
  }

  /** True when a client header of this (lower-case) name must not reach the upstream. */
  isStripped(name: string): boolean {
    // Only a name with `_` in it (rare) pays for a normalised copy.
    if (name.includes('_')) return this.dropUnderscore || this.stripped.matchesNormalised(name.replace(UNDERSCORES, '-'));
    return this.stripped.matchesNormalised(name);
  }
}

const UNDERSCORES = /_/g;

/** The policy of a configuration that sets none of the options. */
export const DEFAULT_UPSTREAM_HEADER_POLICY = new UpstreamHeaderPolicy();

/** A Host value fit to repeat: a DNS name or bracketed IPv6 literal, with an optional port. */
const HOST_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/** Rewrites `headers` in place for the upstream request. */
export function prepareUpstreamHeaders(headers: IncomingHttpHeaders, identity: UpstreamIdentity, policy: UpstreamHeaderPolicy = DEFAULT_UPSTREAM_HEADER_POLICY): void {
  const connection = headers.connection;
  // `keep-alive` and `close` name no other header: the common case skips the split.
  if (typeof connection === 'string' && connection !== 'keep-alive' && connection !== 'close') {
    for (const token of connection.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) delete headers[name];
    }
  }
  // One pass over what the client sent (a handful of names) rather than a delete per known name.
  for (const name in headers) if (policy.isStripped(name)) delete headers[name];
  if (!identity.forwardAuthorization) delete headers.authorization;
  headers['x-forwarded-for'] = identity.forwardedFor;
  headers['x-forwarded-proto'] = identity.proto;
  if (policy.forwardedHost !== undefined) headers['x-forwarded-host'] = policy.forwardedHost;
  else if (policy.forwardClientHost && identity.host !== undefined && HOST_VALUE.test(identity.host)) headers['x-forwarded-host'] = identity.host;
  headers['x-request-id'] = identity.requestId;
  headers.traceparent = identity.traceparent;
  if (identity.consumerId !== undefined) headers[CONSUMER_HEADER] = identity.consumerId;
  if (identity.contentLength !== undefined) headers['content-length'] = String(identity.contentLength);
  else delete headers['content-length'];
}

const HOP_BY_HOP_SET: ReadonlySet<string> = new Set(HOP_BY_HOP_HEADERS);

/** Names of the hop-by-hop headers of a message (the fixed ones plus those its Connection lists). */
export function hopByHopOf(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const connection = headers.connection;
  // `keep-alive` and `close` name no extra header: the common case needs no new set.
  if (typeof connection !== 'string' || connection === 'keep-alive' || connection === 'close') return HOP_BY_HOP_SET;
  const names = new Set(HOP_BY_HOP_HEADERS);
  for (const token of connection.split(',')) {
    const name = token.trim().toLowerCase();
    if (name) names.add(name);
  }
  return names;
}
