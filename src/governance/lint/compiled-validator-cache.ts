/**
 * Makes Spectral's `schema` function compile each distinct JSON Schema once per lint run, without
 * Ajv's code-optimisation passes. Imported, for this side effect, by every module here that runs
 * Spectral.
 */
import { createRequire } from 'node:module';

/*
 * Why: spectral:oas's example rules (oasExample) deep-copy the schema before every validation, and
 * the `schema` function caches compiled validators by object identity, so Ajv compiles a fresh
 * validator on every call and keeps each one (Ajv's own cache holds the copies). GitHub's REST
 * contract made 38,000 compilations of 2,300 distinct schemas: 9 s and most of the 1.3 GB lint
 * took. Of what remained, most was Ajv's optimisation of the generated code (`code.optimize`,
 * which only drops unused names and empty branches: the validator accepts and reports the same),
 * quadratic in the nesting of the large resolved schemas those examples carry: 2.3 s, and a
 * third of the peak memory.
 *
 * The function asks `createAjvInstances()`, read from its module's exports at call time, for one
 * compiler per document. The one returned here builds its Ajv instances as Spectral's module does
 * (the same classes, options, formats, error messages and meta-schemas, resolved from Spectral's
 * own package) with `code.optimize` off, and answers a schema whose JSON text, dialect and
 * allErrors were seen before in the same run with the validator compiled then. A validator
 * depends only on those (and on schemas added by `$id`, which still compile on Ajv's own path).
 * A schema holding a number JSON cannot tell apart (NaN, ±Infinity, -0) is compiled each time.
 * When Spectral's module is not shaped as expected, nothing is replaced. Findings are held to
 * Spectral's by test/unit/lint-golden.test.ts and lint-compiled-validator-cache.test.ts.
 */

type Compiler = (schema: Record<string, unknown>, dialect: string, allErrors: boolean) => unknown;

interface AjvInstance {
  compile(schema: object): unknown;
  getSchema(id: string): unknown;
  addSchema(schema: object): unknown;
}
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;
type Plugin = (ajv: AjvInstance) => unknown;

/** The JSON text of `schema`, or undefined when it holds a number JSON would not keep exactly. */
function exactJson(schema: unknown): string | undefined {
  let exact = true;
  let text: string;
  try {
    text = JSON.stringify(schema, (_name, value: unknown) => {
      if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) exact = false;
      return value;
    });
  } catch {
    return undefined; // a BigInt or a cycle: compiled as before
  }
  return exact ? text : undefined;
}

/** `compile`, answering repeated schemas (by identity, then by JSON text, dialect and allErrors) from a cache. */
export function cachingCompiler(compile: Compiler): Compiler {
  const compiled = new Map<string, unknown>();
  // A rule's own options schema is the same object at every call: found by identity first, with
  // no JSON text to make (one map per dialect and allErrors, as the key says).
  const byObject = new Map<string, WeakMap<object, unknown>>();
  return (schema, dialect, allErrors) => {
    if (typeof schema !== 'object' || schema === null || typeof schema.$id === 'string') return compile(schema, dialect, allErrors);
    const setting = `${dialect}\u0000${allErrors ? 1 : 0}`;
    let known = byObject.get(setting);
    if (known === undefined) {
      known = new WeakMap();
      byObject.set(setting, known);
    }
    let validator = known.get(schema);
    if (validator !== undefined) return validator;
    const text = exactJson(schema);
    if (text === undefined) return compile(schema, dialect, allErrors);
    const key = `${setting}\u0000${text}`;
    validator = compiled.get(key);
    if (validator === undefined) {
      validator = compile(schema, dialect, allErrors);
      compiled.set(key, validator);
    }
    known.set(schema, validator);
    return validator;
  };
}

/** A JSON module as tslib's __importStar hands it over (own members, `default` the module itself), as Spectral adds its meta-schemas. */
function importStar(loaded: object): object {
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(loaded)) if (key !== 'default') result[key] = (loaded as Record<string, unknown>)[key];
  result.default = loaded;
  return result;
}

