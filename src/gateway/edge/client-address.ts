/** The client's address: the peer, or the nearest untrusted hop of X-Forwarded-For behind trusted proxies. */
import { BlockList, isIP } from 'node:net';

/** Decides which peers may speak for the client through X-Forwarded-For. */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  /** `entries` are addresses or CIDRs (v4 or v6). Misuse throws at startup. */
  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [address, bits] = entry.split('/');
      const family = isIP(address ?? '');
      if (family === 0) throw new TypeError(`not an IP address: ${entry}`);
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address!, type);
      else this.list.addSubnet(address!, Number(bits), type);
    }
  }

  /** True when the address is a configured proxy. */
  isTrusted(address: string): boolean {
    if (this.empty) return false;
    const bare = plain(address);
    const family = isIP(bare);
    if (family === 0) return false;
    return this.list.check(bare, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client address: the peer, unless the peer is a trusted proxy; then, walking the caller's
   * X-Forwarded-For from the right, the first untrusted hop.
   */
  clientAddress(peer: string, forwardedFor: string | string[] | undefined): string {
    const peerPlain = plain(peer);
    if (!forwardedFor || !this.isTrusted(peerPlain)) return peerPlain;
    const hops = validHops(forwardedFor);
    let client = peerPlain;
    for (let i = hops.length - 1; i >= 0; i--) {
      client = hops[i]!;
      if (!this.isTrusted(client)) break;
    }
    return client;
  }

  /** The X-Forwarded-For value to send upstream: the caller's hops only when the peer is trusted, then the peer. */
  forwardedFor(peer: string, forwardedFor: string | string[] | undefined): string {
    const peerPlain = plain(peer);
    if (!forwardedFor || !this.isTrusted(peerPlain)) return peerPlain;
    return [...validHops(forwardedFor), peerPlain].join(', ');
  }
}

function plain(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The well-formed IP addresses of an X-Forwarded-For header, in order. */
function validHops(forwardedFor: string | string[]): string[] {
  const joined = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  return joined.split(',').map((h) => h.trim()).filter((h) => isIP(h) !== 0);
}
