/**
 * The admin API's own OpenAPI document: it passes `accord lint` with the default ruleset without
 * errors, compiles with the gateway's validators, and describes exactly the routes the admin
 * listener mounts (walking the Express router), no more and no fewer.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ADMIN_OPENAPI_FILE, ADMIN_OPENAPI_TEXT } from '../../src/admin/admin-openapi.js';
import { AdminRequestValidator } from '../../src/admin/admin-request-validation.js';
import { createAdminApp } from '../../src/admin/server.js';
import { loadRuleset, lintDocument } from '../../src/governance/lint/index.js';
import { fileKeyStore } from '../../src/gateway/policies/auth/stores/file-store.js';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';
import { RegistryService } from '../../src/registry/registry-service.js';
import { createMetrics } from '../../src/observability/metrics.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every `METHOD /path` an Express router serves, paths in OpenAPI form (`{param}`). */
function routesOf(stack: readonly Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    const raw = typeof layer.rawPath === 'string' ? layer.rawPath : '';
    if (layer.route) {
      const path = `${prefix}${layer.route.path}`.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push(`${method.toUpperCase()} ${path}`);
    } else if (layer.handle?.stack) out.push(...routesOf(layer.handle.stack, `${prefix}${raw === '/' ? '' : raw}`));
  }
  return out;
}

describe('the admin OpenAPI document', () => {
  let dir: string;
  let registryStore: FileRegistryStore;
  let keyStore: ReturnType<typeof fileKeyStore>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-admin-doc-'));
    registryStore = new FileRegistryStore(join(dir, 'registry'));
    keyStore = fileKeyStore({ path: join(dir, 'api-keys.json') });
  });
  after(async () => {
    await registryStore.close();
    await keyStore.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes accord lint with the default ruleset without errors', async () => {
    const findings = await lintDocument(await loadRuleset(), join(dir, ADMIN_OPENAPI_FILE), ADMIN_OPENAPI_TEXT);
    const errors = findings.filter((f) => f.severity === 'error');
    assert.deepEqual(errors.map((f) => `${f.id} ${f.location.pointer}: ${f.message}`), []);
  });

  it('describes every mounted route and mounts every described one', async () => {
    const app = createAdminApp({
      auth: { authenticator: () => undefined, providers: () => [], scope: () => 'accord:admin' },
      deps: {
        logger: pino({ level: 'silent' }),
        usage: undefined,
        keys: { store: keyStore, isDeclaredConsumer: () => true },
        registry: new RegistryService(registryStore, await loadRuleset()),
        metrics: createMetrics({ processMetrics: false }),
      },
    });
    const mounted = new Set(routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack));
    const described = new Set(new AdminRequestValidator().described.map((o) => `${o.method} ${o.path}`));
    assert.equal(mounted.size, 23, `walked the router: ${[...mounted].join(', ')}`);
    assert.deepEqual([...mounted].filter((r) => !described.has(r)).sort(), [], 'mounted but not described');
    assert.deepEqual([...described].filter((r) => !mounted.has(r)).sort(), [], 'described but not mounted');
  });

  it('routes a request to its operation, literal segments before parameters', () => {
    const validator = new AdminRequestValidator();
    const cases: Array<[string, string, string | undefined]> = [
      ['GET', '/admin/apis', 'listApis'],
      ['POST', '/admin/apis/orders/versions', 'registerVersion'],
      ['GET', '/admin/apis/orders/versions/1.0.0/document', 'getVersionDocument'],
      ['HEAD', '/admin/apis/orders/diff', 'diffVersions'],
      ['POST', '/keys/0123456789abcdef/revoke', 'revokeKey'],
      ['DELETE', '/keys/0123456789abcdef', 'deleteKey'],
      ['GET', '/admin/openapi.json', 'getAdminOpenApi'],
      ['PUT', '/admin/apis', undefined],
      ['GET', '/nowhere', undefined],
    ];
    for (const [method, path, operationId] of cases) assert.equal(validator.match(method, path)?.op.operationId, operationId, `${method} ${path}`);
  });
});