/** The default export of a CommonJS module as tslib's __importDefault reads it. */
function defaultOf<T>(loaded: unknown): T {
  const module = loaded as { __esModule?: boolean; default?: T };
  return (module.__esModule === true ? module.default : loaded) as T;
}

/**
 * Spectral's `createAjvInstances` (spectral-functions 1.x, schema/ajv.js), with `code.optimize`
 * off and the compile cache in front, from the modules Spectral's own package resolves.
 */
function optimisationFreeCompilers(functionsRequire: NodeJS.Require): () => Compiler {
  const classes: Record<string, AjvClass> = {
    auto: defaultOf<AjvClass>(functionsRequire('ajv')),
    draft4: defaultOf<AjvClass>(functionsRequire('ajv-draft-04')),
    'draft2019-09': defaultOf<AjvClass>(functionsRequire('ajv/dist/2019')),
    'draft2020-12': defaultOf<AjvClass>(functionsRequire('ajv/dist/2020')),
  };
  const addFormats = defaultOf<Plugin>(functionsRequire('ajv-formats'));
  const addErrors = defaultOf<Plugin>(functionsRequire('ajv-errors'));
  const draft4Meta = importStar(functionsRequire('./schema/draft4.json') as object);
  const draft6Meta = importStar(functionsRequire('ajv/dist/refs/json-schema-draft-06.json') as object);
  for (const value of [...Object.values(classes), addFormats, addErrors]) {
    if (typeof value !== 'function') throw new Error('unexpected module shape');
  }
  const logger = {
    warn(...args: unknown[]): void {
      const first = args[0];
      if (typeof first === 'string') {
        if (first.startsWith('unknown format')) return;
        console.warn(...args);
      }
    },
    log: console.log,
    error: console.error,
  };
  const create = (Ajv: AjvClass, allErrors: boolean): AjvInstance => {
    const ajv = new Ajv({ allErrors, meta: true, messages: true, strict: false, allowUnionTypes: true, logger, unicodeRegExp: false, code: { optimize: false } });
    addFormats(ajv);
    if (allErrors) addErrors(ajv);
    if (Ajv === classes.auto) {
      ajv.addSchema(draft4Meta);
      ajv.addSchema(draft6Meta);
    }
    return ajv;
  };
  return () => {
    const instances = new Map<string, AjvInstance>();
    const compiledByObject = new WeakMap<AjvInstance, WeakMap<object, unknown>>();
    const compile: Compiler = (schema, dialect, allErrors) => {
      const Ajv = (Object.hasOwn(classes, dialect) ? classes[dialect] : undefined) ?? classes.auto!;
      const name = `${Ajv === classes.auto ? 'auto' : dialect}:${allErrors ? 1 : 0}`;
      let ajv = instances.get(name);
      if (ajv === undefined) {
        ajv = create(Ajv, allErrors);
        instances.set(name, ajv);
      }
      const $id = schema.$id;
      if (typeof $id === 'string') return ajv.getSchema($id) ?? ajv.compile(schema);
      let compiled = compiledByObject.get(ajv);
      if (compiled === undefined) {
        compiled = new WeakMap();
        compiledByObject.set(ajv, compiled);
      }
      let validator = compiled.get(schema);
      if (validator === undefined) {
        validator = ajv.compile(schema);
        compiled.set(schema, validator);
      }
      return validator;
    };
    return cachingCompiler(compile);
  };
}

let original: (() => Compiler) | undefined;
try {
  const functionsRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-functions'));
  const ajvModule = functionsRequire('./schema/ajv.js') as { createAjvInstances?: () => Compiler };
  if (typeof ajvModule.createAjvInstances === 'function') {
    const replacement = optimisationFreeCompilers(functionsRequire);
    original = ajvModule.createAjvInstances;
    ajvModule.createAjvInstances = replacement;
  }
} catch {
  // Spectral's modules moved or changed shape: its schema function compiles as it always did.
}

/** True when Spectral's schema function compiles through the cache (for tests). */
export function spectralCompilesThroughCache(): boolean {
  return original !== undefined;
}

/** Spectral's own compiler (one per document), which the cache replaced: tests compare the two. */
export function spectralOwnCompiler(): Compiler | undefined {
  return original?.();
}
