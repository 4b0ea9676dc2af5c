/**
 * Registration through the governance gate, with the shipped ruleset and the example contracts:
 * published versions are immutable, lint errors and breaking changes within a major are rejected
 * with every finding, a new major may break, an owner's override is audited, and unusable
 * documents are refused with a reason. Then the lifecycle: deprecation, retirement, sunset.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ruleset } from '@stoplight/spectral-core';
import { loadRuleset } from '../../src/governance/lint/index.js';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import { registerVersion, type RegistrationResult } from '../../src/registry/register-version.js';
import { deprecateVersion, retireSunsetVersions, retireVersion } from '../../src/registry/lifecycle.js';

const CONTRACTS = join(import.meta.dirname, '..', '..', 'contracts', 'orders');
const V1 = readFileSync(join(CONTRACTS, '1.0.0.yaml'), 'utf8');
const V2 = readFileSync(join(CONTRACTS, '2.0.0.yaml'), 'utf8');
const OWNER = { provider: 'dev', subject: 'orders-team' };
const NOW = new Date('2026-12-03T12:00:00.000Z');

const withVersion = (text: string, version: string): string => text.replace(/^  version: \d+\.\d+\.\d+$/m, `  version: ${version}`);

describe('registering contract versions', () => {
  let dir: string;
  let store: FileRegistryStore;
  let ruleset: Ruleset;
  const register = (document: string, overrideReason?: string, api = 'orders'): Promise<RegistrationResult> => registerVersion(store, ruleset, { api, document, actor: OWNER, overrideReason }, NOW);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-registry-'));
    store = new FileRegistryStore(dir);
    ruleset = await loadRuleset();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a first version that passes lint', async () => {
    const result = await register(V1);
    assert.equal(result.kind, 'created', JSON.stringify(result));
    if (result.kind !== 'created') return;
    assert.equal(result.record.version, '1.0.0');
    assert.equal(result.record.status, 'published');
    assert.match(result.record.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(await store.document('orders', '1.0.0'), V1, 'the bytes as registered');
  });

  it('is idempotent for identical content and refuses other content for a published version', async () => {
    assert.equal((await register(V1)).kind, 'identical');
    const edited = await register(V1.replace('Order management for partners', 'Order handling for partners'));
    assert.equal(edited.kind, 'conflict');
    assert.equal((await store.audit({ limit: 100 })).entries.length, 1, 'neither was audited');
  });

  it('rejects a breaking change within a major with every finding, located', async () => {
    const breaking = withVersion(V1, '1.1.0').replace('  /catalogue-items:', '  /catalog-items:');
    const result = await register(breaking);
    assert.equal(result.kind, 'rejected');
    if (result.kind !== 'rejected') return;
    const ids = result.findings.filter((f) => f.severity === 'error').map((f) => f.id);
    assert.ok(ids.includes('api-path-removed-without-deprecation'), ids.join(', '));
    assert.ok(ids.includes('contract-breaking-change-without-major-bump'), ids.join(', '));
    const removed = result.findings.find((f) => f.id === 'api-path-removed-without-deprecation')!;
    assert.equal(removed.operation, 'GET /catalogue-items');
    assert.equal(removed.location.file, 'orders/1.0.0.yaml', 'a removal points into the base version');
    assert.equal(typeof removed.location.line, 'number');
    assert.equal(await store.get('orders', '1.1.0'), undefined, 'nothing stored');
  });

  it('rejects lint errors, naming rule, pointer and line in the registered document', async () => {
    const result = await register(withVersion(V1, '1.1.0').replace('https://api.acme-retail.example/orders/v1', 'http://api.acme-retail.example/orders/v1'));
    assert.equal(result.kind, 'rejected');
    if (result.kind !== 'rejected') return;
    const lint = result.findings.find((f) => f.id === 'accord-servers-https');
    assert.ok(lint, result.findings.map((f) => f.id).join(', '));
    assert.equal(lint.location.file, 'orders/1.1.0.yaml');
    assert.equal(lint.location.pointer, '/servers/0/url');
    assert.equal(lint.location.line, 17);
  });

  it('publishes a compatible minor, then a new major that breaks', async () => {
    assert.equal((await register(withVersion(V1, '1.1.0'))).kind, 'created');
    const major = await register(V2);
    assert.equal(major.kind, 'created', JSON.stringify(major).slice(0, 500));
    if (major.kind !== 'created') return;
    assert.ok(major.findings.some((f) => f.source === 'diff' && /allowed: 2\.0\.0 is a new major version/.test(f.message)), 'the breaking changes come back as warnings');
  });

  it('lets an owner override a rejection only with a reason, and audits the reason', async () => {
    const breaking = withVersion(V1, '1.2.0').replace('  /catalogue-items:', '  /catalog-items:');
    assert.equal((await register(breaking, '   ')).kind, 'rejected', 'a blank reason is no reason');
    const result = await register(breaking, 'the path was never used; agreed with all partners (CHG-1234)');
    assert.equal(result.kind, 'created');
    const entry = (await store.audit({ limit: 100, api: 'orders' })).entries.at(-1)!;
    assert.equal(entry.version, '1.2.0');
    assert.equal(entry.overrideReason, 'the path was never used; agreed with all partners (CHG-1234)');
    assert.ok(entry.governance!.errors > 0);
    assert.ok(entry.governance!.blocking.includes('api-path-removed-without-deprecation'));
    assert.deepEqual(entry.actor, OWNER);
  });

  const invalid: Array<{ name: string; document: string; api?: string; detail: RegExp; pointer?: string }> = [
    { name: 'not YAML', document: 'openapi: [3.1.0\n', detail: /YAML|flow|sequence/i },
    { name: 'not OpenAPI', document: 'swagger: "2.0"\ninfo: { title: x, version: 1.0.0 }\npaths: {}\n', detail: /OpenAPI 3\.0|openapi/ },
    { name: 'no semver version', document: withVersion(V1, '1.0.0').replace('  version: 1.0.0', '  version: "2026-12-01"'), detail: /info\.version must be a semantic version/, pointer: '/info/version' },
    { name: 'a $ref to another file', document: withVersion(V1, '1.5.0').replace("$ref: '#/components/parameters/Limit'", "$ref: 'parameters.yaml#/Limit'"), detail: /refers to another file \(\$ref "parameters\.yaml#\/Limit"\)/, pointer: '/paths/~1orders/get/parameters/0/$ref' },
    { name: 'a bad API id', document: V1, api: 'Orders_API', detail: /API id "Orders_API" must match/ },
    // Lint lets a lookahead through (it is valid ECMA-262), but the gateway evaluates patterns in linear time and cannot serve it.
    { name: 'a pattern the gateway cannot evaluate', document: withVersion(V1, '1.6.0').replace("pattern: '^ord_[0-9A-Za-z]{16}$'", () => "pattern: '^(?=ord_)[0-9A-Za-z_]{20}$'"), detail: /the gateway cannot serve this contract: .*lookahead/ },
  ];
  for (const c of invalid) {
    it(`refuses an unusable document: ${c.name}`, async () => {
      const result = await register(c.document, undefined, c.api);
      assert.equal(result.kind, 'invalid', JSON.stringify(result).slice(0, 300));
      if (result.kind !== 'invalid') return;
      assert.match(result.detail, c.detail);
      if (c.pointer) assert.equal(result.pointer, c.pointer);
    });
  }

  it('deprecates with a sunset and successor, retires, and retires automatically at sunset', async () => {
    const bad = await deprecateVersion(store, 'orders', '1.1.0', { sunset: '2026-01-01T00:00:00Z' }, OWNER, NOW);
    assert.equal(bad.kind, 'invalid');
    const unknownSuccessor = await deprecateVersion(store, 'orders', '1.1.0', { successor: '3.0.0' }, OWNER, NOW);
    assert.equal(unknownSuccessor.kind, 'invalid');
    const deprecated = await deprecateVersion(store, 'orders', '1.1.0', { sunset: '2027-01-01T00:00:00Z', successor: '2.0.0' }, OWNER, NOW);
    assert.equal(deprecated.kind, 'changed');
    assert.equal((await store.get('orders', '1.1.0'))?.sunset, '2027-01-01T00:00:00.000Z');
    assert.deepEqual(await retireSunsetVersions(store, NOW), [], 'sunset not reached');
    const retired = await retireSunsetVersions(store, new Date('2027-01-01T00:00:00.001Z'));
    assert.deepEqual(retired.map((r) => r.record.version), ['1.1.0']);
    const entry = (await store.audit({ limit: 100 })).entries.at(-1)!;
    assert.equal(entry.action, 'retire');
    assert.equal(entry.trigger, 'sunset');
    assert.equal((await retireVersion(store, 'orders', '1.1.0', OWNER, NOW)).kind, 'wrong-state', 'retired is final');
    assert.equal((await retireVersion(store, 'orders', '1.0.0', OWNER, NOW)).kind, 'changed');
  });
});
