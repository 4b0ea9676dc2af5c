/**
 * A process killed with SIGKILL in the middle of a file-store registration leaves the old state
 * or the new one, never a torn one: killed at every step of the write in turn, a fresh store
 * then reads a consistent registry (a version is listed exactly when its audit entry and its
 * document are there) and accepts the next registration.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRegistryStore } from '../../src/registry/store/file-store.js';

const CHILD = join(import.meta.dirname, '..', 'support', 'registry-crash-child.ts');

function runChild(dir: string, killAt: number, version: string): { killed: boolean; steps: string[] } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir, String(killAt), version], { encoding: 'utf8', timeout: 60_000 });
  return { killed: result.signal === 'SIGKILL', steps: result.stdout.split('\n').filter((l) => l !== '' && l !== 'done') };
}

describe('file registry store killed mid-write', () => {
  it('leaves the old or the new state at every step, and the next write succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-registry-crash-'));
    try {
      // A first version, written whole: the state every crash below must keep.
      const first = runChild(dir, 0, '1.0.0');
      assert.equal(first.killed, false);
      const steps = first.steps.map((l) => l.split(' ')[1]);
      assert.deepEqual(steps, ['temp-written', 'temp-synced', 'renamed', 'document-written', 'temp-written', 'temp-synced', 'renamed'], 'the steps of a registration');
      for (let killAt = 1; killAt <= steps.length; killAt++) {
        const version = `1.${killAt}.0`;
        const run = runChild(dir, killAt, version);
        assert.equal(run.killed, true, `killed at step ${killAt} (${steps[killAt - 1]})`);
        const store = new FileRegistryStore(dir);
        const versions = (await store.list()).map((v) => v.version);
        const audited = (await store.audit({ limit: 100 })).entries.map((e) => e.version);
        assert.deepEqual(audited, versions, `step ${killAt}: a version is listed exactly when it is audited`);
        assert.ok(versions.includes('1.0.0'), `step ${killAt}: the earlier version survives`);
        // Killed after the state's rename: the new version is in; before it: it is not.
        assert.equal(versions.includes(version), killAt === steps.length, `step ${killAt} (${steps[killAt - 1]}): ${versions.join(', ')}`);
        for (const v of versions) assert.match((await store.document('orders', v))!, /^openapi: 3\.1\.0 # document of /, `document of ${v} readable`);
        await store.close();
      }
      // The dead writer's lock does not block the next one.
      const after = runChild(dir, 0, '2.0.0');
      assert.equal(after.killed, false);
      const store = new FileRegistryStore(dir);
      assert.ok((await store.list()).some((v) => v.version === '2.0.0'));
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
