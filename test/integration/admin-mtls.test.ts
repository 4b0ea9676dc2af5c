/**
 * Mutual TLS on the admin listener (admin.listen.tls), through the real gateway start: HTTPS, a
 * client certificate of clientCa required in the handshake (then the bearer token as usual);
 * no certificate, or one of another CA, never reaches the admin API. Unreadable files are config
 * errors naming the pointer.
 */
import { X509Certificate } from 'node:crypto';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-pki.js';
import { tlsRequest } from '../support/tls-request.js';
import { createTestIssuer, startTestGateway, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { ConfigError } from '../../src/config/config-error.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

describe('admin listener with mutual TLS', () => {
  let dir: string;
  let ca: TestCa;
  let stranger: TestCa;
  let server: IssuedCertificate;
  let client: IssuedCertificate;
  let strangerClient: IssuedCertificate;
  let issuer: TestIssuer;
  let upstream: TestUpstream;
  let gw: TestGateway;

  const config = (tls: Record<string, string>): Record<string, unknown> => ({
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider()],
    admin: { listen: { tls }, auth: { providers: ['test'] } },
    apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] } }],
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-admin-mtls-'));
    ca = createTestCa('Accord Admin CA');
    stranger = createTestCa('Someone Else CA');
    server = ca.issue({ commonName: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], server: true });
    client = ca.issue({ commonName: 'ops-laptop' });
    strangerClient = stranger.issue({ commonName: 'ops-laptop' });
    writeFileSync(join(dir, 'admin.key'), server.keyPem);
    writeFileSync(join(dir, 'admin.crt'), server.certPem);
    writeFileSync(join(dir, 'clients-ca.pem'), ca.certPem);
    issuer = await createTestIssuer();
    upstream = await startUpstream((_req, res) => res.end('{}'));
    gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config({ key: join(dir, 'admin.key'), cert: join(dir, 'admin.crt'), clientCa: join(dir, 'clients-ca.pem') }) });
  });
  after(async () => {
    await gw?.stop();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS to a client certificate of clientCa, with the token still required', async () => {
    assert.match(gw.adminUrl!, /^https:\/\/127\.0\.0\.1:\d+$/);
    const token = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
    const ok = await tlsRequest(gw.adminUrl!, '/metrics', { ca: ca.certPem, cert: client.certPem, key: client.keyPem, headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200, ok.text);
    assert.match(ok.text, /accord_requests_total/);
    // The admin listener's certificate expiry is exported for the certificate alerts.
    const notAfter = Date.parse(new X509Certificate(server.certPem).validTo) / 1000;
    assert.match(ok.text, new RegExp(`^accord_tls_certificate_expiry_timestamp_seconds\\{kind="admin-listener"\\} ${notAfter}$`, 'm'));
    const noToken = await tlsRequest(gw.adminUrl!, '/metrics', { ca: ca.certPem, cert: client.certPem, key: client.keyPem });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.json?.code, 'AUTH_TOKEN_MISSING');
  });

  const refused: Array<{ name: string; cert: () => IssuedCertificate | undefined }> = [
    { name: 'no client certificate', cert: () => undefined },
    { name: 'a client certificate of another CA', cert: () => strangerClient },
  ];
  for (const c of refused) {
    it(`refuses ${c.name} in the handshake`, async () => {
      const token = await issuer.token({ client_id: 'ops', scope: 'accord:admin' });
      const cert = c.cert();
      await assert.rejects(
        tlsRequest(gw.adminUrl!, '/admin/openapi.json', { ca: ca.certPem, cert: cert?.certPem, key: cert?.keyPem, headers: { authorization: `Bearer ${token}` } }),
        (error: NodeJS.ErrnoException) => /ECONNRESET|certificate|alert|socket hang up|EPIPE/i.test(`${error.code} ${error.message}`),
      );
    });
  }

  it('refuses to start when a TLS file cannot be read, naming its pointer', async () => {
    await assert.rejects(
      startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config: config({ key: join(dir, 'admin.key'), cert: join(dir, 'missing.crt'), clientCa: join(dir, 'clients-ca.pem') }) }),
      (error: unknown) => error instanceof ConfigError && error.issues.length === 1 && error.issues[0]!.pointer === '/admin/listen/tls/cert' && /missing\.crt as PEM \(ENOENT\)/.test(error.issues[0]!.message),
    );
  });
});
