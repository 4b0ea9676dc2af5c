/** Looks up the declared consumer a credential belongs to; built once per routing table. */
import type { ConsumerConfig } from './schema.js';
import { AddressRules } from '../ip-rules/address-rules.js';
import { CertificateBindings } from '../mtls/certificate-binding.js';
import type { VerifiedCertificate } from '../mtls/client-certificates.js';

/** A declared consumer as the pipeline sees it: frozen, shared by every request it makes. */
export interface Consumer {
  readonly id: string;
  readonly contact: string | undefined;
  /** Id of its plan, if it has one. */
  readonly plan: string | undefined;
  /** `<api>` -> the majors it may call, or null for every major. */
  readonly entitlements: ReadonlyMap<string, ReadonlySet<number> | null>;
  /** The client addresses it may call from; undefined when it has no rules. */
  readonly ipRules: AddressRules | undefined;
}

/** Index of the declared consumers by identity. */
export class ConsumerIndex {
  private readonly byIdentity = new Map<string, Consumer>();
  private readonly byId = new Map<string, Consumer>();
  private readonly certificates = new CertificateBindings<Consumer>();

  constructor(consumers: readonly ConsumerConfig[]) {
    for (const config of consumers) {
      const entitlements = new Map<string, ReadonlySet<number> | null>();
      for (const e of config.entitlements) {
        const previous = entitlements.get(e.api);
        if (previous === null || (previous !== undefined && !e.majors)) entitlements.set(e.api, null);
        else entitlements.set(e.api, e.majors ? new Set([...(previous ?? []), ...e.majors]) : null);
      }
      const consumer: Consumer = Object.freeze({ id: config.id, contact: config.contact, plan: config.plan, entitlements, ipRules: AddressRules.compile(config.ipRules) });
      this.byId.set(config.id, consumer);
      for (const identity of config.identities) this.byIdentity.set(identityKey(identity.provider, identity.claim), consumer);
      for (const binding of config.certificates) this.certificates.add(consumer, binding);
    }
  }

  /** Number of declared consumers. */
  get size(): number {
    return this.byId.size;
  }

  /** The consumer a token of `providerId` with this consumer-claim value belongs to. */
  byToken(providerId: string, claim: string): Consumer | undefined {
    return this.byIdentity.get(identityKey(providerId, claim));
  }

  /** The consumer a verified client certificate is bound to. */
  byCertificate(certificate: VerifiedCertificate): Consumer | undefined {
    return this.certificates.consumerOf(certificate);
  }

  /** True when some consumer is bound to client certificates. */
  get hasCertificateBindings(): boolean {
    return this.certificates.size > 0;
  }

  /** The consumer with this id. */
  get(id: string): Consumer | undefined {
    return this.byId.get(id);
  }
}

/** True when the consumer may call this major of this API. */
export function isEntitled(consumer: Consumer, apiId: string, major: number): boolean {
  const majors = consumer.entitlements.get(apiId);
  if (majors === undefined) return false;
  return majors === null || majors.has(major);
}

function identityKey(providerId: string, claim: string): string {
  // A newline cannot occur in a provider id (its schema pattern), so the pair cannot collide.
  return `${providerId}\n${claim}`;
}
