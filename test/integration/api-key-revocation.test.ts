/**
 * Revocation across instances: two gateways share one key store (the file under one data
 * directory, or one PostgreSQL schema); a key revoked through the store is refused by both
 * (each polled with a bounded loop, never timed).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';
import { openKeyStore } from '../../src/gateway/policies/auth/stores/open-store.js';
import type { ApiKeysConfig } from '../../src/gateway/policies/auth/api-keys-schema.js';
import { POSTGRES_URL, dropSchema, skipUnlessPostgres, uniqueSchema } from '../support/pg-test-schema.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'gateway', 'partner-keys-1.0.0.yaml');
const postgresSkip = await skipUnlessPostgres();
/** The variable the PostgreSQL case names in its config, so the test does not depend on DATABASE_URL being set. */
const URL_ENV = 'ACCORD_TEST_KEYS_DATABASE_URL';

/** Polls until `done` holds; bounded, never timed. */
async function eventually(probe: () => Promise<RawResponse>, done: (r: RawResponse) => boolean): Promise<RawResponse> {
  let last = await probe();
  for (let attempt = 0; attempt < 100 && !done(last); attempt++) {
    await sleep(25);
    last = await probe();
  }
  return last;
}

const kinds: Array<{ name: string; skip: string | false; settings: () => Partial<ApiKeysConfig> & { store: 'file' | 'postgres' }; cleanup: () => Promise<void> }> = [];
{
  kinds.push({ name: 'file store shared through one data directory', skip: false, settings: () => ({ store: 'file' }), cleanup: async () => {} });
  const schema = uniqueSchema('accord_revoke_test');
  kinds.push({
    name: 'PostgreSQL store shared through one schema',
    skip: postgresSkip,
    settings: () => ({ store: 'postgres', postgres: { urlEnv: URL_ENV, schema } }),
    cleanup: () => dropSchema(schema),
  });
}

for (const kind of kinds) {
  describe(`revocation across two gateway instances: ${kind.name}`, { skip: kind.skip }, () => {
    let upstream: TestUpstream;
    let dataDir: string;
    const gateways: TestGateway[] = [];

    before(async () => {
      process.env[URL_ENV] = POSTGRES_URL;
      dataDir = mkdtempSync(join(tmpdir(), 'accord-shared-data-'));
      upstream = await startUpstream(json(200, { ok: true }));
      for (let i = 0; i < 2; i++) {
        gateways.push(
          await startTestGateway({
            dataDir,
            contracts: { 'partner/1.0.0': FIXTURE },
            config: {
              listen: { host: '127.0.0.1', port: 0 },
              consumers: [{ id: 'acme', entitlements: [{ api: 'partner' }] }],
              apiKeys: kind.settings(),
              apis: [{ id: 'partner', basePath: '/partner', versions: [{ version: '1.0.0' }], upstream: { url: upstream.url }, responseValidation: 'off', auth: { providers: ['dev'] } }],
              devIssuer: { enabled: true },
            },
          }),
        );
      }
    });
    after(async () => {
      for (const gw of gateways) await gw.stop();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
      await kind.cleanup();
    });

    it('refuses a revoked key on both instances, while another key of the consumer goes on working', async () => {
      const settings = { store: 'file', file: 'api-keys.json', postgres: { urlEnv: URL_ENV, schema: 'accord' }, maxStalenessMs: 5000, ...kind.settings() } as ApiKeysConfig;
      const store = openKeyStore(settings, dataDir);
      try {
        const doomed = await store.create({ consumer: 'acme' });
        const kept = await store.create({ consumer: 'acme' });
        const call = (gw: TestGateway, key: string) => (): Promise<RawResponse> => rawRequest(gw.url, 'GET', '/partner/v1/by-header', { headers: { 'x-api-key': key } });
        for (const gw of gateways) {
          assert.equal((await eventually(call(gw, doomed.key), (r) => r.status === 200)).status, 200);
          assert.equal((await eventually(call(gw, kept.key), (r) => r.status === 200)).status, 200);
        }
        await store.revoke(doomed.record.id);
        for (const [i, gw] of gateways.entries()) {
          const refused = await eventually(call(gw, doomed.key), (r) => r.status === 401);
          assert.equal(refused.status, 401, `instance ${i} still accepts the revoked key`);
          assert.equal(refused.json?.code, 'AUTH_KEY_INVALID');
          assert.equal((await call(gw, kept.key)()).status, 200);
        }
      } finally {
        await store.close();
      }
    });
  });
}
