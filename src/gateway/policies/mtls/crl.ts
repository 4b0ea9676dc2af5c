/** Parses a certificate revocation list (RFC 5280 §5, PEM or DER) and checks its signature against a trust anchor. */
import { verify, type X509Certificate } from 'node:crypto';
import { children, DerError, integerHex, oidOf, readElement, TAG, timeOf, type DerElement } from './der.js';

/** One CRL: who may have signed it, what it revokes, and how fresh it is. */
export interface RevocationList {
  /** Serial numbers (normalised hex) of the revoked certificates. */
  readonly revoked: ReadonlySet<string>;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  /** The signed part and its signature, checked against an anchor by `issuerOf`. */
  readonly tbs: Buffer;
  readonly signature: Buffer;
  /** Hash for `crypto.verify` (undefined for Ed25519/Ed448), from the signature algorithm. */
  readonly hash: string | undefined;
}

/** Signature algorithms of CRLs: OID -> hash for crypto.verify (null: the key type decides). */
const SIGNATURE_HASHES: ReadonlyMap<string, string | null> = new Map([
  ['1.2.840.113549.1.1.5', 'sha1'],
  ['1.2.840.113549.1.1.11', 'sha256'],
  ['1.2.840.113549.1.1.12', 'sha384'],
  ['1.2.840.113549.1.1.13', 'sha512'],
  ['1.2.840.10045.4.3.2', 'sha256'],
  ['1.2.840.10045.4.3.3', 'sha384'],
  ['1.2.840.10045.4.3.4', 'sha512'],
  ['1.3.101.112', null],
  ['1.3.101.113', null],
]);

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/** The CRLs of a file: every PEM block, or the whole file as one DER CRL. Throws DerError when unusable. */
export function parseCrlFile(data: Buffer): RevocationList[] {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const lists = [...text.matchAll(PEM_CRL)].map((m) => parseCrl(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
    if (lists.length === 0) throw new DerError('the file has PEM blocks but no "X509 CRL" block');
    return lists;
  }
  return [parseCrl(data)];
}

/** One DER CertificateList. */
export function parseCrl(der: Buffer): RevocationList {
  const list = expect(readElement(der), TAG.SEQUENCE, 'CertificateList');
  const [tbsElement, algorithm, signatureValue] = children(list);
  if (!tbsElement || !algorithm || !signatureValue) throw new DerError('CertificateList needs tbsCertList, signatureAlgorithm and signatureValue');
  const tbsFields = children(expect(tbsElement, TAG.SEQUENCE, 'tbsCertList'));
  let i = 0;
  if (tbsFields[i]?.tag === TAG.INTEGER) i++; // version
  i++; // signature (the same algorithm as the outer one)
  i++; // issuer: the anchor is found by the signature, not by name
  const thisUpdateElement = tbsFields[i++];
  if (!thisUpdateElement) throw new DerError('tbsCertList has no thisUpdate');
  const thisUpdate = timeOf(thisUpdateElement);
  let nextUpdate: number | undefined;
  const maybeNext = tbsFields[i];
  if (maybeNext && (maybeNext.tag === TAG.UTC_TIME || maybeNext.tag === TAG.GENERALIZED_TIME)) {
    nextUpdate = timeOf(maybeNext);
    i++;
  }
  const revoked = new Set<string>();
  const maybeRevoked = tbsFields[i];
  if (maybeRevoked && maybeRevoked.tag === TAG.SEQUENCE) {
    for (const entry of children(maybeRevoked)) {
      const serial = children(expect(entry, TAG.SEQUENCE, 'revokedCertificate'))[0];
      if (!serial) throw new DerError('a revoked entry has no serial number');
      revoked.add(integerHex(serial));
    }
  }
  const algorithmOid = oidOf(children(expect(algorithm, TAG.SEQUENCE, 'signatureAlgorithm'))[0] ?? algorithm);
  const hash = SIGNATURE_HASHES.get(algorithmOid);
  if (hash === undefined) throw new DerError(`unsupported CRL signature algorithm ${algorithmOid}`);
  const bits = expect(signatureValue, TAG.BIT_STRING, 'signatureValue').content;
  if (bits[0] !== 0) throw new DerError('signatureValue has unused bits');
  return { revoked, thisUpdate, nextUpdate, tbs: Buffer.from(tbsElement.encoded), signature: Buffer.from(bits.subarray(1)), hash: hash ?? undefined };
}

/** The anchor whose key signed the list, or undefined when none did. */
export function issuerOf(list: RevocationList, anchors: readonly X509Certificate[]): X509Certificate | undefined {
  for (const anchor of anchors) {
    try {
      if (verify(list.hash ?? null, list.tbs, anchor.publicKey, list.signature)) return anchor;
    } catch {
      // A key of another type than the signature's: not this anchor.
    }
  }
  return undefined;
}

function expect(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag) throw new DerError(`${what} is not the expected ASN.1 type`);
  return element;
}
