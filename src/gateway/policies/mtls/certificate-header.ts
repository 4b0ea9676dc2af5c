/** Reads the client certificate a TLS-terminating proxy forwards in a request header. */
import { X509Certificate } from 'node:crypto';

/** Envoy's X-Forwarded-Client-Cert `Cert=` member, quoted or not; the last element is the nearest proxy's. */
const XFCC_CERT = /(?:^|[;,])\s*Cert=("(?:[^"\\]|\\.)*"|[^;,]*)/gi;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM_BODY = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/**
 * The certificate in a header value, or undefined when the value holds none that can be read:
 * an RFC 9440 `Client-Cert` value (`:<base64 DER>:`), an Envoy XFCC value (its last element's `Cert="<URL-encoded PEM>"`), a URL-encoded PEM (nginx
 * `$ssl_client_escaped_cert`, AWS ALB), a PEM whose line breaks a proxy folded into spaces or
 * tabs (nginx `$ssl_client_cert`), or base64 DER (Traefik).
 */
export function certificateFromHeader(value: string): X509Certificate | undefined {
  // RFC 9440 Client-Cert: a structured-field byte sequence, `:<base64 DER>:`.
  const trimmed = value.trim();
  if (trimmed.length > 2 && trimmed.startsWith(':') && trimmed.endsWith(':')) return certificateFromBase64(trimmed.slice(1, -1));
  let encoded = value;
  let last: string | undefined;
  for (const match of value.matchAll(XFCC_CERT)) last = match[1];
  if (last !== undefined) encoded = last.startsWith('"') ? last.slice(1, -1).replace(/\\(.)/g, '$1') : last;
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  // The PEM body alone: proxies fold, tab-indent or space-join its lines.
  return certificateFromBase64(PEM_BODY.exec(text)?.[1] ?? text);
}

function certificateFromBase64(text: string): X509Certificate | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return undefined;
  try {
    return new X509Certificate(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
}
