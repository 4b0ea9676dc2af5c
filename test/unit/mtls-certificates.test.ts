/** Reading certificates and revocation lists: CRLs in PEM and DER, their signer, and forwarded-certificate header values. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { parseCrlFile, issuerOf } from '../../src/gateway/policies/mtls/crl.js';
import { DerError, normaliseSerial } from '../../src/gateway/policies/mtls/der.js';
import { certificateFromHeader } from '../../src/gateway/policies/mtls/certificate-header.js';
import { parseSubjectAltName } from '../../src/gateway/policies/mtls/client-certificates.js';
import { normaliseFingerprint } from '../../src/gateway/policies/mtls/certificate-binding.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-pki.js';

describe('certificate revocation lists', () => {
  let ca: TestCa;
  let other: TestCa;
  let leaf: IssuedCertificate;

  before(() => {
    ca = createTestCa('CRL CA');
    other = createTestCa('Other CA');
    leaf = ca.issue({ commonName: 'leaf' });
  });

  it('reads a PEM CRL: revoked serials, dates, signer', () => {
    const [list, ...rest] = parseCrlFile(Buffer.from(ca.crl([leaf.serial, '00ff', '7f']) as string));
    assert.equal(rest.length, 0);
    assert.deepEqual([...list!.revoked].sort(), [normaliseSerial(leaf.serial), 'FF', '7F'].sort());
    assert.ok(list!.nextUpdate! > list!.thisUpdate);
    const anchors = [new X509Certificate(other.certPem), new X509Certificate(ca.certPem)];
    assert.equal(issuerOf(list!, anchors)?.fingerprint256, ca.fingerprint256);
    assert.equal(issuerOf(list!, [new X509Certificate(other.certPem)]), undefined);
  });

  it('reads a DER CRL and a PEM file with several CRLs', () => {
    const der = parseCrlFile(ca.crl([leaf.serial], { der: true }) as Buffer);
    assert.deepEqual([...der[0]!.revoked], [normaliseSerial(leaf.serial)]);
    const both = parseCrlFile(Buffer.from(`${ca.crl([leaf.serial]) as string}${other.crl([]) as string}`));
    assert.equal(both.length, 2);
    assert.equal(both[1]!.revoked.size, 0);
  });

  const broken: Array<{ name: string; data: () => Buffer; message: RegExp }> = [
    { name: 'not DER at all', data: () => Buffer.from('hello world'), message: /./ },
    { name: 'truncated', data: () => (ca.crl([leaf.serial], { der: true }) as Buffer).subarray(0, 100), message: /runs past|truncated/ },
    { name: 'PEM of another kind', data: () => Buffer.from(ca.certPem), message: /no "X509 CRL" block/ },
    { name: 'empty', data: () => Buffer.alloc(0), message: /truncated/ },
  ];
  for (const b of broken) {
    it(`refuses a CRL file that is ${b.name}`, () => {
      assert.throws(() => parseCrlFile(b.data()), (error: unknown) => error instanceof DerError && b.message.test(error.message));
    });
  }

  it('normalises serial numbers and fingerprints for comparison', () => {
    assert.equal(normaliseSerial('00a1'), 'A1');
    assert.equal(normaliseSerial('0'), '0');
    assert.equal(normaliseFingerprint('ab'.repeat(32)), Array(32).fill('AB').join(':'));
  });
});

describe('forwarded client certificates', () => {
  let leaf: IssuedCertificate;
  before(() => {
    leaf = createTestCa('Header CA').issue({ commonName: 'partner' });
  });

  const der = (): string => new X509Certificate(leaf.certPem).raw.toString('base64');
  const cases: Array<{ name: string; value: () => string; readable: boolean }> = [
    { name: 'URL-encoded PEM (nginx $ssl_client_escaped_cert)', value: () => encodeURIComponent(leaf.certPem), readable: true },
    { name: 'PEM with its line breaks folded into spaces (nginx $ssl_client_cert)', value: () => leaf.certPem.replace(/\n/g, ' '), readable: true },
    { name: 'Envoy XFCC with a quoted Cert', value: () => `By=spiffe://a;Hash=00;Cert="${encodeURIComponent(leaf.certPem)}";Subject="CN=partner"`, readable: true },
    { name: 'Envoy XFCC: the last element is the nearest proxy\'s', value: () => `By=x;Cert=garbage,By=y;Cert=${encodeURIComponent(leaf.certPem)}`, readable: true },
    { name: 'base64 DER (Traefik)', value: der, readable: true },
    { name: 'RFC 9440 Client-Cert byte sequence', value: () => `:${der()}:`, readable: true },
    { name: 'RFC 9440 byte sequence that is not a certificate', value: () => ':aGVsbG8=:', readable: false },
    { name: 'bad percent-encoding', value: () => '%E0%A4%A', readable: false },
    { name: 'no certificate', value: () => 'hello', readable: false },
    { name: 'a PEM block that is not a certificate', value: () => encodeURIComponent('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), readable: false },
  ];
  for (const c of cases) {
    it(`${c.readable ? 'reads' : 'finds nothing in'} ${c.name}`, () => {
      const found = certificateFromHeader(c.value());
      if (c.readable) assert.equal(found?.fingerprint256, leaf.fingerprint256);
      else assert.equal(found, undefined);
    });
  }

  it('reads subjectAltName entries, quoted values included', () => {
    assert.deepEqual([...parseSubjectAltName('DNS:A.Example, URI:spiffe://acme/x, email:a@b.example, IP Address:127.0.0.1, DNS:"x,y.example"')], [
      'dns:a.example',
      'uri:spiffe://acme/x',
      'email:a@b.example',
      'ip:127.0.0.1',
      'dns:x,y.example',
    ]);
  });
});
