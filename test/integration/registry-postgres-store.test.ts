/**
 * The PostgreSQL registry store against the shared store suite, on the real database of
 * DATABASE_URL (one schema per run, dropped after), plus migrations, the append-only audit
 * table, and a LISTEN connection killed under the store.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PostgresRegistryStore } from '../../src/registry/store/postgres-store.js';
import { registryStoreSuite } from '../support/registry-store-suite.js';
import { DATABASE_URL, postgresSkip, uniqueName } from '../support/services.js';

const skip = await postgresSkip();

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

if (skip) {
  describe('registry store contract: postgres', { skip }, () => undefined);
} else {
  registryStoreSuite('postgres', async () => {
    const schema = uniqueName('accord_registry');
    return {
      store: await PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema }),
      peer: () => PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema }),
      cleanup: () => dropSchema(schema),
    };
  });
}

describe('PostgreSQL registry store', { skip }, () => {
  const schema = uniqueName('accord_registry');
  let store: PostgresRegistryStore;
  let admin: pg.Client;
  const record = (version: string) => ({ api: 'orders', version, status: 'published' as const, digest: `sha256:${version}`, format: 'yaml' as const, publishedAt: '2026-12-01T00:00:00.000Z' });
  const entry = (version: string) => ({ at: '2026-12-01T00:00:00.000Z', actor: { provider: 'dev', subject: 'owner' }, action: 'register' as const, api: 'orders', version });

  before(async () => {
    store = await PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema, maxReconnectDelayMs: 200 });
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
  });
  after(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('records its migrations and applies them once, even when instances start together', async () => {
    const others = await Promise.all([1, 2, 3].map(() => PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema })));
    await Promise.all(others.map((s) => s.close()));
    const rows = (await admin.query(`SELECT version FROM "${schema}".migrations ORDER BY version`)).rows;
    assert.deepEqual(rows, [{ version: 1 }, { version: 2 }]);
  });

  it('refuses to run on a schema newer than it knows', async () => {
    const newer = uniqueName('accord_registry');
    const s = await PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema: newer });
    await s.close();
    try {
      await admin.query(`INSERT INTO "${newer}".migrations (version) VALUES (99)`);
      await assert.rejects(PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema: newer }), /is at migration 99, newer than this Accord knows \(2\): upgrade Accord/);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${newer}" CASCADE`);
    }
  });

  it('keeps the audit table append-only', async () => {
    await store.put(record('1.0.0'), 'doc', entry('1.0.0'));
    for (const statement of [`UPDATE "${schema}".audit SET api = 'x'`, `DELETE FROM "${schema}".audit`, `TRUNCATE "${schema}".audit`]) {
      await assert.rejects(admin.query(statement), /the audit log is append-only/, statement);
    }
    assert.equal((await store.audit({ limit: 10 })).entries.length, 1);
  });

  it('reconnects its LISTEN connection and re-reads what it missed', async () => {
    let notified = 0;
    const states: string[] = [];
    const watcher = await PostgresRegistryStore.open({ connectionString: DATABASE_URL, schema, maxReconnectDelayMs: 200, onListenerState: (s) => states.push(s) });
    try {
      watcher.watch(() => notified++);
      let pid: number | undefined;
      for (let i = 0; i < 100 && pid === undefined; i++) {
        pid = await watcher.listenerPid();
        if (pid === undefined) await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(pid !== undefined, 'listening');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // A change while the listener is down: nobody is notified of it, so the reconnection must re-read.
      await store.put(record('2.0.0'), 'doc', entry('2.0.0'));
      for (let i = 0; i < 200 && !states.includes('restored'); i++) await new Promise((r) => setTimeout(r, 25));
      assert.deepEqual(states.slice(0, 2), ['lost', 'restored']);
      assert.ok(notified > 0, 'listeners were told to re-read');
      const before = notified;
      await store.put(record('3.0.0'), 'doc', entry('3.0.0'));
      for (let i = 0; i < 100 && notified === before; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(notified > before, 'notifications flow again after the reconnection');
    } finally {
      await watcher.close();
    }
  });
});
