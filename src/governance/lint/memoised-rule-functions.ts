/** Runs spectral:oas's example and enum checks once per distinct value of a document, instead of once per place it appears. */
// First: Spectral's runner is to load the modern build of nimma (modern-nimma.ts).
import './modern-nimma.js';
import './native-aggregate-error.js';
import type { IFunctionResult, Ruleset, RulesetFunction, RulesetFunctionContext } from '@stoplight/spectral-core';
// The OpenAPI ruleset's own module, not the package index, which also loads the AsyncAPI and
// Arazzo rulesets (~0.2 s). CommonJS: under Node's ESM the default import is `module.exports`,
// whose `default` is the ruleset.
import oasExport from '@stoplight/spectral-rulesets/dist/oas/index.js';

type OasRuleset = (typeof oasExport)['default'];

/*
 * Why: the `oas*-valid-*-example` rules call spectral:oas's oasExample for every schema, media
 * type, parameter and header that carries an example or a default, and oasExample deep-copies the
 * schema before validating, so Ajv compiles a fresh validator on every call (~0.6 ms each). A large
 * contract repeats the same property (an `id` with its example, a paging parameter with its
 * default) hundreds of times: on the benchmark contract that was 1,800 compilations, a third of
 * lint. `duplicated-entry-in-enum` calls oasSchema for every enum Spectral's walk of the resolved
 * document meets, once per path that reaches it: thousands of calls for a few hundred enums, each
 * validating its options and the value anew. The outcome of a call depends only on the value,
 * the options, whether the rule reads the resolved document (the schema function forgives a bad
 * $ref then), the document (the same for one run) and, for media types, whether the path lies
 * under a request body or a response (oasExample's isMediaRequest / isMediaResponse). So a call
 * whose key was seen before in the same run returns the earlier results with their paths moved
 * under the new place; the results' messages name at most the last segment of a path, which lies
 * inside the value.
 */

type Segment = string | number;

/** The first path segments oasExample's request/response test reads (REQUEST_MEDIA_PATHS, RESPONSE_MEDIA_PATHS). */
function placeOf(path: readonly Segment[]): Segment[] {
  return path[0] === 'paths' ? ['paths', path[3] ?? ''] : [path[0] ?? '', path[1] ?? ''];
}

/** A key equal for calls with the same outcome, or undefined when the value holds something JSON cannot tell apart (NaN, ±Infinity, -0). */
function keyOf(input: unknown, options: unknown, context: RulesetFunctionContext): string | undefined {
  let exact = true;
  const key = JSON.stringify([context.rule.resolved, placeOf(context.path), options, input], (_name, value: unknown) => {
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) exact = false;
    return value;
  });
  return exact ? key : undefined;
}

