/**
 * TLS files reload without a restart: a new listener certificate and key, a new client CA bundle
 * and a new CRL (PEM or DER) are in service once written; a CRL that cannot be used leaves the
 * previous one in service, logged and counted.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-pki.js';
import { tlsRequest } from '../support/tls-request.js';

const PARTNERS = join(import.meta.dirname, 'fixtures', 'gateway', 'partners-1.0.0.yaml');

/** Polls until `check` holds; bounded, so a reload that never comes fails the test instead of hanging it. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`never happened: ${what}`);
}

/** Replaces a file the way editors and cert-manager do: write beside it, rename over it. */
function replace(path: string, content: string | Buffer): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

describe('TLS file reload', () => {
  let ca: TestCa;
  let otherCa: TestCa;
  let acme: IssuedCertificate;
  let foreign: IssuedCertificate;
  let dir: string;
  let files: { key: string; cert: string; ca: string; crl: string };
  let upstream: TestUpstream;
  let gw: TestGateway;
  let issuer: TestIssuer;

  before(async () => {
    ca = createTestCa('Partner CA');
    otherCa = createTestCa('Second Partner CA');
    acme = ca.issue({ commonName: 'acme-client' });
    foreign = otherCa.issue({ commonName: 'globex-client' });
    const server = ca.issue({ commonName: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], server: true });
    dir = mkdtempSync(join(tmpdir(), 'accord-tls-reload-'));
    files = { key: join(dir, 'server.key'), cert: join(dir, 'server.crt'), ca: join(dir, 'ca.pem'), crl: join(dir, 'ca.crl') };
    writeFileSync(files.key, server.keyPem);
    writeFileSync(files.cert, server.certPem);
    writeFileSync(files.ca, ca.certPem);
    writeFileSync(files.crl, ca.crl([]));
    issuer = await createTestIssuer('https://issuer.test', 'shop-api');
    upstream = await startUpstream(json(200, { ok: true }));
    gw = await startTestGateway({
      contracts: { 'partners/1.0.0': PARTNERS },
      config: {
        listen: { host: '127.0.0.1', port: 0, tls: files },
        identityProviders: [issuer.provider('test')],
        apis: [{ id: 'partners', basePath: '/partners', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] }, mtls: { clientCertificates: 'required' }, responseValidation: 'off' }],
      },
      start: { watch: true, watchDebounceMs: 50 },
    });
  });
  after(async () => {
    await gw.stop();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (certificate: IssuedCertificate, agent?: https.Agent) => {
    const headers = { authorization: `Bearer ${await issuer.token({ client_id: 'acme-app', scope: 'orders:read' })}` };
    return tlsRequest(gw.url, '/partners/v1/orders', { ca: ca.certPem, cert: certificate.certPem, key: certificate.keyPem, headers, agent });
  };
  const metrics = () => gw.running.gateway.metrics!.registry.metrics();

  it('serves a new listener certificate and key once they are replaced', async () => {
    const before = await call(acme);
    assert.equal(before.status, 200);
    const renewed = ca.issue({ commonName: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], server: true });
    assert.notEqual(renewed.fingerprint256, before.serverFingerprint);
    replace(files.key, renewed.keyPem);
    replace(files.cert, renewed.certPem);
    await eventually('the renewed server certificate is served', async () => (await call(acme)).serverFingerprint === renewed.fingerprint256);
    assert.match(await metrics(), /accord_tls_reloads_total\{kind="listener",outcome="success"\} [1-9]/);
  });

  it('trusts a new CA bundle once it is replaced, and stops trusting a removed CA on kept connections too', async () => {
    const refused = await call(foreign);
    assert.equal(refused.status, 403);
    replace(files.ca, ca.certPem + otherCa.certPem);
    await eventually('a certificate of the added CA is accepted', async () => (await call(foreign)).status === 200);
    assert.match(await metrics(), /accord_tls_reloads_total\{kind="ca",outcome="success"\} [1-9]/);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await call(foreign, agent)).status, 200);
      replace(files.ca, ca.certPem);
      await eventually('the removed CA is no longer trusted on new connections', async () => (await call(foreign)).status === 403);
      const kept = await call(foreign, agent);
      assert.equal(kept.reusedSocket, true, 'the request went over the connection opened while the CA was trusted');
      assert.equal(kept.status, 403);
    } finally {
      agent.destroy();
    }
  });

  it('applies a new CRL (DER) to connections, new and kept', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await call(acme, agent)).status, 200);
      replace(files.crl, ca.crl([acme.serial], { der: true }) as Buffer);
      await eventually('the revoked certificate is refused on a new connection', async () => (await call(acme)).status === 403);
      const kept = await call(acme, agent);
      assert.equal(kept.reusedSocket, true, 'the request went over the connection opened before the CRL changed');
      assert.equal(kept.status, 403);
      assert.equal((kept.json as { code: string }).code, 'MTLS_CERT_NOT_ALLOWED');
    } finally {
      agent.destroy();
    }
    assert.match(await metrics(), /accord_tls_reloads_total\{kind="crl",outcome="success"\} [1-9]/);
  });

  it('keeps the previous CRL when the new one is unusable, logged and counted', async () => {
    replace(files.crl, 'not a CRL');
    await eventually('the failed reload is logged', async () => gw.logs.some((l) => l.msg === 'TLS file reload failed; the previous TLS material stays in service' && l.kind === 'crl'));
    assert.match(await metrics(), /accord_tls_reloads_total\{kind="crl",outcome="failure"\} [1-9]/);
    assert.equal((await call(acme)).status, 403, 'the revocation stays in force');
    // A CRL signed by a CA outside the bundle is refused too.
    const stranger = createTestCa('Stranger CA');
    replace(files.crl, stranger.crl([]));
    await eventually('the second failed reload is logged', async () => gw.logs.filter((l) => l.msg === 'TLS file reload failed; the previous TLS material stays in service' && l.kind === 'crl').length >= 2);
    assert.equal((await call(acme)).status, 403);
    // A good CRL that no longer lists the certificate lifts the revocation.
    replace(files.crl, ca.crl([]));
    await eventually('the certificate is accepted again', async () => (await call(acme)).status === 200);
  });
});

