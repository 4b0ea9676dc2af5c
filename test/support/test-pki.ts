/** A throwaway PKI for TLS tests: CAs, server and client certificates and CRLs, made with node-forge on native RSA keys. */
import { generateKeyPairSync, createHash, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** A certificate with its private key, PEM-encoded. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** Serial number as hex (what a CRL lists). */
  serial: string;
  /** SHA-256 fingerprint with colons, as openssl prints it. */
  fingerprint256: string;
  /** RFC 8705 x5t#S256 of the certificate. */
  thumbprint: string;
}

/** A certificate authority that can issue certificates and sign CRLs. */
export interface TestCa extends IssuedCertificate {
  issue(options: IssueOptions): IssuedCertificate;
  /** A CRL (v2) revoking these serials; PEM unless `der`. */
  crl(revokedSerials: readonly string[], options?: { der?: boolean; nextUpdateDays?: number }): string | Buffer;
}

/** What to put in an issued certificate. */
export interface IssueOptions {
  commonName: string;
  organization?: string;
  /** subjectAltName entries. */
  dns?: string[];
  ips?: string[];
  uris?: string[];
  /** Validity window relative to now, in days (default -1 .. +30). */
  notBeforeDays?: number;
  notAfterDays?: number;
  server?: boolean;
}

const DAY = 86_400_000;
let serialCounter = 0x1000;

function nextSerial(): string {
  serialCounter += 1;
  // A positive serial with a random tail, so two runs never share serials.
  return `${serialCounter.toString(16)}${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8)}`.replace(/^0+/, '').padStart(2, '1');
}

function nativeKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem };
}

function describe(certPem: string, keyPem: string, serial: string): IssuedCertificate {
  const x509 = new X509Certificate(certPem);
  return { certPem, keyPem, serial, fingerprint256: x509.fingerprint256, thumbprint: createHash('sha256').update(x509.raw).digest('base64url') };
}

function subjectOf(commonName: string, organization?: string): forge.pki.CertificateField[] {
  const fields: forge.pki.CertificateField[] = [{ name: 'commonName', value: commonName }];
  if (organization) fields.push({ name: 'organizationName', value: organization });
  return fields;
}

/** Creates a self-signed CA. */
export function createTestCa(commonName = 'Accord Test CA'): TestCa {
  const keys = nativeKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY);
  cert.setSubject(subjectOf(commonName));
  cert.setIssuer(subjectOf(commonName));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const self = describe(certPem, keys.keyPem, cert.serialNumber);
  return {
    ...self,
    issue(options) {
      const leafKeys = nativeKeyPair();
      const leaf = forge.pki.createCertificate();
      leaf.publicKey = leafKeys.publicKey;
      leaf.serialNumber = nextSerial();
      leaf.validity.notBefore = new Date(Date.now() + (options.notBeforeDays ?? -1) * DAY);
      leaf.validity.notAfter = new Date(Date.now() + (options.notAfterDays ?? 30) * DAY);
      leaf.setSubject(subjectOf(options.commonName, options.organization));
      leaf.setIssuer(cert.subject.attributes);
      const altNames = [
        ...(options.dns ?? []).map((value) => ({ type: 2, value })),
        ...(options.uris ?? []).map((value) => ({ type: 6, value })),
        ...(options.ips ?? []).map((ip) => ({ type: 7, ip })),
      ];
      const extensions: object[] = [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: options.server === true, clientAuth: options.server !== true },
        { name: 'authorityKeyIdentifier', keyIdentifier: cert.generateSubjectKeyIdentifier().getBytes() },
      ];
      if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
      leaf.setExtensions(extensions);
      leaf.sign(keys.privateKey, forge.md.sha256.create());
      return describe(forge.pki.certificateToPem(leaf), leafKeys.keyPem, leaf.serialNumber);
    },
    crl(revokedSerials, options = {}) {
      const asn1 = forge.asn1;
      const utc = (date: Date): forge.asn1.Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date));
      const integer = (hex: string): forge.asn1.Asn1 => {
        let bytes = forge.util.hexToBytes(hex.length % 2 ? `0${hex}` : hex);
        if (bytes.charCodeAt(0) & 0x80) bytes = `\x00${bytes}`;
        return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
      };
      const algorithm = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption!).getBytes()),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
      ]);
      const now = new Date();
      const fields: forge.asn1.Asn1[] = [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\x01'),
        algorithm,
        forge.pki.distinguishedNameToAsn1(cert.subject),
        utc(new Date(now.getTime() - DAY)),
        utc(new Date(now.getTime() + (options.nextUpdateDays ?? 7) * DAY)),
      ];
      if (revokedSerials.length > 0) {
        fields.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, revokedSerials.map((serial) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [integer(serial), utc(new Date(now.getTime() - 60_000))]))));
      }
      const tbs = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, fields);
      const md = forge.md.sha256.create();
      md.update(asn1.toDer(tbs).getBytes());
      const signature = keys.privateKey.sign(md);
      const list = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [tbs, algorithm, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\x00${signature}`)]);
      const der = Buffer.from(asn1.toDer(list).getBytes(), 'binary');
      if (options.der) return der;
      return `-----BEGIN X509 CRL-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END X509 CRL-----\n`;
    },
  };
}
