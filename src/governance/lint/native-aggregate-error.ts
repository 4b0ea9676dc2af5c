/**
 * Gives Spectral the runtime's own AggregateError instead of loading the es-aggregate-error
 * polyfill. Imported, for this side effect, before Spectral loads, by every module here that
 * loads it (next to modern-nimma.ts).
 */
import Module, { createRequire } from 'node:module';

/*
 * Why: @stoplight/spectral-core requires `es-aggregate-error` to wrap ruleset validation errors.
 * On Node 20 the package exports the runtime's AggregateError anyway (its getPolyfill returns the
 * native constructor when it is spec-compliant), but loading it first loads its ES-abstract
 * helpers: 135 files, 40-55 ms of every lint's start on the project's VM. So the module, as
 * Spectral resolves it, is registered holding the native constructor, which is what Spectral
 * uses it as (`new AggregateError(errors)`). Nothing changes when the package is not where
 * expected or already loaded; test/unit/lint-ruleset-errors.test.ts covers the errors it wraps.
 */
try {
  const spectralRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-core'));
  const polyfill = spectralRequire.resolve('es-aggregate-error');
  if (typeof AggregateError === 'function' && !(polyfill in spectralRequire.cache)) {
    const native = new Module(polyfill);
    native.filename = polyfill;
    native.loaded = true;
    native.exports = AggregateError;
    spectralRequire.cache[polyfill] = native;
  }
} catch {
  // es-aggregate-error moved or is gone: Spectral loads what it loads.
}

/** True when `es-aggregate-error`, as Spectral resolves it, is the runtime's AggregateError (for tests). */
export function spectralUsesNativeAggregateError(): boolean {
  try {
    const spectralRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-core'));
    return spectralRequire('es-aggregate-error') === AggregateError;
  } catch {
    return false;
  }
}
