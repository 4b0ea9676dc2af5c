/**
 * One suite run against every API key store (file, PostgreSQL): issue, list, revoke, input
 * checks, what is stored (never the key), concurrent writers, and a second instance following
 * the same store seeing new keys and revocations; verification through ApiKeyVerifier.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { fileKeyStore } from '../../src/gateway/policies/auth/stores/file-store.js';
import { postgresKeyStore } from '../../src/gateway/policies/auth/stores/postgres-store.js';
import { KeyStoreInputError, type ApiKeyStore } from '../../src/gateway/policies/auth/stores/key-store.js';
import { ApiKeyVerifier } from '../../src/gateway/policies/auth/api-key-verifier.js';
import { keyIdOf } from '../../src/gateway/policies/auth/api-key-format.js';
import { POSTGRES_URL, dropSchema, skipUnlessPostgres, uniqueSchema } from '../support/pg-test-schema.js';

/** A store kind under test: opens instances on one shared backing, and reads the raw stored text. */
interface StoreKind {
  name: string;
  skip: string | false;
  setup(): Promise<void>;
  open(): ApiKeyStore;
  rawStored(): Promise<string>;
  teardown(): Promise<void>;
}

const postgresSkip = await skipUnlessPostgres();

function fileKind(): StoreKind {
  let dir = '';
  return {
    name: 'file store',
    skip: false,
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'accord-keys-'));
    },
    open: () => fileKeyStore({ path: join(dir, 'api-keys.json'), pollMs: 50 }),
    rawStored: async () => readFileSync(join(dir, 'api-keys.json'), 'utf8'),
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresKind(): StoreKind {
  const schema = uniqueSchema('accord_keys_test');
  return {
    name: 'PostgreSQL store',
    skip: postgresSkip,
    async setup() {},
    open: () => postgresKeyStore({ connectionString: POSTGRES_URL, schema, pollMs: 50 }),
    async rawStored() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT row_to_json(k)::text AS row FROM "${schema}".api_keys k`);
        return rows.map((r: { row: string }) => r.row).join('\n');
      } finally {
        await client.end();
      }
    },
    async teardown() {
      await dropSchema(schema);
    },
  };
}

/** Polls until `done`; bounded, never timed. */
async function eventually(done: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 100 && !done(); attempt++) await sleep(20);
  return done();
}

for (const kind of [fileKind(), postgresKind()]) {
  describe(kind.name, { skip: kind.skip }, () => {
    let store: ApiKeyStore;
    let follower: ApiKeyStore;
    before(async () => {
      await kind.setup();
      store = kind.open();
      follower = kind.open();
      await follower.follow();
    });
    after(async () => {
      await store.close();
      await follower.close();
      await kind.teardown();
    });

    it('issues a key shown once: acc_<16 hex>_<43 base64url>, with a public record', async () => {
      const issued = await store.create({ consumer: 'acme' });
      assert.match(issued.key, /^acc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      assert.equal(keyIdOf(issued.key), issued.record.id);
      assert.deepEqual(Object.keys(issued.record).sort(), ['consumer', 'createdAt', 'expiresAt', 'id', 'revokedAt']);
      assert.equal(issued.record.consumer, 'acme');
      assert.equal(issued.record.expiresAt, null);
      assert.equal(issued.record.revokedAt, null);
    });

    it('stores a salted hash only: neither the key nor its secret is in the store', async () => {
      const issued = await store.create({ consumer: 'acme' });
      const raw = await kind.rawStored();
      assert.ok(raw.includes(issued.record.id));
      assert.ok(!raw.includes(issued.key));
      assert.ok(!raw.includes(issued.key.slice(21)));
    });

    it('lists keys oldest first, of every consumer or of one, without secrets', async () => {
      const globex = await store.create({ consumer: 'globex', expiresAt: new Date(Date.now() + 86_400_000) });
      const all = await store.list();
      assert.ok(all.length >= 3);
      assert.ok(all.every((r) => !('hash' in r) && !('salt' in r)));
      const only = await store.list({ consumer: 'globex' });
      assert.deepEqual(only, [globex.record]);
      assert.equal(only[0]!.expiresAt, globex.record.expiresAt);
    });

    const refusals: Array<{ name: string; run: (s: ApiKeyStore) => Promise<unknown>; message: RegExp }> = [
      { name: 'a consumer id no consumer can have', run: (s) => s.create({ consumer: 'Not/Valid' }), message: /"Not\/Valid" is not a consumer id/ },
      { name: 'an expiry in the past', run: (s) => s.create({ consumer: 'acme', expiresAt: new Date(Date.now() - 1000) }), message: /is not in the future/ },
      { name: 'revoking something that is not a key id', run: (s) => s.revoke('acc_nope'), message: /"acc_nope" is not a key id/ },
    ];
    for (const r of refusals) {
      it(`refuses ${r.name}`, async () => {
        await assert.rejects(r.run(store), (error: unknown) => error instanceof KeyStoreInputError && r.message.test(error.message));
      });
    }

    it('revokes a key once (a second revocation keeps the first time) and answers undefined for an unknown id', async () => {
      const issued = await store.create({ consumer: 'acme' });
      const first = await store.revoke(issued.record.id);
      assert.ok(first?.revokedAt);
      const second = await store.revoke(issued.record.id);
      assert.equal(second?.revokedAt, first.revokedAt);
      assert.equal(await store.revoke('0000000000000000'), undefined);
    });

    it('keeps every key written by concurrent writers', async () => {
      const before = (await store.list()).length;
      const issued = await Promise.all(Array.from({ length: 8 }, (_, i) => store.create({ consumer: `writer-${i}` })));
      const ids = new Set((await store.list()).map((r) => r.id));
      assert.equal(ids.size, before + 8);
      for (const k of issued) assert.ok(ids.has(k.record.id));
    });

    it('lets another instance following the store see a new key, then its revocation, through the verifier', async () => {
      const verifier = new ApiKeyVerifier(() => follower, { maxStalenessMs: 60_000 });
      verifier.require();
      await verifier.ready();
      const issued = await store.create({ consumer: 'acme' });
      assert.ok(await eventually(() => verifier.verify(issued.key).ok), 'the follower sees the new key');
      assert.deepEqual(verifier.verify(issued.key), { ok: true, id: issued.record.id, consumer: 'acme' });
      await store.revoke(issued.record.id);
      assert.ok(await eventually(() => !verifier.verify(issued.key).ok), 'the follower sees the revocation');
      assert.deepEqual(verifier.verify(issued.key), { ok: false, reason: 'revoked', id: issued.record.id });
    });

    it('judges keys by expiry, shape, id and secret', async () => {
      let now = Date.now();
      const verifier = new ApiKeyVerifier(() => follower, { maxStalenessMs: 3_600_000, now: () => now });
      verifier.require();
      await verifier.ready();
      const expiring = await store.create({ consumer: 'acme', expiresAt: new Date(now + 60_000) });
      assert.ok(await eventually(() => verifier.verify(expiring.key).ok));
      const cases: Array<{ name: string; key: string; at: number; reason?: string }> = [
        { name: 'valid before expiry', key: expiring.key, at: now + 59_000 },
        { name: 'expired', key: expiring.key, at: now + 60_000, reason: 'expired' },
        { name: 'malformed', key: 'acc_123', at: now, reason: 'malformed' },
        { name: 'unknown id', key: `acc_ffffffffffffffff_${'A'.repeat(43)}`, at: now, reason: 'unknown' },
        { name: 'wrong secret', key: `${expiring.key.slice(0, 21)}${'A'.repeat(43)}`, at: now, reason: 'mismatch' },
      ];
      const start = now;
      for (const c of cases) {
        now = c.at;
        const verdict = verifier.verify(c.key);
        assert.equal(verdict.ok ? undefined : verdict.reason, c.reason, c.name);
        now = start;
      }
    });

    it('answers unavailable once the store has not been read for longer than allowed', async () => {
      let now = Date.now();
      const verifier = new ApiKeyVerifier(() => follower, { maxStalenessMs: 1000, now: () => now });
      verifier.require();
      await verifier.ready();
      now = follower.lastReadAt() + 60_000;
      assert.deepEqual(verifier.verify(`acc_ffffffffffffffff_${'A'.repeat(43)}`), { ok: false, reason: 'unavailable' });
    });
  });
}
