/** HTTPS requests for gateway tests, with an optional client certificate and source address. */
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { jsonOf, type RawResponse } from './raw-request.js';

/** A response with the server certificate it came over. */
export interface TlsResponse extends RawResponse {
  /** SHA-256 fingerprint of the server's certificate. */
  serverFingerprint: string;
  /** True when the request went over a connection an agent kept from an earlier request. */
  reusedSocket: boolean;
}

/** What a request presents. */
export interface TlsRequestOptions {
  /** CA that signed the gateway's certificate. */
  ca: string;
  /** Client certificate and key, PEM. */
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
  /** Source address (another loopback address plays another peer). */
  localAddress?: string;
  maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** A keep-alive agent, to send several requests over one connection. */
  agent?: https.Agent;
}

/** GET over a new TLS connection (unless an agent keeps one: then every request is its own handshake). */
export function tlsRequest(baseUrl: string, path: string, options: TlsRequestOptions): Promise<TlsResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'GET',
        path,
        headers: options.headers,
        ca: options.ca,
        cert: options.cert,
        key: options.key,
        servername: 'localhost',
        localAddress: options.localAddress,
        maxVersion: options.maxVersion,
        agent: options.agent ?? false,
      },
      (res) => {
        const serverFingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: jsonOf(text), serverFingerprint, reusedSocket: req.reusedSocket });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
