/** Which declared consumer a verified client certificate names (`consumers[].certificates`); built once per routing table. */
import type { VerifiedCertificate } from './client-certificates.js';
import { sanKey } from './client-certificates.js';
import type { CertificateBindingConfig } from './schema.js';

/** A fingerprint in the form `X509Certificate.fingerprint256` has: upper-case hex pairs joined by colons. */
export function normaliseFingerprint(text: string): string {
  const hex = text.replace(/:/g, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? hex;
}

interface Matcher<C> {
  readonly consumer: C;
  matches(certificate: VerifiedCertificate): boolean;
}

/** The bindings of every consumer: fingerprints in a map, subject and SAN matchers in declaration order. */
export class CertificateBindings<C> {
  private readonly byFingerprint = new Map<string, C>();
  private readonly matchers: Array<Matcher<C>> = [];
  /** Verified certificates are shared per connection (or forwarded value), so one lookup serves all their requests. */
  private readonly resolved = new WeakMap<VerifiedCertificate, C | null>();

  add(consumer: C, binding: CertificateBindingConfig): void {
    if (binding.sha256 !== undefined) {
      this.byFingerprint.set(normaliseFingerprint(binding.sha256), consumer);
    } else if (binding.subject !== undefined) {
      const wanted = Object.entries(binding.subject);
      this.matchers.push({ consumer, matches: (c) => wanted.every(([name, value]) => c.subject.get(name)?.includes(value) === true) });
    } else if (binding.san !== undefined) {
      const key = sanKey(binding.san.type, binding.san.value);
      this.matchers.push({ consumer, matches: (c) => c.sans.has(key) });
    }
  }

  get size(): number {
    return this.byFingerprint.size + this.matchers.length;
  }

  /** The consumer the certificate is bound to: a fingerprint first, else the first declared subject or SAN match. */
  consumerOf(certificate: VerifiedCertificate): C | undefined {
    const known = this.resolved.get(certificate);
    if (known !== undefined) return known ?? undefined;
    const found = this.byFingerprint.get(certificate.fingerprint256) ?? this.matchers.find((m) => m.matches(certificate))?.consumer;
    this.resolved.set(certificate, found ?? null);
    return found;
  }
}
