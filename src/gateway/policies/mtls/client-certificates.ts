/**
 * Decides what client certificate a request comes with, and whether it is to be trusted: the TLS
 * peer's, or the one a trusted proxy forwards in the configured header. A verdict is computed once
 * per connection (or per forwarded header value) and reused until the trust material changes.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { GatewayError } from '../../../errors/problem.js';
import type { Logger } from '../../../observability/logger.js';
import { TrustedProxies } from '../../edge/client-address.js';
import { normaliseSerial } from './der.js';
import { certificateFromHeader } from './certificate-header.js';
import type { ClientTrust } from './tls-material.js';

/** Why a presented certificate is refused (also the `reason` label of the rejection metric). */
export type CertificateRefusal = 'untrusted' | 'expired' | 'not-yet-valid' | 'revoked' | 'malformed';

/** Why a request is refused by the mTLS checks: a certificate refusal, or a reason found later in the pipeline. */
export type MtlsRejectionReason = CertificateRefusal | 'missing' | 'consumer-mismatch' | 'unbound' | 'token-binding';

/** A certificate that chains to a trusted CA, is within its validity and not revoked. Frozen and shared. */
export interface VerifiedCertificate {
  readonly certificate: X509Certificate;
  /** SHA-256 fingerprint, upper-case hex with colons (as `openssl x509 -fingerprint -sha256` prints it). */
  readonly fingerprint256: string;
  /** RFC 8705 `x5t#S256`: base64url of the SHA-256 of the DER certificate. */
  readonly thumbprint: string;
  /** Where it came from: the TLS handshake or the trusted proxy's header. */
  readonly source: 'tls' | 'header';
  /** Subject attributes: name -> values. */
  readonly subject: ReadonlyMap<string, readonly string[]>;
  /** subjectAltName entries as `dns:<name lower-cased>`, `uri:<uri>`, `email:<address>`, `ip:<address>`. */
  readonly sans: ReadonlySet<string>;
  /** Validity start, epoch ms: a forwarded verdict may be cached before it. */
  readonly notBefore: number;
  /** Validity end, epoch ms: a connection may outlive its certificate. */
  readonly notAfter: number;
}

/** What a request presents. */
export type CertificateVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'verified'; readonly certificate: VerifiedCertificate }
  | { readonly kind: 'refused'; readonly reason: CertificateRefusal; readonly detail: string };

/** Settings of the verifier. */
export interface ClientCertificateOptions {
  /** The current trust (read on every verdict, so a reload takes effect at once). */
  trust(): ClientTrust;
  trustedProxies: readonly string[];
  /** Header a trusted proxy forwards the client certificate in (any case). */
  certificateHeader?: string;
  logger: Logger;
  /** Counts one refused request. */
  onRejection?(reason: MtlsRejectionReason): void;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

const NONE: CertificateVerdict = Object.freeze({ kind: 'none' });
/** Distinct forwarded certificates remembered between trust changes; a full cache starts over. */
const HEADER_CACHE_MAX = 1024;

/** TLS verification errors (OpenSSL codes as Node reports them) that have a reason of their own. */
const TLS_REASONS: Readonly<Record<string, CertificateRefusal>> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  CERT_REVOKED: 'revoked',
};

/** The client-certificate verifier of one gateway process. */
export class ClientCertificates {
  private readonly options: ClientCertificateOptions;
  private readonly trusted: TrustedProxies;
  private readonly header: string | undefined;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly bySocket = new WeakMap<Socket, { generation: number; verdict: CertificateVerdict }>();
  /** Per connection: whether its peer is a trusted proxy (the address of a socket never changes). */
  private readonly peerTrusted = new WeakMap<Socket, boolean>();
  /** Per proxy connection: the last forwarded value and its verdict, so a repeat costs a string comparison. */
  private readonly lastForwarded = new WeakMap<Socket, { generation: number; value: string; verdict: CertificateVerdict }>();
  private byHeader = new Map<string, CertificateVerdict>();
  private headerGeneration = 0;

  constructor(options: ClientCertificateOptions) {
    this.options = options;
    this.trusted = new TrustedProxies(options.trustedProxies);
    this.header = options.certificateHeader?.toLowerCase();
    this.now = options.now ?? Date.now;
    this.logger = options.logger.child({ component: 'mtls' });
  }

