/** mTLS configuration: schema and cross-field errors located by pointer and line, and TLS files that cannot be used at start. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { ContractError } from '../../src/contracts/openapi-document.js';
import { startTestGateway, createTestIssuer, type TestIssuer } from '../support/test-gateway.js';
import { createTestCa, type TestCa, type IssuedCertificate } from '../support/test-pki.js';
import { runCli } from '../support/cli.js';
import { configDir, configIssues } from '../support/config-dir.js';
import type { ConfigIssue } from '../../src/config/config-error.js';

const API = `apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
        upstream: http://127.0.0.1:4011
`;
const FINGERPRINT = 'AB:'.repeat(31) + 'AB';

const issuesOf = (yaml: string): ConfigIssue[] => configIssues(yaml);

describe('mTLS configuration', () => {
  it('accepts listen.tls, apis[].mtls and certificate bindings, with defaults', () => {
    const loaded = loadConfig(
      configDir(`version: 1\nlisten:\n  tls:\n    key: server.key\n    cert: server.crt\n    ca: ca.pem\n${API}    mtls: {}\nconsumers:\n  - id: acme\n    certificates:\n      - sha256: ${FINGERPRINT.replace(/:/g, '').toLowerCase()}\n      - subject: { CN: acme, O: Acme }\n      - san: { type: dns, value: acme.example }\n`),
    );
    assert.equal(loaded.config.listen.tls?.minVersion, 'TLSv1.2');
    assert.equal(loaded.config.apis[0]!.mtls?.clientCertificates, 'required');
    assert.equal(loaded.config.consumers[0]!.certificates.length, 3);
  });

  const cases: Array<{ name: string; yaml: string; expect: Array<{ pointer: string; line: number; message: RegExp }> }> = [
    {
      name: 'key without cert',
      yaml: `version: 1\nlisten:\n  tls:\n    key: server.key\n    ca: ca.pem\n${API}`,
      expect: [{ pointer: '/listen/tls/key', line: 4, message: /key and cert are set together/ }],
    },
    {
      name: 'neither an HTTPS listener nor a forwarded-certificate header',
      yaml: `version: 1\nlisten:\n  tls:\n    ca: ca.pem\n${API}`,
      expect: [{ pointer: '/listen/tls', line: 3, message: /set certificateHeader/ }],
    },
    {
      name: 'forwarded-certificate header without trusted proxies',
      yaml: `version: 1\nlisten:\n  tls:\n    ca: ca.pem\n    certificateHeader: X-Forwarded-Client-Cert\n${API}`,
      expect: [{ pointer: '/listen/tls/certificateHeader', line: 5, message: /listen.trustedProxies/ }],
    },
    {
      name: 'TLS older than 1.2',
      yaml: `version: 1\nlisten:\n  tls:\n    key: k\n    cert: c\n    ca: ca.pem\n    minVersion: TLSv1.1\n${API}`,
      expect: [{ pointer: '/listen/tls/minVersion', line: 7, message: /must be one of "TLSv1.2", "TLSv1.3"/ }],
    },
    {
      name: 'client certificates on an API without listen.tls',
      yaml: `version: 1\n${API}    mtls:\n      clientCertificates: required\n`,
      expect: [{ pointer: '/apis/0/mtls', line: 8, message: /need listen.tls/ }],
    },
    {
      name: 'unknown client-certificate mode',
      yaml: `version: 1\nlisten:\n  tls: { key: k, cert: c, ca: ca.pem }\n${API}    mtls:\n      clientCertificates: preferred\n`,
      expect: [{ pointer: '/apis/0/mtls/clientCertificates', line: 11, message: /must be one of "optional", "required"/ }],
    },
    {
      name: 'certificate bindings without listen.tls',
      yaml: `version: 1\n${API}consumers:\n  - id: acme\n    certificates:\n      - sha256: "${FINGERPRINT}"\n`,
      expect: [{ pointer: '/consumers/0/certificates', line: 10, message: /need listen.tls/ }],
    },
    {
      name: 'one fingerprint bound to two consumers (with and without colons)',
      yaml: `version: 1\nlisten:\n  tls: { key: k, cert: c, ca: ca.pem }\n${API}consumers:\n  - id: acme\n    certificates:\n      - sha256: "${FINGERPRINT}"\n  - id: globex\n    certificates:\n      - sha256: "${FINGERPRINT.replace(/:/g, '').toLowerCase()}"\n`,
      expect: [{ pointer: '/consumers/1/certificates/0/sha256', line: 16, message: /already belongs to consumer "acme"/ }],
    },
    {
      name: 'a binding that names two ways at once',
      yaml: `version: 1\nlisten:\n  tls: { key: k, cert: c, ca: ca.pem }\n${API}consumers:\n  - id: acme\n    certificates:\n      - sha256: "${FINGERPRINT}"\n        subject: { CN: acme }\n`,
      expect: [{ pointer: '/consumers/0/certificates/0', line: 13, message: /must NOT have more than 1 properties/ }],
    },
    {
      name: 'a fingerprint that is not SHA-256',
      yaml: `version: 1\nlisten:\n  tls: { key: k, cert: c, ca: ca.pem }\n${API}consumers:\n  - id: acme\n    certificates:\n      - sha256: "AB:CD"\n`,
      expect: [{ pointer: '/consumers/0/certificates/0/sha256', line: 13, message: /must match pattern/ }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml);
      assert.deepEqual(
        issues.map((i) => ({ pointer: i.pointer, line: i.line })),
        c.expect.map((e) => ({ pointer: e.pointer, line: e.line })),
      );
      c.expect.forEach((e, i) => assert.match(issues[i]!.message, e.message));
    });
  }
});

describe('TLS files at start', () => {
  let ca: TestCa;
  let server: IssuedCertificate;
  let other: IssuedCertificate;
  let dir: string;
  let issuer: TestIssuer;
  const contract = join(import.meta.dirname, '..', 'integration', 'fixtures', 'gateway', 'partners-1.0.0.yaml');

  before(async () => {
    issuer = await createTestIssuer();
    ca = createTestCa();
    server = ca.issue({ commonName: 'localhost', server: true });
    other = ca.issue({ commonName: 'other', server: true });
    dir = mkdtempSync(join(tmpdir(), 'accord-tls-files-'));
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'server.key'), server.keyPem);
    writeFileSync(join(dir, 'server.crt'), server.certPem);
    writeFileSync(join(dir, 'other.key'), other.keyPem);
    writeFileSync(join(dir, 'stranger.crl'), createTestCa('Stranger').crl([]));
    writeFileSync(join(dir, 'garbage.pem'), 'hello');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const start = (tls: Record<string, string>, apiExtra: Record<string, unknown> = { mtls: { clientCertificates: 'required' } }) =>
    startTestGateway({
      contracts: { 'partners/1.0.0': contract },
      config: {
        listen: { host: '127.0.0.1', port: 0, tls: Object.fromEntries(Object.entries(tls).map(([k, v]) => [k, join(dir, v)])) },
        identityProviders: [issuer.provider('test')],
        apis: [{ id: 'partners', basePath: '/partners', versions: [{ version: '1.0.0', upstream: 'http://127.0.0.1:1' }], auth: { providers: ['test'] }, ...apiExtra }],
      },
    });

  const failures: Array<{ name: string; tls: Record<string, string>; pointer: string; message: RegExp }> = [
    { name: 'a CA bundle that does not exist', tls: { key: 'server.key', cert: 'server.crt', ca: 'missing.pem' }, pointer: '/listen/tls/ca', message: /cannot read .*missing\.pem: ENOENT/ },
    { name: 'a CA bundle without certificates', tls: { key: 'server.key', cert: 'server.crt', ca: 'garbage.pem' }, pointer: '/listen/tls/ca', message: /not a PEM certificate bundle/ },
    { name: 'a key that does not belong to the certificate', tls: { key: 'other.key', cert: 'server.crt', ca: 'ca.pem' }, pointer: '/listen/tls/key', message: /other\.key with .*server\.crt/ },
    { name: 'a CRL that is not a CRL', tls: { key: 'server.key', cert: 'server.crt', ca: 'ca.pem', crl: 'garbage.pem' }, pointer: '/listen/tls/crl', message: /not a CRL/ },
    { name: 'a CRL signed by a CA outside the bundle', tls: { key: 'server.key', cert: 'server.crt', ca: 'ca.pem', crl: 'stranger.crl' }, pointer: '/listen/tls/crl', message: /not signed by any CA/ },
  ];
  for (const f of failures) {
    it(`refuses to start with ${f.name}`, async () => {
      await assert.rejects(start(f.tls), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.issues[0]!.pointer, f.pointer);
        assert.ok(typeof error.issues[0]!.line === 'number');
        assert.match(error.issues[0]!.message, f.message);
        return true;
      });
    });
  }

  it('`accord config validate` reads the TLS files as the start does', () => {
    const yaml = (ca: string): string =>
      `version: 1\nlisten:\n  tls:\n    key: ${join(dir, 'server.key')}\n    cert: ${join(dir, 'server.crt')}\n    ca: ${join(dir, ca)}\napis:\n  - id: orders\n    basePath: /orders\n    versions: [{ version: 1.0.0, upstream: "http://127.0.0.1:1" }]\n`;
    const good = runCli(['config', 'validate', '--config', configDir(yaml('ca.pem'))]);
    assert.equal(good.status, 0, good.stdout + good.stderr);
    const bad = runCli(['config', 'validate', '--config', configDir(yaml('missing.pem'))]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /gateway\.yaml:6: \/listen\/tls\/ca: cannot read .*missing\.pem: ENOENT/);
  });

  it('refuses a contract whose security admits mutualTLS on an API without mtls', async () => {
    await assert.rejects(start({ key: 'server.key', cert: 'server.crt', ca: 'ca.pem' }, {}), (error: unknown) => {
      assert.ok(error instanceof ContractError, String(error));
      assert.match(error.message, /admits mutualTLS but API "partners" has no mtls configured/);
      return true;
    });
  });
});
