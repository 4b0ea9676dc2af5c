/**
 * Spectral's runner loads the modern build of nimma (src/governance/lint/modern-nimma.ts) when
 * Accord's lint modules load Spectral: this file imports nothing of Spectral before them. The
 * findings on that path are held to Spectral's by test/unit/lint-golden.test.ts.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { lintDocument, loadRuleset } from '../../src/governance/lint/index.js';
import { spectralUsesModernNimma } from '../../src/governance/lint/modern-nimma.js';

describe('Spectral runs the modern build of nimma', () => {
  it('nimma/legacy, as Spectral resolves it, is the modern build, and the legacy build never loaded', async () => {
    await loadRuleset();
    assert.equal(typeof lintDocument, 'function');
    assert.equal(spectralUsesModernNimma(), true);
    const spectralRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-core'));
    const legacy = spectralRequire.resolve('nimma/legacy');
    assert.equal(spectralRequire.cache[legacy]?.filename, spectralRequire.resolve('nimma'));
    // The legacy entry's key is there (holding the modern build); none of the legacy build's own files.
    assert.deepEqual(Object.keys(spectralRequire.cache).filter((file) => file.includes('/nimma/dist/legacy/') && file !== legacy), []);
  });
});
