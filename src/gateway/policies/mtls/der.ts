/** A minimal DER reader: just enough ASN.1 to walk a certificate revocation list. */

/** One DER element: its tag, where its content lies, and the whole encoding. */
export interface DerElement {
  readonly tag: number;
  /** The content octets. */
  readonly content: Buffer;
  /** Tag, length and content together (what a signature covers). */
  readonly encoded: Buffer;
}

/** Thrown for bytes that are not the DER a CRL is made of. */
export class DerError extends Error {}

/** Reads the element that starts at `offset`; throws DerError on truncated or indefinite-length input. */
export function readElement(data: Buffer, offset = 0): DerElement {
  if (offset + 2 > data.length) throw new DerError('truncated DER element');
  const tag = data[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not used in CRLs');
  let length = data[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError('unsupported DER length');
    if (offset + 2 + octets > data.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + data[offset + 2 + i]!;
    header += octets;
  }
  const end = offset + header + length;
  if (end > data.length) throw new DerError('DER element runs past its container');
  return { tag, content: data.subarray(offset + header, end), encoded: data.subarray(offset, end) };
}

/** The elements inside a constructed element (SEQUENCE, SET, explicit tag). */
export function children(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const child = readElement(element.content, offset);
    out.push(child);
    offset += child.encoded.length;
  }
  return out;
}

/** DER tags used here. */
export const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OID: 0x06, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18, SEQUENCE: 0x30 } as const;

/** Dotted form of an OBJECT IDENTIFIER. */
export function oidOf(element: DerElement): string {
  if (element.tag !== TAG.OID) throw new DerError('expected an OBJECT IDENTIFIER');
  const bytes = element.content;
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** UTCTime or GeneralizedTime (the `Z` forms DER requires) as epoch milliseconds. */
export function timeOf(element: DerElement): number {
  const text = element.content.toString('latin1');
  const match = element.tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : element.tag === TAG.GENERALIZED_TIME ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!match) throw new DerError('expected a UTCTime or GeneralizedTime in Z form');
  let year = Number(match[1]);
  // RFC 5280 §4.1.2.5.1: two-digit years 50-99 are 19xx, 00-49 are 20xx.
  if (element.tag === TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  return Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
}

/** An INTEGER's value as upper-case hex without leading zeros (the form serial numbers are compared in). */
export function integerHex(element: DerElement): string {
  if (element.tag !== TAG.INTEGER) throw new DerError('expected an INTEGER');
  return normaliseSerial(element.content.toString('hex'));
}

/** A serial number in hex (any case, leading zeros or not) in its comparison form. */
export function normaliseSerial(hex: string): string {
  const upper = hex.toUpperCase().replace(/^0+/, '');
  return upper === '' ? '0' : upper;
}
