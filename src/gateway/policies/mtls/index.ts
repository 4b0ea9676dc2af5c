/**
 * The mtls policy: the client certificate of the request (the TLS peer's, or the one a trusted
 * proxy forwards), checked against the CA bundle, the validity dates and the CRL, required or
 * optional per API. A verified certificate bound to a declared consumer names that consumer.
 *
 * Codes: 401 MTLS_CERT_REQUIRED when the API requires a certificate and none was presented;
 * 403 MTLS_CERT_NOT_ALLOWED when one was presented and is refused (not issued by a trusted CA,
 * expired, not yet valid, revoked, unreadable) — on an `optional` API too: a certificate that
 * fails its checks is refused, never ignored.
 */
import type { Policy, RequestStep } from '../../pipeline/policy.js';

export { mtlsSchema, listenTlsSchema, certificateBindingSchema, type MtlsConfig, type ListenTlsConfig, type CertificateBindingConfig, type ClientCertificateMode } from './schema.js';
export { ClientCertificates, type VerifiedCertificate, type CertificateVerdict, type MtlsRejectionReason } from './client-certificates.js';
export { TlsMaterial, TlsFileError, type ClientTrust, type TlsFileKind } from './tls-material.js';

export const mtls: Policy = {
  name: 'mtls',
  create(scope, deps) {
    const config = scope.api.mtls;
    if (config === undefined) return undefined;
    if (deps.dryRun) return { operation: () => ({ request: () => undefined }) };
    const certificates = deps.clientCertificates;
    if (!certificates) throw new TypeError(`API "${scope.api.id}" has mtls but the gateway has no listen.tls`);
    const required = config.clientCertificates === 'required';
    const index = scope.consumers;
    const bindings = index.hasCertificateBindings;
    const apiId = scope.api.id;
    const request: RequestStep = (ctx) => {
      const verdict = certificates.verdictOf(ctx.req);
      if (verdict.kind === 'verified') {
        const certificate = verdict.certificate;
        ctx.clientCertificate = certificate;
        const consumer = bindings ? index.byCertificate(certificate) : undefined;
        if (consumer !== undefined) {
          ctx.consumer = consumer;
          ctx.consumerId = consumer.id;
        }
        return;
      }
      if (verdict.kind === 'refused') throw certificates.refuse(verdict.reason, verdict.detail);
      if (required) throw certificates.refuse('missing', `API "${apiId}" requires a client certificate`);
    };
    // Every operation of the API: the certificate is a property of the connection, not of the operation.
    return { operation: () => ({ request }) };
  },
};