/** `path` without its first `prefix.length` segments, or undefined when it does not start with `prefix`. */
function relativeTo(path: readonly Segment[], prefix: readonly Segment[]): Segment[] | undefined {
  if (path.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return undefined;
  return path.slice(prefix.length);
}

type Stored = { results: undefined } | { results: Array<IFunctionResult & { relative?: Segment[] }> };

/** The memo of one run: outcomes by key, and the key already made for a value object met again. */
interface RunMemo {
  outcomes: Map<string, Stored>;
  /** By value object, then by the rest of the key (resolved, place, options): its key, or null when not memoised. */
  keys: WeakMap<object, Map<string, string | null>>;
}

/** A number per options object (a rule's functionOptions is one object for the whole run). */
const optionIds = new WeakMap<object, number>();
let nextOptionId = 0;

function optionId(options: unknown): string {
  if (options === null || typeof options !== 'object') return `=${JSON.stringify(options) ?? ''}`;
  let id = optionIds.get(options);
  if (id === undefined) {
    id = nextOptionId++;
    optionIds.set(options, id);
  }
  return String(id);
}

/**
 * keyOf(input, options, context), made once per value object, place and options: Spectral's walk
 * of the resolved document meets a shared component's objects at every path that reaches them,
 * and the JSON text of a large resolved schema is the expensive part of the key. The walk never
 * changes the document, so the same object has the same text throughout the run.
 */
function cachedKeyOf(memo: RunMemo, input: unknown, options: unknown, context: RulesetFunctionContext): string | undefined {
  const keyOrNone = (): string | null => {
    try {
      return keyOf(input, options, context) ?? null;
    } catch {
      return null; // a BigInt, say: not memoised
    }
  };
  if (input === null || typeof input !== 'object') return keyOrNone() ?? undefined;
  const rest = `${context.rule.resolved ? 1 : 0}\u0000${JSON.stringify(placeOf(context.path))}\u0000${optionId(options)}`;
  let known = memo.keys.get(input);
  if (known === undefined) {
    known = new Map();
    memo.keys.set(input, known);
  }
  let key = known.get(rest);
  if (key === undefined) {
    key = keyOrNone();
    known.set(rest, key);
  }
  return key ?? undefined;
}

function memoised(fn: RulesetFunction): RulesetFunction {
  // One memo per run: Spectral makes a new document inventory for every document it lints.
  const runs = new WeakMap<object, RunMemo>();
  const wrapper: RulesetFunction = (input, options, context) => {
    let run = runs.get(context.documentInventory);
    if (run === undefined) {
      run = { outcomes: new Map(), keys: new WeakMap() };
      runs.set(context.documentInventory, run);
    }
    const key = cachedKeyOf(run, input, options, context);
    if (key === undefined) return fn(input, options, context);
    const memo = run.outcomes;
    const seen = memo.get(key);
    if (seen !== undefined) {
      if (seen.results === undefined) return undefined;
      return seen.results.map(({ relative, ...result }) => (relative === undefined ? { ...result } : { ...result, path: [...context.path, ...relative] }));
    }
    const results = fn(input, options, context);
    if (results === undefined) memo.set(key, { results: undefined });
    else if (Array.isArray(results)) {
      const stored: Array<IFunctionResult & { relative?: Segment[] }> = [];
      for (const result of results) {
        if (result.path === undefined) {
          stored.push({ ...result });
          continue;
        }
        const relative = relativeTo(result.path, context.path);
        if (relative === undefined) return results; // a result outside the value: not memoised
        const { path: _path, ...rest } = result;
        stored.push({ ...rest, relative });
      }
      memo.set(key, { results: stored });
    }
    return results;
  };
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  return wrapper;
}

/** The spectral:oas rules whose function is memoised wherever a rule uses it. */
const MEMOISED_VIA = ['oas3-valid-schema-example', 'duplicated-entry-in-enum'] as const;

/**
 * Replaces, in `ruleset`'s own rules, spectral:oas's oasExample and oasSchema (wherever a rule
 * uses them) with memoised equivalents. The rules' `then` lists are replaced, not changed: they
 * may be shared with spectral:oas's exported definition.
 */
export function memoiseRuleFunctions(ruleset: Ruleset): void {
  const oas: OasRuleset = (oasExport as unknown as { default?: OasRuleset }).default ?? (oasExport as unknown as OasRuleset);
  const replacements = new Map<RulesetFunction, RulesetFunction>();
  for (const name of MEMOISED_VIA) {
    const rule = oas.rules[name];
    const then = rule === undefined || !('then' in rule) ? [] : Array.isArray(rule.then) ? rule.then : [rule.then];
    const fn = then[0]?.function;
    if (fn !== undefined && !replacements.has(fn)) replacements.set(fn, memoised(fn));
  }
  if (replacements.size === 0) return;
  for (const rule of Object.values(ruleset.rules)) {
    if (!rule.then.some((then) => replacements.has(then.function))) continue;
    rule.then = rule.then.map((then) => {
      const replacement = replacements.get(then.function);
      return replacement === undefined ? then : { ...then, function: replacement };
    });
  }
}
