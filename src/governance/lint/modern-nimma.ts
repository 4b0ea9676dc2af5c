/**
 * Makes Spectral's runner use the modern build of its JSONPath engine (nimma) instead of the
 * legacy one. Imported, for this side effect, first by every module here that loads Spectral.
 */
import { createRequire } from 'node:module';

/*
 * Why: Spectral's runner requires `nimma/legacy`, the same version of nimma compiled for old
 * runtimes, where every private field is a WeakMap lookup through Babel helpers. Spectral's walk
 * of the resolved document reads such fields at every node for every deep `given`: on the
 * benchmark contract those lookups were about a tenth of lint's CPU time. Node 20 runs the
 * package's modern build (native private fields, the same code otherwise), so `nimma/legacy`,
 * resolved as Spectral resolves it, is made to load that build. Nothing changes when nimma is not
 * where expected, or when Spectral's runner loaded before this module (it keeps the legacy
 * build): findings are the same either way (test/unit/lint-golden.test.ts runs this path).
 */
try {
  const spectralRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-core'));
  const legacy = spectralRequire.resolve('nimma/legacy');
  const modern = spectralRequire.resolve('nimma');
  if (!(legacy in spectralRequire.cache)) {
    spectralRequire('nimma');
    const loaded = spectralRequire.cache[modern];
    if (loaded !== undefined) spectralRequire.cache[legacy] = loaded;
  }
} catch {
  // nimma moved or is gone: Spectral loads what it loads.
}

/** True when `nimma/legacy`, as Spectral's runner resolves it, is the modern build (for tests). */
export function spectralUsesModernNimma(): boolean {
  try {
    const spectralRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-core'));
    return spectralRequire('nimma/legacy') === spectralRequire('nimma');
  } catch {
    return false;
  }
}
