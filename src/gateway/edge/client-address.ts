/**
 * The client's address: the peer, or, when the peer is a trusted proxy, the right-most untrusted
 * hop of the one forwarding header the configuration names (X-Forwarded-For or RFC 7239 Forwarded).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AddressSet, parseIp } from './ip-address.js';
import { UNKNOWN_HOP, forwardedHops, xffHop, type Hop } from './forwarding-hops.js';

/** Which header trusted proxies use to name the client. Only one is read: reading both would let a client pick the one it controls. */
export type ClientAddressHeader = 'x-forwarded-for' | 'forwarded';

/** What the gateway knows of the client's address for one request. */
export interface ClientAddress {
  /** The address, or a label (`unknown`, an obfuscated `_id`) when `family` is 0. */
  readonly ip: string;
  readonly family: 0 | 4 | 6;
  /** X-Forwarded-For for the upstream: the chosen client (when an address), the trusted hops after it, then the peer. */
  readonly forwardedFor: string;
}

/**
 * The socket's remote address as a hop. Node formats it itself (dotted IPv4, RFC 5952 IPv6, IPv4
 * peers of a dual-stack socket as `::ffff:a.b.c.d`), so its family shows without a full parse.
 */
function peerHop(text: string): Hop {
  if (text === '') return UNKNOWN_HOP;
  if (!text.includes(':')) return { address: text, family: 4 };
  if (text.startsWith('::ffff:') && text.includes('.')) return { address: text.slice(7), family: 4 };
  return parseIp(text) ?? UNKNOWN_HOP;
}

/** Decides which peers may speak for the client, and what the client's address is. */
export class TrustedProxies {
  private readonly proxies: AddressSet;
  private readonly header: ClientAddressHeader;

  /** `entries` are addresses or CIDRs (v4 or v6). Misuse throws at startup. */
  constructor(entries: readonly string[], header: ClientAddressHeader = 'x-forwarded-for') {
    this.proxies = AddressSet.from(entries);
    this.header = header;
  }

  /** True when the hop is a configured proxy (a hop without an address never is). */
  isTrusted(hop: Hop): boolean {
    return hop.family !== 0 && this.proxies.has(hop.address, hop.family);
  }

  /** True when a socket's remote address (as Node reports it) is a configured proxy. */
  isTrustedPeer(peerText: string): boolean {
    return this.isTrusted(peerHop(peerText));
  }

  /** The client address of a request from `peer` (the socket's remote address) with these headers. */
  resolve(peerText: string, headers: IncomingHttpHeaders): ClientAddress {
    const peer = peerHop(peerText);
    if (this.proxies.size === 0) return { ip: peer.address, family: peer.family, forwardedFor: peer.address };
    const header = this.header === 'forwarded' ? headers.forwarded : headers['x-forwarded-for'];
    if (header === undefined || !this.isTrusted(peer)) return { ip: peer.address, family: peer.family, forwardedFor: peer.address };
    const value = Array.isArray(header) ? header.join(', ') : header;
    return this.header === 'forwarded' ? this.fromHops(forwardedHops(value), peer) : this.fromXff(value, peer);
  }

  /** Walks the hops from the right: the first one that is not a trusted proxy (or has no address) is the client. */
  private fromHops(hops: readonly Hop[], peer: Hop): ClientAddress {
    if (hops.length === 0) return { ip: peer.address, family: peer.family, forwardedFor: peer.address };
    let chosen = 0;
    for (let i = hops.length - 1; i >= 0; i--) {
      if (!this.isTrusted(hops[i]!)) {
        chosen = i;
        break;
      }
    }
    const client = hops[chosen]!;
    const chain: string[] = [];
    for (let i = chosen; i < hops.length; i++) if (hops[i]!.family !== 0) chain.push(hops[i]!.address);
    chain.push(peer.address);
    return { ip: client.address, family: client.family, forwardedFor: chain.join(', ') };
  }

  /** As fromHops, reading X-Forwarded-For from the right only as far as needed. */
  private fromXff(value: string, peer: Hop): ClientAddress {
    let client: Hop | undefined;
    const chain: string[] = [peer.address];
    let end = value.length;
    while (end > 0) {
      const comma = value.lastIndexOf(',', end - 1);
      const text = value.slice(comma + 1, end).trim();
      end = comma;
      // Empty list elements carry no hop (RFC 9110 5.6.1).
      if (text === '') continue;
      client = xffHop(text);
      if (client.family === 0) break;
      chain.push(client.address);
      if (!this.isTrusted(client)) break;
    }
    if (client === undefined) return { ip: peer.address, family: peer.family, forwardedFor: peer.address };
    return { ip: client.address, family: client.family, forwardedFor: chain.reverse().join(', ') };
  }
}
