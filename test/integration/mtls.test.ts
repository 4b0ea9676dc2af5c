/**
 * mTLS end to end over real TLS: the HTTPS listener asks for client certificates; each API
 * requires them or takes them optionally; certificates bind to consumers (fingerprint, subject,
 * SAN) and may stand alone where the contract's security admits mutualTLS; the CRL revokes;
 * RFC 8705 certificate-bound tokens hold only over their certificate; a trusted proxy may forward
 * the certificate in a header, nobody else may.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-pki.js';
import { tlsRequest } from '../support/tls-request.js';
import { rawRequest } from '../support/raw-request.js';
import { connect } from 'node:net';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import express from 'express';
import { X509Certificate } from 'node:crypto';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'gateway');
const PARTNERS = join(FIXTURES, 'partners-1.0.0.yaml');
const SHOP = join(FIXTURES, 'shop-1.0.0.yaml');
/** Another loopback address: the peer the gateway trusts as a TLS-terminating proxy. */
const PROXY_ADDRESS = '127.0.0.2';
const XFCC = 'x-forwarded-client-cert';

interface Pki {
  ca: TestCa;
  rogueCa: TestCa;
  server: IssuedCertificate;
  acme: IssuedCertificate;
  globex: IssuedCertificate;
  initech: IssuedCertificate;
  unbound: IssuedCertificate;
  rogue: IssuedCertificate;
  expired: IssuedCertificate;
  notYetValid: IssuedCertificate;
  revoked: IssuedCertificate;
}

function createPki(): Pki {
  const ca = createTestCa('Partner CA');
  const rogueCa = createTestCa('Rogue CA');
  return {
    ca,
    rogueCa,
    server: ca.issue({ commonName: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], server: true }),
    acme: ca.issue({ commonName: 'acme-client', organization: 'Acme' }),
    globex: ca.issue({ commonName: 'globex-client', organization: 'Globex' }),
    initech: ca.issue({ commonName: 'initech-client', uris: ['spiffe://partners/initech'] }),
    unbound: ca.issue({ commonName: 'someone', organization: 'Nobody' }),
    // The same names as acme's, from a CA the gateway does not trust.
    rogue: rogueCa.issue({ commonName: 'acme-client', organization: 'Acme' }),
    expired: ca.issue({ commonName: 'acme-client', organization: 'Acme', notBeforeDays: -30, notAfterDays: -1 }),
    notYetValid: ca.issue({ commonName: 'acme-client', organization: 'Acme', notBeforeDays: 1, notAfterDays: 30 }),
    revoked: ca.issue({ commonName: 'acme-client', organization: 'Acme' }),
  };
}

function writeTlsFiles(dir: string, pki: Pki): { key: string; cert: string; ca: string; crl: string } {
  const files = { key: join(dir, 'server.key'), cert: join(dir, 'server.crt'), ca: join(dir, 'partners-ca.pem'), crl: join(dir, 'partners.crl') };
  writeFileSync(files.key, pki.server.keyPem);
  writeFileSync(files.cert, pki.server.certPem);
  writeFileSync(files.ca, pki.ca.certPem);
  writeFileSync(files.crl, pki.ca.crl([pki.revoked.serial]));
  return files;
}

function consumersOf(pki: Pki, apis: readonly string[] = ['partners', 'optional', 'plain']): Array<Record<string, unknown>> {
  const all = apis.map((api) => ({ api }));
  return [
    { id: 'acme', identities: [{ provider: 'test', claim: 'acme-app' }], certificates: [{ sha256: pki.acme.fingerprint256 }], entitlements: all },
    { id: 'globex', identities: [{ provider: 'test', claim: 'globex-app' }], certificates: [{ subject: { CN: 'globex-client', O: 'Globex' } }], entitlements: all },
    { id: 'initech', certificates: [{ san: { type: 'uri', value: 'spiffe://partners/initech' } }], entitlements: all },
  ];
}

function problemCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

