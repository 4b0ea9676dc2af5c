/** The file registry store against the shared store suite, plus what only a file store can get wrong. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore, RegistryStateError } from '../../src/registry/store/file-store.js';
import { registryStoreSuite } from '../support/registry-store-suite.js';

registryStoreSuite('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-registry-'));
  return {
    store: new FileRegistryStore(dir, { pollMs: 20 }),
    peer: async () => new FileRegistryStore(dir, { pollMs: 20 }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('file registry store', () => {
  it('refuses a state file that is not its own, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-registry-'));
    try {
      const store = new FileRegistryStore(dir);
      writeFileSync(join(dir, 'state.json'), '{"versions": 3');
      await assert.rejects(store.list(), (error: unknown) => error instanceof RegistryStateError && error.message.startsWith(join(dir, 'state.json')) && /not valid JSON/.test(error.message));
      writeFileSync(join(dir, 'state.json'), '{"format": 2, "versions": [], "audit": []}');
      await assert.rejects(store.list(), /not an Accord registry state file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over the lock of a process that died holding it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-registry-'));
    try {
      const store = new FileRegistryStore(dir, { lockTimeoutMs: 200 });
      // PID 2^22+1 is above Linux's pid_max default range: no such process.
      writeFileSync(join(dir, 'lock'), String(4194305));
      const outcome = await store.put({ api: 'a', version: '1.0.0', status: 'published', digest: 'sha256:x', format: 'yaml', publishedAt: '2026-12-01T00:00:00.000Z' }, 'x', { at: '2026-12-01T00:00:00.000Z', actor: { provider: 'p', subject: 's' }, action: 'register', api: 'a', version: '1.0.0' });
      assert.equal(outcome.kind, 'created');
      assert.ok(!readdirSync(dir).includes('lock'), 'the lock is released');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for a live holder and gives up with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-registry-'));
    try {
      const store = new FileRegistryStore(dir, { lockTimeoutMs: 100 });
      writeFileSync(join(dir, 'lock'), String(process.pid));
      await assert.rejects(
        store.put({ api: 'a', version: '1.0.0', status: 'published', digest: 'sha256:x', format: 'yaml', publishedAt: '2026-12-01T00:00:00.000Z' }, 'x', { at: '2026-12-01T00:00:00.000Z', actor: { provider: 'p', subject: 's' }, action: 'register', api: 'a', version: '1.0.0' }),
        new RegExp(`locked by another process \\(pid ${process.pid}\\)`),
      );
      assert.deepEqual(await store.list(), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
