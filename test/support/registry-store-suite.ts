/** The contract every registry store keeps, as one suite that each store's test file runs against its own store. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RegistryStore } from '../../src/registry/store/registry-store.js';
import type { NewAuditEntry, VersionRecord } from '../../src/registry/model.js';

/** A fresh, empty store, and a second handle on the same storage (another process's view). */
export interface StoreFixture {
  store: RegistryStore;
  /** Opens another store on the same storage (as a second gateway instance would). */
  peer(): Promise<RegistryStore>;
  cleanup(): Promise<void>;
}

const ACTOR = { provider: 'dev', subject: 'owner-a' };

function record(api: string, version: string, digest = `sha256:${version}`): VersionRecord {
  return { api, version, status: 'published', digest, format: 'yaml', publishedAt: '2026-12-01T10:00:00.000Z' };
}

function audit(action: NewAuditEntry['action'], api: string, version: string, at = '2026-12-01T10:00:00.000Z', subject = 'owner-a'): NewAuditEntry {
  return { at, actor: { provider: 'dev', subject }, action, api, version };
}

/** Runs the shared suite against stores made by `open`. */
export function registryStoreSuite(name: string, open: () => Promise<StoreFixture>): void {
  describe(`registry store contract: ${name}`, () => {
    let fixture: StoreFixture;
    before(async () => {
      fixture = await open();
    });
    after(async () => {
      await fixture.store.close();
      await fixture.cleanup();
    });

    it('stores a version with its document and audit entry, and lists versions by API then semver', async () => {
      const { store } = fixture;
      for (const [api, version] of [['orders', '1.10.0'], ['orders', '1.2.0'], ['billing', '2.0.0']] as const) {
        const outcome = await store.put(record(api, version), `document of ${api} ${version}`, audit('register', api, version));
        assert.equal(outcome.kind, 'created');
      }
      assert.deepEqual((await store.list()).map((v) => `${v.api}@${v.version}`), ['billing@2.0.0', 'orders@1.2.0', 'orders@1.10.0']);
      assert.equal(await store.document('orders', '1.10.0'), 'document of orders 1.10.0');
      assert.equal(await store.document('orders', '9.9.9'), undefined);
      assert.equal((await store.get('orders', '1.2.0'))?.digest, 'sha256:1.2.0');
    });

    it('keeps a version immutable: same digest is identical, another digest a conflict, neither audited', async () => {
      const { store } = fixture;
      const before = (await store.audit({ limit: 1000 })).entries.length;
      const same = await store.put(record('orders', '1.2.0'), 'document of orders 1.2.0', audit('register', 'orders', '1.2.0'));
      assert.equal(same.kind, 'identical');
      const other = await store.put(record('orders', '1.2.0', 'sha256:different'), 'other text', audit('register', 'orders', '1.2.0'));
      assert.equal(other.kind, 'conflict');
      assert.equal(other.record.digest, 'sha256:1.2.0');
      assert.equal(await store.document('orders', '1.2.0'), 'document of orders 1.2.0');
      assert.equal((await store.audit({ limit: 1000 })).entries.length, before);
    });

    it('changes the lifecycle only from the expected states', async () => {
      const { store } = fixture;
      const deprecated = await store.change({ api: 'orders', version: '1.2.0', from: ['published'], patch: { status: 'deprecated', sunset: '2027-06-01T00:00:00.000Z', successor: '1.10.0' } }, audit('deprecate', 'orders', '1.2.0'));
      assert.equal(deprecated.kind, 'changed');
      assert.equal((await store.get('orders', '1.2.0'))?.status, 'deprecated');
      const again = await store.change({ api: 'orders', version: '1.2.0', from: ['published'], patch: { status: 'deprecated' } }, audit('deprecate', 'orders', '1.2.0'));
      assert.equal(again.kind, 'wrong-state');
      const missing = await store.change({ api: 'orders', version: '7.0.0', from: ['published'], patch: { status: 'retired' } }, audit('retire', 'orders', '7.0.0'));
      assert.equal(missing.kind, 'not-found');
    });

    it('pages the audit log with a cursor and filters it by API, actor and time', async () => {
      const { store } = fixture;
      await store.put(record('billing', '2.1.0'), 'b', audit('register', 'billing', '2.1.0', '2026-12-02T08:00:00.000Z', 'owner-b'));
      await store.put(record('billing', '2.2.0'), 'c', audit('register', 'billing', '2.2.0', '2026-12-03T08:00:00.000Z', 'owner-b'));
      const all = (await store.audit({ limit: 1000 })).entries;
      assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => i + 1), 'gap-free sequence from 1');
      const first = await store.audit({ limit: 2 });
      assert.equal(first.entries.length, 2);
      assert.equal(first.next, 2);
      const second = await store.audit({ limit: 2, after: first.next });
      assert.deepEqual(second.entries.map((e) => e.seq), [3, 4]);
      const rest = await store.audit({ limit: 100, after: second.next });
      assert.equal(rest.next, undefined, 'no cursor after the last page');
      assert.deepEqual((await store.audit({ limit: 100, api: 'billing' })).entries.map((e) => e.version), ['2.0.0', '2.1.0', '2.2.0']);
      assert.deepEqual((await store.audit({ limit: 100, actor: 'owner-b' })).entries.map((e) => e.version), ['2.1.0', '2.2.0']);
      assert.deepEqual((await store.audit({ limit: 100, actor: 'dev/owner-b', since: '2026-12-03T00:00:00.000Z' })).entries.map((e) => e.version), ['2.2.0']);
      assert.deepEqual((await store.audit({ limit: 100, until: '2026-12-01T23:59:59.000Z', api: 'billing' })).entries.map((e) => e.version), ['2.0.0']);
    });

    it('records a lifecycle notification once across handles, and keeps the consumers of a lifecycle change in its audit entry', async () => {
      const { store } = fixture;
      const peer = await fixture.peer();
      try {
        const claims = await Promise.all([store, peer, store, peer].map((s) => s.claimNotification('orders', '1.2.0', 'sunset-7d', '2026-12-01T10:00:00.000Z')));
        assert.deepEqual(claims.filter(Boolean).length, 1);
        assert.equal(await peer.claimNotification('orders', '1.2.0', 'sunset-1d', '2026-12-01T10:00:00.000Z'), true);
        assert.equal(await store.claimNotification('orders', '1.10.0', 'sunset-7d', '2026-12-01T10:00:00.000Z'), true);
        const consumers = [{ consumer: 'acme', calls: 12, lastSeen: '2026-12-01T09:00:00.000Z', operations: ['listOrders'] }];
        const changed = await store.change({ api: 'billing', version: '2.0.0', from: ['published', 'deprecated'], patch: { status: 'retired', retiredAt: '2026-12-01T11:00:00.000Z' } }, { ...audit('retire', 'billing', '2.0.0', '2026-12-01T11:00:00.000Z'), overrideReason: 'moved to 3.x', consumers });
        assert.equal(changed.kind, 'changed');
        const entries = (await peer.audit({ limit: 500, api: 'billing' })).entries;
        assert.deepEqual([entries.at(-1)!.overrideReason, entries.at(-1)!.consumers], ['moved to 3.x', consumers]);
      } finally {
        await peer.close();
      }
    });

    it('tells a second handle on the same storage about changes', async () => {
      const peer = await fixture.peer();
      try {
        let notified = 0;
        const stop = peer.watch(() => notified++);
        // A store may call once when it starts listening (a change may have been missed before):
        // let that settle, so that only a call for the change below counts.
        for (let quiet = 0, last = -1, i = 0; quiet < 5 && i < 100; i++) {
          await new Promise((r) => setTimeout(r, 20));
          quiet = notified === last ? quiet + 1 : 0;
          last = notified;
        }
        const baseline = notified;
        await fixture.store.put(record('notify', '1.0.0'), 'n', audit('register', 'notify', '1.0.0'));
        for (let i = 0; i < 100 && notified === baseline; i++) await new Promise((r) => setTimeout(r, 20));
        stop();
        assert.ok(notified > baseline, 'the peer was told of the change');
        assert.equal((await peer.get('notify', '1.0.0'))?.digest, 'sha256:1.0.0');
      } finally {
        await peer.close();
      }
    });

    it('lets exactly one of two concurrent registrations of a version win', async () => {
      const peer = await fixture.peer();
      try {
        const outcomes = await Promise.all([
          fixture.store.put(record('race', '1.0.0', 'sha256:a'), 'a', audit('register', 'race', '1.0.0')),
          peer.put(record('race', '1.0.0', 'sha256:b'), 'b', audit('register', 'race', '1.0.0')),
        ]);
        assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['conflict', 'created']);
        const winner = outcomes.find((o) => o.kind === 'created')!.record.digest;
        assert.equal((await fixture.store.get('race', '1.0.0'))?.digest, winner);
        assert.equal((await fixture.store.audit({ limit: 1000, api: 'race' })).entries.length, 1);
      } finally {
        await peer.close();
      }
    });
  });
}