describe('mTLS', () => {
  let pki: Pki;
  let dir: string;
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;
  let files: { key: string; cert: string; ca: string; crl: string };

  before(async () => {
    pki = createPki();
    dir = mkdtempSync(join(tmpdir(), 'accord-mtls-'));
    files = writeTlsFiles(dir, pki);
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    upstream = await startUpstream(json(200, { ok: true }));
    const api = (id: string, extra: Record<string, unknown>): Record<string, unknown> => ({
      id,
      basePath: `/${id}`,
      versions: [{ version: '1.0.0', upstream: upstream.url }],
      auth: { providers: ['test'] },
      responseValidation: 'off',
      ...extra,
    });
    gw = await startTestGateway({
      contracts: { 'partners/1.0.0': PARTNERS, 'optional/1.0.0': PARTNERS, 'plain/1.0.0': SHOP },
      config: {
        listen: { host: '127.0.0.1', port: 0, trustedProxies: [PROXY_ADDRESS], tls: { ...files, certificateHeader: 'X-Forwarded-Client-Cert' } },
        identityProviders: [issuer.provider('test')],
        consumers: consumersOf(pki),
        apis: [api('partners', { mtls: { clientCertificates: 'required' } }), api('optional', { mtls: { clientCertificates: 'optional' } }), api('plain', {})],
      },
    });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = (clientId: string, extra: Record<string, unknown> = {}): Promise<string> => issuer.token({ client_id: clientId, scope: 'orders:read items:read', ...extra });
  const boundToken = (clientId: string, certificate: () => IssuedCertificate): Promise<string> => token(clientId, { cnf: { 'x5t#S256': certificate().thumbprint } });

  interface Case {
    name: string;
    path: string;
    certificate?: () => IssuedCertificate;
    token?: () => Promise<string>;
    /** The forwarded-certificate header, and whether the trusted proxy sends it. */
    forwarded?: { value: () => string; viaProxy: boolean };
    status: number;
    code?: string;
    consumer?: string;
    bearerError?: string;
  }

  const urlEncodedPem = (c: () => IssuedCertificate) => () => encodeURIComponent(c().certPem);
  const cases: Case[] = [
    // Required certificates
    { name: 'required: certificate bound by fingerprint + its consumer\'s token', path: '/partners/v1/orders', certificate: () => pki.acme, token: () => token('acme-app'), status: 200, consumer: 'acme' },
    { name: 'required: no certificate', path: '/partners/v1/orders', token: () => token('acme-app'), status: 401, code: 'MTLS_CERT_REQUIRED' },
    { name: 'required: certificate of another CA', path: '/partners/v1/orders', certificate: () => pki.rogue, token: () => token('acme-app'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'required: expired certificate', path: '/partners/v1/orders', certificate: () => pki.expired, token: () => token('acme-app'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'required: certificate not yet valid', path: '/partners/v1/orders', certificate: () => pki.notYetValid, token: () => token('acme-app'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'required: revoked certificate (CRL)', path: '/partners/v1/orders', certificate: () => pki.revoked, token: () => token('acme-app'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: "required: globex's certificate (bound by subject) with acme's token", path: '/partners/v1/orders', certificate: () => pki.globex, token: () => token('acme-app'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: "required: acme's certificate with an undeclared caller's token", path: '/partners/v1/orders', certificate: () => pki.acme, token: () => token('stranger'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'required: trusted certificate bound to nobody + a token: the token names the consumer', path: '/partners/v1/orders', certificate: () => pki.unbound, token: () => token('acme-app'), status: 200, consumer: 'acme' },
    // mutualTLS in the contract's security
    { name: 'mutualTLS alone: certificate bound by fingerprint', path: '/partners/v1/statements', certificate: () => pki.acme, status: 200, consumer: 'acme' },
    { name: 'mutualTLS alone: certificate bound by subject', path: '/partners/v1/statements', certificate: () => pki.globex, status: 200, consumer: 'globex' },
    { name: 'mutualTLS alone: certificate bound by SAN URI', path: '/partners/v1/statements', certificate: () => pki.initech, status: 200, consumer: 'initech' },
    { name: 'mutualTLS alone: trusted certificate bound to nobody', path: '/partners/v1/statements', certificate: () => pki.unbound, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'mutualTLS alone on an optional API: no certificate', path: '/optional/v1/statements', status: 401, code: 'MTLS_CERT_REQUIRED' },
    { name: 'token or mutualTLS: the certificate alone', path: '/optional/v1/either', certificate: () => pki.acme, status: 200, consumer: 'acme' },
    { name: 'token or mutualTLS: the token alone', path: '/optional/v1/either', token: () => token('globex-app'), status: 200, consumer: 'globex' },
    { name: 'token or mutualTLS: neither', path: '/optional/v1/either', status: 401, code: 'AUTH_TOKEN_MISSING' },
    { name: 'token and mutualTLS: token without certificate', path: '/optional/v1/both', token: () => token('acme-app'), status: 401, code: 'MTLS_CERT_REQUIRED' },
    { name: 'token and mutualTLS: both', path: '/optional/v1/both', certificate: () => pki.acme, token: () => token('acme-app'), status: 200, consumer: 'acme' },
    // Optional certificates: absent is fine, presented and bad is refused
    { name: 'optional: no certificate', path: '/optional/v1/orders', token: () => token('acme-app'), status: 200, consumer: 'acme' },
    { name: 'optional: certificate of another CA is refused, not ignored', path: '/optional/v1/orders', certificate: () => pki.rogue, token: () => token('acme-app'), status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'optional: expired certificate is refused', path: '/optional/v1/status', certificate: () => pki.expired, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'optional: anonymous operation without certificate', path: '/optional/v1/status', status: 200 },
    // RFC 8705 certificate-bound access tokens
    { name: 'bound token over its certificate', path: '/partners/v1/orders', certificate: () => pki.acme, token: () => boundToken('acme-app', () => pki.acme), status: 200, consumer: 'acme' },
    { name: 'bound token over another certificate', path: '/partners/v1/orders', certificate: () => pki.unbound, token: () => boundToken('acme-app', () => pki.acme), status: 401, code: 'AUTH_TOKEN_INVALID', bearerError: 'invalid_token' },
    { name: 'bound token without a certificate', path: '/optional/v1/orders', token: () => boundToken('acme-app', () => pki.acme), status: 401, code: 'AUTH_TOKEN_INVALID', bearerError: 'invalid_token' },
    { name: 'bound token with a malformed cnf', path: '/optional/v1/orders', certificate: () => pki.acme, token: () => token('acme-app', { cnf: { 'x5t#S256': 42 } }), status: 401, code: 'AUTH_TOKEN_INVALID', bearerError: 'invalid_token' },
    { name: 'bound token over its certificate on an API without mtls', path: '/plain/v1/items', certificate: () => pki.acme, token: () => boundToken('acme-app', () => pki.acme), status: 200, consumer: 'acme' },
    { name: 'bound token without its certificate on an API without mtls', path: '/plain/v1/items', token: () => boundToken('acme-app', () => pki.acme), status: 401, code: 'AUTH_TOKEN_INVALID', bearerError: 'invalid_token' },
    { name: 'bound token over an untrusted certificate with that thumbprint', path: '/plain/v1/items', certificate: () => pki.rogue, token: () => boundToken('acme-app', () => pki.rogue), status: 401, code: 'AUTH_TOKEN_INVALID', bearerError: 'invalid_token' },
    // A certificate forwarded by a TLS-terminating proxy
    { name: 'forwarded certificate (URL-encoded PEM) from the trusted proxy', path: '/partners/v1/statements', forwarded: { value: urlEncodedPem(() => pki.acme), viaProxy: true }, status: 200, consumer: 'acme' },
    { name: 'forwarded certificate (Envoy XFCC) from the trusted proxy', path: '/partners/v1/statements', forwarded: { value: () => `By=spiffe://gw;Hash=abc;Cert="${encodeURIComponent(pki.globex.certPem)}";Subject="CN=globex-client"`, viaProxy: true }, status: 200, consumer: 'globex' },
    { name: 'forwarded certificate of another CA from the trusted proxy', path: '/partners/v1/statements', forwarded: { value: urlEncodedPem(() => pki.rogue), viaProxy: true }, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'forwarded revoked certificate from the trusted proxy', path: '/partners/v1/statements', forwarded: { value: urlEncodedPem(() => pki.revoked), viaProxy: true }, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'forwarded expired certificate from the trusted proxy', path: '/partners/v1/statements', forwarded: { value: urlEncodedPem(() => pki.expired), viaProxy: true }, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'forwarded garbage from the trusted proxy', path: '/partners/v1/statements', forwarded: { value: () => 'not%20a%20certificate', viaProxy: true }, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
    { name: 'bound token with the forwarded certificate from the trusted proxy', path: '/partners/v1/orders', forwarded: { value: urlEncodedPem(() => pki.acme), viaProxy: true }, token: () => boundToken('acme-app', () => pki.acme), status: 200, consumer: 'acme' },
    { name: 'forwarded certificate from an untrusted peer is ignored', path: '/partners/v1/statements', forwarded: { value: urlEncodedPem(() => pki.acme), viaProxy: false }, status: 401, code: 'MTLS_CERT_REQUIRED' },
    { name: 'forwarded certificate from an untrusted peer does not bind a token', path: '/optional/v1/orders', forwarded: { value: urlEncodedPem(() => pki.acme), viaProxy: false }, token: () => boundToken('acme-app', () => pki.acme), status: 401, code: 'AUTH_TOKEN_INVALID', bearerError: 'invalid_token' },
    { name: 'forwarded header from an untrusted peer on an anonymous operation', path: '/optional/v1/status', forwarded: { value: urlEncodedPem(() => pki.rogue), viaProxy: false }, status: 200 },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = upstream.received.length;
      const headers: Record<string, string> = {};
      if (c.token) headers.authorization = `Bearer ${await c.token()}`;
      if (c.forwarded) headers[XFCC] = c.forwarded.value();
      const certificate = c.certificate?.();
      const res = await tlsRequest(gw.url, c.path, { ca: pki.ca.certPem, cert: certificate?.certPem, key: certificate?.keyPem, headers, localAddress: c.forwarded?.viaProxy ? PROXY_ADDRESS : '127.0.0.1' });
      assert.equal(res.status, c.status, res.text);
      if (c.code) {
        assert.equal(problemCode(res.text), c.code);
        assert.equal(res.headers['content-type'], 'application/problem+json');
        assert.equal(upstream.received.length, before, 'a refused request never reaches the upstream');
      }
      if (c.bearerError) assert.match(String(res.headers['www-authenticate']), new RegExp(`^Bearer realm="accord", error="${c.bearerError}"`));
      if (c.status === 200) {
        assert.equal(upstream.received.length, before + 1);
        const received = upstream.received.at(-1)!;
        assert.equal(received.headers['x-consumer-id'], c.consumer);
        assert.equal(received.headers[XFCC], undefined, 'the forwarded certificate never reaches the upstream');
      }
    });
  }

  it('counts every rejection reason and logs refused certificates', async () => {
    const text = await gw.running.gateway.metrics!.registry.metrics();
    for (const reason of ['missing', 'untrusted', 'expired', 'not-yet-valid', 'revoked', 'malformed', 'unbound', 'consumer-mismatch', 'token-binding']) {
      assert.match(text, new RegExp(`accord_mtls_rejections_total\\{reason="${reason}"\\} [1-9]`), reason);
    }
    const refused = gw.logs.filter((l) => l.msg === 'client certificate refused').map((l) => l.reason);
    for (const reason of ['untrusted', 'expired', 'not-yet-valid', 'revoked', 'malformed']) assert.ok(refused.includes(reason), reason);
  });

  it('refuses plain HTTP on the TLS port, counted and logged as a handshake failure', async () => {
    await assert.rejects(rawRequest(gw.url.replace('https:', 'http:'), 'GET', '/optional/v1/status'));
    const text = await gw.running.gateway.metrics!.registry.metrics();
    assert.match(text, /accord_tls_handshake_failures_total\{reason="plain-http"\} [1-9]/);
    assert.ok(gw.logs.some((l) => l.msg === 'TLS handshake failed' && l.reason === 'plain-http'));
  });

  it('refuses TLS 1.1 (minimum TLS 1.2)', async () => {
    await assert.rejects(tlsRequest(gw.url, '/optional/v1/status', { ca: pki.ca.certPem, maxVersion: 'TLSv1.1' }));
    const res = await tlsRequest(gw.url, '/optional/v1/status', { ca: pki.ca.certPem, maxVersion: 'TLSv1.2' });
    assert.equal(res.status, 200);
  });

  it('closes a connection whose TLS handshake stalls, counted and logged', async () => {
    const short = await startTestGateway({
      contracts: { 'plain/1.0.0': SHOP },
      config: {
        listen: { host: '127.0.0.1', port: 0, headersTimeoutMs: 300, requestTimeoutMs: 300, tls: files },
        identityProviders: [issuer.provider('test')],
        apis: [{ id: 'plain', basePath: '/plain', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] } }],
      },
    });
    try {
      const socket = connect(Number(new URL(short.url).port), '127.0.0.1');
      socket.on('error', () => undefined);
      // Connected, and never a ClientHello: the server ends the connection.
      await once(socket, 'close');
      const text = await short.running.gateway.metrics!.registry.metrics();
      assert.match(text, /accord_tls_handshake_failures_total\{reason="timeout"\} 1/);
      assert.ok(short.logs.some((l) => l.msg === 'TLS handshake failed' && l.reason === 'timeout'));
    } finally {
      await short.stop();
    }
  });

  it('builds the HTTPS listener like the HTTP one: Express message classes, checkContinue answered by the pipeline', () => {
    const server = gw.running.server.server;
    assert.ok(server instanceof https.Server);
    const messageClass = (name: string): unknown => {
      const symbol = Object.getOwnPropertySymbols(server).find((s) => s.description === name);
      return symbol === undefined ? undefined : (server as unknown as Record<symbol, unknown>)[symbol];
    };
    const incoming = messageClass('IncomingMessage') as { prototype: object };
    const response = messageClass('ServerResponse') as { prototype: object };
    assert.notEqual(incoming, http.IncomingMessage);
    assert.equal(Object.getPrototypeOf(incoming.prototype), express.request);
    assert.equal(Object.getPrototypeOf(response.prototype), express.response);
    assert.equal(server.listenerCount('checkContinue'), 1);
  });

  describe('TLS ending in a proxy in front (plain HTTP listener, certificates from a header only)', () => {
    let front: TestGateway;
    before(async () => {
      front = await startTestGateway({
        contracts: { 'partners/1.0.0': PARTNERS },
        config: {
          listen: { host: '127.0.0.1', port: 0, trustedProxies: [PROXY_ADDRESS], tls: { ca: files.ca, crl: files.crl, certificateHeader: 'X-Partner-Cert' } },
          identityProviders: [issuer.provider('test')],
          consumers: consumersOf(pki, ['partners']),
          apis: [{ id: 'partners', basePath: '/partners', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] }, mtls: { clientCertificates: 'required' }, responseValidation: 'off' }],
        },
      });
    });
    after(() => front.stop());

    const plainGet = (path: string, headers: Record<string, string>, localAddress: string): Promise<{ status: number; text: string }> =>
      new Promise((resolve, reject) => {
        const url = new URL(front.url);
        const req = http.request({ host: url.hostname, port: url.port, path, headers, localAddress, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      });

    const frontCases: Array<{ name: string; path: string; value: () => string; viaProxy: boolean; status: number; code?: string; consumer?: string }> = [
      { name: 'URL-encoded PEM from the proxy', path: '/partners/v1/statements', value: () => encodeURIComponent(pki.acme.certPem), viaProxy: true, status: 200, consumer: 'acme' },
      { name: 'RFC 9440 Client-Cert form from the proxy', path: '/partners/v1/statements', value: () => `:${new X509Certificate(pki.initech.certPem).raw.toString('base64')}:`, viaProxy: true, status: 200, consumer: 'initech' },
      { name: 'revoked certificate from the proxy', path: '/partners/v1/statements', value: () => encodeURIComponent(pki.revoked.certPem), viaProxy: true, status: 403, code: 'MTLS_CERT_NOT_ALLOWED' },
      { name: 'no header from the proxy', path: '/partners/v1/statements', value: () => '', viaProxy: true, status: 401, code: 'MTLS_CERT_REQUIRED' },
      { name: 'the header from an untrusted peer', path: '/partners/v1/statements', value: () => encodeURIComponent(pki.acme.certPem), viaProxy: false, status: 401, code: 'MTLS_CERT_REQUIRED' },
      { name: 'required applies to anonymous operations too', path: '/partners/v1/status', value: () => encodeURIComponent(pki.acme.certPem), viaProxy: false, status: 401, code: 'MTLS_CERT_REQUIRED' },
      { name: 'an anonymous operation through the proxy', path: '/partners/v1/status', value: () => encodeURIComponent(pki.globex.certPem), viaProxy: true, status: 200, consumer: 'globex' },
    ];
    for (const c of frontCases) {
      it(c.name, async () => {
        const before = upstream.received.length;
        const value = c.value();
        const res = await plainGet(c.path, value ? { 'x-partner-cert': value } : {}, c.viaProxy ? PROXY_ADDRESS : '127.0.0.1');
        assert.equal(res.status, c.status, res.text);
        if (c.code) assert.equal(problemCode(res.text), c.code);
        if (c.status === 200) {
          assert.equal(upstream.received.length, before + 1);
          const received = upstream.received.at(-1)!;
          assert.equal(received.headers['x-consumer-id'], c.consumer);
          assert.equal(received.headers['x-partner-cert'], undefined, 'the configured certificate header never reaches the upstream');
        }
      });
    }
  });

  it('serves health checks over TLS without a client certificate', async () => {
    const res = await tlsRequest(gw.url, '/healthz', { ca: pki.ca.certPem });
    assert.equal(res.status, 200);
  });
});
