/** Config schemas of mTLS: the HTTPS listener and client-certificate trust (`listen.tls`), per-API mode (`apis[].mtls`), consumer bindings. */

/** How an API treats client certificates (`apis[].mtls.clientCertificates`). */
export type ClientCertificateMode = 'optional' | 'required';

/** `apis[].mtls`. */
export interface MtlsConfig {
  clientCertificates: ClientCertificateMode;
}

/** `listen.tls`: the HTTPS listener and the trust placed in client certificates. */
export interface ListenTlsConfig {
  /** PEM private key of the listener (with `cert`); unset when TLS ends in front of Accord. */
  key?: string;
  /** PEM certificate chain of the listener (with `key`). */
  cert?: string;
  /** PEM bundle of the CAs whose client certificates are trusted. */
  ca: string;
  /** CRL file (PEM or DER) of revoked client certificates. */
  crl?: string;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** Request header a trusted proxy puts the client certificate in. */
  certificateHeader?: string;
}

/** One way a client certificate names a consumer (`consumers[].certificates[]`): exactly one member. */
export interface CertificateBindingConfig {
  /** SHA-256 fingerprint of the DER certificate, hex with or without colons. */
  sha256?: string;
  /** Subject attributes that must all be present with these exact values (e.g. `{ CN: partner-a, O: Acme }`). */
  subject?: Record<string, string>;
  /** A subjectAltName entry the certificate must carry. */
  san?: { type: 'dns' | 'uri' | 'email' | 'ip'; value: string };
}

export const mtlsSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Client certificates on this API (needs listen.tls). optional: a request without a certificate passes, one with a certificate that is not trusted, expired, not yet valid or revoked is refused (403 MTLS_CERT_NOT_ALLOWED); required: a request without a certificate gets 401 MTLS_CERT_REQUIRED.',
  properties: {
    clientCertificates: { enum: ['optional', 'required'], default: 'required', description: 'Whether a client certificate must be presented.' },
  },
} as const;

export const listenTlsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['ca'],
  description:
    'TLS of the data plane. With key and cert, the listener speaks HTTPS and asks every client for a certificate (the handshake succeeds without one, so a refusal is a problem+json answer). Without them, TLS ends in a proxy in front and client certificates come only from certificateHeader. Paths are relative to this file; every file is reloaded when it changes.',
  properties: {
    key: { type: 'string', minLength: 1, description: 'PEM private key of the listener. Default: none (no HTTPS; set together with cert).' },
    cert: { type: 'string', minLength: 1, description: 'PEM certificate (chain) of the listener. Default: none (no HTTPS; set together with key).' },
    ca: { type: 'string', minLength: 1, description: 'PEM bundle of the certificate authorities whose client certificates are trusted. Every certificate in it is a trust anchor.' },
    crl: { type: 'string', minLength: 1, description: 'Certificate revocation list (PEM, possibly several, or DER) signed by a CA of the bundle; a certificate it lists is refused. Default: none.' },
    minVersion: { enum: ['TLSv1.2', 'TLSv1.3'], default: 'TLSv1.2', description: 'Oldest TLS version accepted.' },
    certificateHeader: {
      type: 'string',
      pattern: "^[A-Za-z0-9!#$%&'+.^_`|~-]+$",
      description:
        'Request header in which a TLS-terminating proxy forwards the client certificate: a URL-encoded PEM (nginx $ssl_client_escaped_cert) or an Envoy X-Forwarded-Client-Cert element with Cert="…". Read only from listen.trustedProxies, verified like a direct certificate, and never sent upstream. Default: none.',
    },
  },
} as const;

export const certificateBindingSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
  description: 'A client certificate that identifies this consumer: by SHA-256 fingerprint, by subject attributes, or by a subjectAltName entry (exactly one).',
  properties: {
    sha256: { type: 'string', pattern: '^(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{64}$', description: 'SHA-256 fingerprint of the DER certificate (openssl x509 -fingerprint -sha256), hex with or without colons.' },
    subject: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'string', minLength: 1 },
      description: 'Subject attributes (CN, O, OU, …) that must all be present with exactly these values; other attributes may be present too.',
    },
    san: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'value'],
      description: 'A subjectAltName entry of the certificate.',
      properties: {
        type: { enum: ['dns', 'uri', 'email', 'ip'], description: 'Kind of entry.' },
        value: { type: 'string', minLength: 1, description: 'Its exact value (DNS names compared case-insensitively).' },
      },
    },
  },
} as const;
