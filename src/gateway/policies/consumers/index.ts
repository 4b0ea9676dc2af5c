/**
 * The consumers policy: maps the authenticated caller to a declared consumer and checks that it
 * is entitled to this API major (403 CONSUMER_NOT_ENTITLED otherwise) from an address its ipRules
 * admit (403 IP_NOT_ALLOWED otherwise). A credential over a client certificate bound to another
 * consumer is refused (403 MTLS_CERT_NOT_ALLOWED): the certificate and the credential must name
 * the same partner.
 */
import { GatewayError } from '../../../errors/problem.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import { isEntitled, type Consumer, type ConsumerIndex } from './consumer-index.js';
import type { AdmitMode } from './schema.js';

export { consumerSchema, admitSchema, CONSUMER_ID_PATTERN, type ConsumerConfig, type AdmitMode } from './schema.js';
export { ConsumerIndex, isEntitled, type Consumer } from './consumer-index.js';
export { checkConsumers } from './check-config.js';

/** Who an API admits when `admit` is not set: declared consumers as soon as any is declared. */
export function admitModeOf(admit: AdmitMode | undefined, declaredConsumers: number): AdmitMode {
  return admit ?? (declaredConsumers > 0 ? 'declared' : 'any-authenticated');
}

export const consumers: Policy = {
  name: 'consumers',
  create(scope, deps) {
    const index: ConsumerIndex = scope.consumers;
    const mode = admitModeOf(scope.api.admit, index.size);
    // Nobody declared and every authenticated caller admitted: nothing to resolve or check.
    if (mode === 'any-authenticated' && index.size === 0) return undefined;
    const apiId = scope.api.id;
    const major = scope.major;
    const admitAny = mode === 'any-authenticated';
    const bindings = index.hasCertificateBindings;
    const certificates = deps.clientCertificates;
    const request: RequestStep = (ctx) => {
      let consumer: Consumer | undefined;
      const principal = ctx.principal;
      // A token names the consumer, unless an API key presented with it did (the key is the consumer's own).
      if (principal !== undefined && ctx.apiKeyId === undefined) {
        consumer = index.byToken(principal.providerId, principal.consumerClaim);
        const certificate = ctx.clientCertificate;
        if (bindings && certificate !== undefined) {
          const bound = index.byCertificate(certificate);
          if (bound !== undefined && bound !== consumer) {
            const detail = `the client certificate is bound to consumer "${bound.id}", the token is ${consumer ? `consumer "${consumer.id}"'s` : `${principal.consumerId}'s`}`;
            throw certificates ? certificates.refuse('consumer-mismatch', detail) : new GatewayError('MTLS_CERT_NOT_ALLOWED', detail);
          }
        }
        if (consumer === undefined) {
          if (admitAny) return;
          throw new GatewayError('CONSUMER_NOT_ENTITLED', `the caller ${principal.consumerId} is not a declared consumer of API "${apiId}"`);
        }
        ctx.consumer = consumer;
      } else {
        // Named by a client certificate (or another credential) before this step; else anonymous.
        consumer = ctx.consumer;
        if (consumer === undefined) return;
        const certificate = ctx.clientCertificate;
        if (bindings && certificate !== undefined) {
          // Another credential (an API key) that named someone else than the certificate does.
          const bound = index.byCertificate(certificate);
          if (bound !== undefined && bound !== consumer) {
            const detail = `the client certificate is bound to consumer "${bound.id}", the credential is consumer "${consumer.id}"'s`;
            throw certificates ? certificates.refuse('consumer-mismatch', detail) : new GatewayError('MTLS_CERT_NOT_ALLOWED', detail);
          }
        }
      }
      ctx.consumerId = consumer.id;
      // Compiled with the consumer index: one field test when the consumer has no rules.
      const rules = consumer.ipRules;
      if (rules !== undefined && !rules.admits(ctx.clientIp, ctx.clientIpFamily)) {
        throw new GatewayError('IP_NOT_ALLOWED', `consumer "${consumer.id}" may not call from the client address ${ctx.clientIp}`);
      }
      // An API open to any authenticated caller does not ask declared consumers for an entitlement.
      if (!admitAny && !isEntitled(consumer, apiId, major)) {
        throw new GatewayError('CONSUMER_NOT_ENTITLED', `consumer "${consumer.id}" is not entitled to API "${apiId}" v${major}`);
      }
    };
    return { operation: (op) => (op.security && op.security.length > 0 ? { request } : undefined) };
  },
};