  /** The certificate of a request and its verdict; the dates of a verified certificate are checked now. */
  verdictOf(req: IncomingMessage): CertificateVerdict {
    return this.timed(this.lookup(req));
  }

  /** A refusal: counted, and the coded error for the client. 401 only when no certificate came at all. */
  refuse(reason: MtlsRejectionReason, detail: string): GatewayError {
    this.options.onRejection?.(reason);
    return new GatewayError(reason === 'missing' ? 'MTLS_CERT_REQUIRED' : 'MTLS_CERT_NOT_ALLOWED', detail);
  }

  /** Counts a refusal that another code answers (a certificate-bound token on the wrong connection). */
  count(reason: MtlsRejectionReason): void {
    this.options.onRejection?.(reason);
  }

  private lookup(req: IncomingMessage): CertificateVerdict {
    const socket = req.socket;
    if (this.header !== undefined) {
      const forwarded = req.headers[this.header];
      if (forwarded !== undefined && this.isTrustedPeer(socket)) {
        const value = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
        const generation = this.options.trust().generation;
        const last = this.lastForwarded.get(socket);
        if (last !== undefined && last.generation === generation && last.value === value) return last.verdict;
        const verdict = this.fromHeader(value, socket.remoteAddress ?? '');
        this.lastForwarded.set(socket, { generation, value, verdict });
        return verdict;
      }
    }
    if ((socket as TLSSocket).encrypted !== true) return NONE;
    const generation = this.options.trust().generation;
    const cached = this.bySocket.get(socket);
    if (cached !== undefined && cached.generation === generation) return cached.verdict;
    const verdict = this.fromTls(socket as TLSSocket);
    this.bySocket.set(socket, { generation, verdict });
    return verdict;
  }

  private fromTls(socket: TLSSocket): CertificateVerdict {
    const certificate = socket.getPeerX509Certificate();
    if (certificate === undefined) return NONE;
    let verdict: CertificateVerdict;
    if (!socket.authorized) {
      const error = String(socket.authorizationError ?? 'UNKNOWN');
      const reason = TLS_REASONS[error] ?? 'untrusted';
      verdict = { kind: 'refused', reason, detail: `the client certificate was not accepted (${reason}: ${error})` };
    } else {
      // OpenSSL checked the chain and the dates against the bundle of the handshake. The bundle may
      // have changed since (a kept-alive connection), so the chain must still reach a current anchor;
      // revocation is checked here, against the CRL file.
      const trust = this.options.trust();
      const direct = issuingAnchor(certificate, trust.anchors);
      if (direct === undefined && !chainReachesAnchor(socket, trust.anchors)) {
        verdict = { kind: 'refused', reason: 'untrusted', detail: 'the client certificate does not chain to a CA of the current bundle' };
      } else {
        verdict = this.revocationVerdict(certificate, direct, trust, 'tls');
      }
    }
    this.logVerdict(verdict, certificate, 'tls', socket.remoteAddress ?? '');
    return verdict;
  }

  private fromHeader(value: string, peer: string): CertificateVerdict {
    const trust = this.options.trust();
    if (this.headerGeneration !== trust.generation || this.byHeader.size >= HEADER_CACHE_MAX) {
      this.byHeader = new Map();
      this.headerGeneration = trust.generation;
    }
    const cached = this.byHeader.get(value);
    if (cached !== undefined) return cached;
    const certificate = certificateFromHeader(value);
    let verdict: CertificateVerdict;
    if (certificate === undefined) {
      verdict = { kind: 'refused', reason: 'malformed', detail: `the ${this.header} header from the proxy holds no readable certificate` };
    } else {
      const anchor = issuingAnchor(certificate, trust.anchors);
      verdict = anchor === undefined ? { kind: 'refused', reason: 'untrusted', detail: 'the client certificate is not issued by a trusted CA' } : this.revocationVerdict(certificate, anchor, trust, 'header');
    }
    this.byHeader.set(value, verdict);
    this.logVerdict(this.timed(verdict), certificate, 'header', peer);
    return verdict;
  }

  private isTrustedPeer(socket: Socket): boolean {
    let trusted = this.peerTrusted.get(socket);
    if (trusted === undefined) this.peerTrusted.set(socket, (trusted = this.trusted.isTrustedPeer(socket.remoteAddress ?? '')));
    return trusted;
  }

