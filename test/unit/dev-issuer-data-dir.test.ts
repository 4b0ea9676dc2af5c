/** resolveDataDir: `--data-dir`, then ACCORD_DATA_DIR, then `.accord/` under the working directory. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDataDir } from '../../src/cli/data-dir.js';

describe('resolveDataDir', () => {
  const cwd = '/srv/project';
  const scenarios: Array<{ name: string; flag?: string; env: NodeJS.ProcessEnv; expected: string }> = [
    { name: 'default .accord under the working directory', env: {}, expected: '/srv/project/.accord' },
    { name: 'ACCORD_DATA_DIR relative to the working directory', env: { ACCORD_DATA_DIR: 'state' }, expected: '/srv/project/state' },
    { name: 'ACCORD_DATA_DIR absolute', env: { ACCORD_DATA_DIR: '/var/lib/accord' }, expected: '/var/lib/accord' },
    { name: 'the flag wins over the environment', flag: '../elsewhere', env: { ACCORD_DATA_DIR: '/var/lib/accord' }, expected: '/srv/elsewhere' },
    { name: 'an empty flag and an empty variable count as unset', flag: '', env: { ACCORD_DATA_DIR: '' }, expected: '/srv/project/.accord' },
  ];
  for (const s of scenarios) {
    it(s.name, () => {
      assert.equal(resolveDataDir(s.flag, s.env, cwd), s.expected);
    });
  }
});
