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
    const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client address and the X-Forwarded-For value to send upstream. Hops in the caller's
   * X-Forwarded-For are kept only when the peer is trusted; walking from the right, the first
   * untrusted hop is the client.
   */
  resolve(peer: string, forwardedFor: string | string[] | undefined): { client: string; forwardedFor: string } {
    const peerPlain = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
    if (!forwardedFor || !this.isTrusted(peerPlain)) return { client: peerPlain, forwardedFor: peerPlain };
    const joined = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    const hops = joined.split(',').map((h) => h.trim()).filter((h) => isIP(h) !== 0);
    let client = peerPlain;
    for (let i = hops.length - 1; i >= 0; i--) {
      client = hops[i]!;
      if (!this.isTrusted(client)) break;
    }
    return { client, forwardedFor: [...hops, peerPlain].join(', ') };
  }
}