  /**
   * The dates of a verified certificate, checked on every use: a verdict is cached per connection
   * or forwarded value, and a connection may outlive its certificate (OpenSSL checked the dates of
   * a direct one at the handshake; a forwarded one is checked here only).
   */
  private timed(verdict: CertificateVerdict): CertificateVerdict {
    if (verdict.kind !== 'verified') return verdict;
    const { notBefore, notAfter } = verdict.certificate;
    const now = this.now();
    if (now > notAfter) return { kind: 'refused', reason: 'expired', detail: `the client certificate expired at ${new Date(notAfter).toISOString()}` };
    if (now < notBefore) return { kind: 'refused', reason: 'not-yet-valid', detail: `the client certificate is valid only from ${new Date(notBefore).toISOString()}` };
    return verdict;
  }

  private revocationVerdict(certificate: X509Certificate, anchor: X509Certificate | undefined, trust: ClientTrust, source: 'tls' | 'header'): CertificateVerdict {
    const revoked = anchor === undefined ? undefined : trust.revoked.get(anchor.fingerprint256);
    const serial = normaliseSerial(certificate.serialNumber);
    if (revoked?.has(serial)) return { kind: 'refused', reason: 'revoked', detail: `the client certificate (serial ${serial}) is revoked` };
    return { kind: 'verified', certificate: describe(certificate, source) };
  }

  private logVerdict(verdict: CertificateVerdict, certificate: X509Certificate | undefined, source: 'tls' | 'header', peer: string): void {
    if (verdict.kind !== 'refused') return;
    this.logger.info({ reason: verdict.reason, source, peer, fingerprint256: certificate?.fingerprint256, subject: certificate?.subject.replace(/\n/g, ', ') }, 'client certificate refused');
  }
}

/** The anchor that issued `certificate`: by name and by signature (two CAs of a bundle may share a name across a key rollover). */
function issuingAnchor(certificate: X509Certificate, anchors: readonly X509Certificate[]): X509Certificate | undefined {
  return anchors.find((a) => certificate.checkIssued(a) && certificate.verify(a.publicKey));
}

/** True when a certificate of the chain the peer sent is an anchor or was issued by one (intermediates outside the bundle). */
function chainReachesAnchor(socket: TLSSocket, anchors: readonly X509Certificate[]): boolean {
  const fingerprints = new Set(anchors.map((a) => a.fingerprint256));
  let link = socket.getPeerCertificate(true);
  for (let depth = 0; depth < 10 && link?.raw; depth++) {
    const certificate = new X509Certificate(link.raw);
    if (fingerprints.has(certificate.fingerprint256) || issuingAnchor(certificate, anchors) !== undefined) return true;
    const next = link.issuerCertificate;
    if (next === undefined || next === link || next.fingerprint256 === link.fingerprint256) break;
    link = next;
  }
  return false;
}

/** The frozen description of a certificate the checks passed. */
export function describe(certificate: X509Certificate, source: 'tls' | 'header'): VerifiedCertificate {
  const subject = new Map<string, string[]>();
  for (const line of certificate.subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    const values = subject.get(name) ?? [];
    values.push(line.slice(eq + 1));
    subject.set(name, values);
  }
  return Object.freeze({
    certificate,
    fingerprint256: certificate.fingerprint256,
    thumbprint: createHash('sha256').update(certificate.raw).digest('base64url'),
    source,
    subject,
    sans: parseSubjectAltName(certificate.subjectAltName),
    notBefore: Date.parse(certificate.validFrom),
    notAfter: Date.parse(certificate.validTo),
  });
}

const SAN_ENTRY = /(DNS|URI|email|IP Address):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
const SAN_TYPES: Readonly<Record<string, string>> = { DNS: 'dns', URI: 'uri', email: 'email', 'IP Address': 'ip' };

/** Node's subjectAltName text (`DNS:a.example, URI:spiffe://…`; values with commas JSON-quoted) as `type:value` keys. */
export function parseSubjectAltName(text: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!text) return out;
  for (const match of text.matchAll(SAN_ENTRY)) {
    const type = SAN_TYPES[match[1]!]!;
    let value = match[2]!;
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        continue;
      }
    }
    out.add(sanKey(type, value));
  }
  return out;
}

/** The comparison key of a subjectAltName entry (DNS names are case-insensitive). */
export function sanKey(type: string, value: string): string {
  return `${type}:${type === 'dns' ? value.toLowerCase() : value}`;
}
