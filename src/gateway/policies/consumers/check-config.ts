/** Cross-field checks of consumers[]: references to providers, APIs and plans, and identities claimed twice. */
import type { ConfigCheck } from '../../pipeline/config-check.js';
import { normaliseFingerprint } from '../mtls/certificate-binding.js';

/** Issues of consumers[] (pointer segments and message), checked after the schema. */
export const checkConsumers: ConfigCheck = (config) => {
  const issues: ReturnType<ConfigCheck> = [];
  const providers = new Set(config.identityProviders.map((p) => p.id));
  if (config.devIssuer.enabled) providers.add(config.devIssuer.id);
  const apis = new Set(config.apis.map((a) => a.id));
  const plans = new Set(config.plans.map((p) => p.id));
  const ids = new Map<string, number>();
  const identities = new Map<string, string>();
  const fingerprints = new Map<string, string>();
  config.consumers.forEach((consumer, i) => {
    if (ids.has(consumer.id)) issues.push({ at: ['consumers', i, 'id'], message: `duplicate consumer id "${consumer.id}" (also consumers/${ids.get(consumer.id)})` });
    ids.set(consumer.id, i);
    if (consumer.plan !== undefined && !plans.has(consumer.plan)) {
      issues.push({ at: ['consumers', i, 'plan'], message: `unknown plan "${consumer.plan}" (declared: ${[...plans].join(', ') || 'none'})` });
    }
    consumer.identities.forEach((identity, j) => {
      if (!providers.has(identity.provider)) {
        issues.push({ at: ['consumers', i, 'identities', j, 'provider'], message: `unknown identity provider "${identity.provider}" (declared: ${[...providers].join(', ') || 'none'})` });
      }
      const key = `${identity.provider}\n${identity.claim}`;
      const owner = identities.get(key);
      if (owner !== undefined && owner !== consumer.id) {
        issues.push({ at: ['consumers', i, 'identities', j], message: `identity ${identity.provider}/${identity.claim} already belongs to consumer "${owner}"` });
      }
      identities.set(key, consumer.id);
    });
    consumer.certificates.forEach((binding, j) => {
      if (binding.sha256 === undefined) return;
      const fingerprint = normaliseFingerprint(binding.sha256);
      const owner = fingerprints.get(fingerprint);
      if (owner !== undefined && owner !== consumer.id) {
        issues.push({ at: ['consumers', i, 'certificates', j, 'sha256'], message: `certificate ${fingerprint} already belongs to consumer "${owner}"` });
      }
      fingerprints.set(fingerprint, consumer.id);
    });
    consumer.entitlements.forEach((e, j) => {
      if (!apis.has(e.api)) issues.push({ at: ['consumers', i, 'entitlements', j, 'api'], message: `unknown API "${e.api}" (declared: ${[...apis].join(', ')})` });
    });
  });
  return issues;
};