describe('TLS file reload on SIGHUP (no file watch)', () => {
  it('re-reads the CRL when the gateway is told to reload', async () => {
    const ca = createTestCa('Partner CA');
    const acme = ca.issue({ commonName: 'acme-client' });
    const server = ca.issue({ commonName: 'localhost', dns: ['localhost'], ips: ['127.0.0.1'], server: true });
    const dir = mkdtempSync(join(tmpdir(), 'accord-tls-sighup-'));
    const files = { key: join(dir, 'server.key'), cert: join(dir, 'server.crt'), ca: join(dir, 'ca.pem'), crl: join(dir, 'ca.crl') };
    writeFileSync(files.key, server.keyPem);
    writeFileSync(files.cert, server.certPem);
    writeFileSync(files.ca, ca.certPem);
    writeFileSync(files.crl, ca.crl([]));
    const issuer = await createTestIssuer();
    const upstream = await startUpstream(json(200, { ok: true }));
    let gw: TestGateway | undefined;
    try {
      gw = await startTestGateway({
        contracts: { 'partners/1.0.0': PARTNERS },
        config: {
          listen: { host: '127.0.0.1', port: 0, tls: files },
          identityProviders: [issuer.provider('test')],
          apis: [{ id: 'partners', basePath: '/partners', versions: [{ version: '1.0.0', upstream: upstream.url }], auth: { providers: ['test'] }, mtls: { clientCertificates: 'optional' }, responseValidation: 'off' }],
        },
      });
      const url = gw.url;
      const status = async (): Promise<number> => (await tlsRequest(url, '/partners/v1/status', { ca: ca.certPem, cert: acme.certPem, key: acme.keyPem })).status;
      assert.equal(await status(), 200);
      writeFileSync(files.crl, ca.crl([acme.serial]));
      assert.equal(await status(), 200, 'no watch: nothing changes by itself');
      assert.equal(await gw.running.reload('SIGHUP'), true);
      assert.equal(await status(), 403);
    } finally {
      await gw?.stop();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
