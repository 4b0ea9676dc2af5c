/** IP addresses and CIDR ranges: parsing with IPv4-mapped IPv6 folded into IPv4, and a matcher built once at load. */
import { BlockList, isIP } from 'node:net';

/** An IP address in its canonical family: an IPv4-mapped IPv6 address is IPv4. */
export interface IpAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** A CIDR range (a single address is a full-length prefix). */
export interface CidrRange {
  readonly network: string;
  readonly prefix: number;
  readonly family: 4 | 6;
}

const MAPPED_PREFIX = '::ffff:';

/**
 * The address `text` names, or undefined when it is none. IPv4-mapped IPv6 (`::ffff:10.0.0.1`,
 * `::ffff:a00:1`, `0:0:0:0:0:ffff:…`) becomes the IPv4 address, so a client has one address
 * whichever socket family it arrived on; a zone (`%eth0`) is refused.
 */
export function parseIp(text: string): IpAddress | undefined {
  const family = isIP(text);
  if (family === 4) return { address: text, family: 4 };
  if (family !== 6 || text.includes('%')) return undefined;
  // Fast path for the form Node reports for IPv4 peers on a dual-stack socket.
  if (text.length > MAPPED_PREFIX.length && text.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    const rest = text.slice(MAPPED_PREFIX.length);
    if (isIP(rest) === 4) return { address: rest, family: 4 };
  }
  if (!/ffff/i.test(text)) return { address: text, family: 6 };
  const bytes = ipv6Bytes(text);
  if (bytes && isMapped(bytes)) return { address: bytes.slice(12).join('.'), family: 4 };
  return { address: text, family: 6 };
}

/** Parses `address` or `address/prefix`; a string says what is wrong. Host bits below the prefix are refused. */
export function parseCidr(text: string): CidrRange | string {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const detected = isIP(addressText);
  if (detected === 0 || addressText.includes('%')) return `"${text}" is not an IPv4 or IPv6 address or CIDR`;
  const family: 4 | 6 = detected === 4 ? 4 : 6;
  let prefix = family === 4 ? 32 : 128;
  if (slash !== -1) {
    const bits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(bits)) return `"${text}": the prefix length must be a number`;
    prefix = Number(bits);
    if (prefix > (family === 4 ? 32 : 128)) return `"${text}": the prefix /${prefix} is longer than an IPv${family} address (/${family === 4 ? 32 : 128})`;
  }
  const bytes = family === 4 ? addressText.split('.').map(Number) : ipv6Bytes(addressText)!;
  if (!hostBitsClear(bytes, prefix)) {
    // Refused rather than rounded down: `192.168.1.10/24` is as likely a single host as a network.
    return `"${text}" has host bits set after its /${prefix} prefix: write the network ${formatNetwork(bytes, prefix, family)}/${prefix}, or the single address without a prefix`;
  }
  if (family === 6 && isMapped(bytes)) {
    // A mapped range is the IPv4 range it maps, since mapped addresses are matched as IPv4.
    if (prefix < 96) return `"${text}": an IPv4-mapped range must be /96 or longer; write the IPv4 range instead`;
    return { network: bytes.slice(12).join('.'), prefix: prefix - 96, family: 4 };
  }
  return { network: family === 4 ? addressText : formatIpv6(bytes), prefix, family };
}

/**
 * A set of CIDR ranges, looked up per request. Each family has its own BlockList because a
 * BlockList matches IPv4 addresses against IPv6 ranges (`::/0` would hold every IPv4 address),
 * while here a family's ranges hold only that family's addresses.
 */
export class AddressSet {
  private readonly v4 = new BlockList();
  private readonly v6 = new BlockList();
  private readonly hasV4: boolean;
  private readonly hasV6: boolean;
  readonly size: number;

  /** `ranges` are already parsed (parseCidr); misuse throws. */
  constructor(ranges: readonly CidrRange[]) {
    let v4 = 0;
    for (const range of ranges) {
      if (range.family === 4) {
        v4++;
        this.v4.addSubnet(range.network, range.prefix, 'ipv4');
      } else this.v6.addSubnet(range.network, range.prefix, 'ipv6');
    }
    this.hasV4 = v4 > 0;
    this.hasV6 = ranges.length > v4;
    this.size = ranges.length;
  }

  /** Builds a set from CIDR strings; throws TypeError on the first bad one (config checks report them earlier). */
  static from(entries: readonly string[]): AddressSet {
    return new AddressSet(entries.map((entry) => {
      const range = parseCidr(entry);
      if (typeof range === 'string') throw new TypeError(range);
      return range;
    }));
  }

  /** True when the address (already canonical, see parseIp) lies in one of the ranges. */
  has(address: string, family: 4 | 6): boolean {
    return family === 4 ? this.hasV4 && this.v4.check(address, 'ipv4') : this.hasV6 && this.v6.check(address, 'ipv6');
  }
}

/** The 16 bytes of a valid IPv6 address (isIP said 6), embedded IPv4 tail included. */
function ipv6Bytes(text: string): number[] | undefined {
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    tail = text.slice(lastColon + 1).split('.').map(Number);
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  const words = halves.length === 2 ? [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right] : left;
  if (words.length !== 8 || words.some((w) => !(w >= 0 && w <= 0xffff))) return undefined;
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function isMapped(bytes: readonly number[]): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function hostBitsClear(bytes: readonly number[], prefix: number): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((bytes[i]! & ~mask & 0xff) !== 0) return false;
  }
  return true;
}

function formatNetwork(bytes: readonly number[], prefix: number, family: 4 | 6): string {
  const masked = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & (keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff);
  });
  return family === 4 ? masked.join('.') : formatIpv6(masked);
}

/** RFC 5952 text of 16 bytes (longest run of zero groups shortened, lower case). */
function formatIpv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
