/**
 * Runs Accord's house rules (the `accord-*` rules of rulesets/accord.yaml, as configured by the
 * ruleset in use) in one pass of Accord's own over the document Spectral has already resolved,
 * and keeps the breaking-change check rules out of Spectral's run: Spectral then walks the
 * document for spectral:oas and a user's own rules only.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IRuleResult, Rule, Ruleset } from '@stoplight/spectral-core';
import { isDiffCheckRule } from './diff-checks-ruleset.js';

/*
 * Why: each Spectral rule is a JSONPath `given` that Spectral's query engine (nimma) matches while
 * it walks the whole resolved document, and ~1,000 breaking-change rules (which never report when
 * one document is linted: they exist so that a ruleset can switch checks off or re-level them)
 * each add a callback at the root. The house rules' `given`s are plain paths (`$.paths`,
 * `#Operation.responses`, `$.paths.*~` …): here they are matched by walking exactly those paths.
 *
 * What each rule then does is Spectral's own code: every match goes through Spectral's lintNode
 * (the rule's own functions with its own options, `field`, message template, severity, the path
 * mapped back through `$ref`s to the place a finding is reported, the range), and the results are
 * merged with Spectral's through Spectral's own deduplication and sort. So a ruleset that switches
 * a house rule off, re-levels it, or redefines it with other options or another function gets
 * exactly what Spectral would give it; a rule whose `given` is not a plain path, that reads the
 * unresolved document, or a ruleset with `overrides` (per-file rules) runs in Spectral as before.
 * test/unit/lint-golden.test.ts holds the findings on every fixture to those of Spectral's run, and
 * test/unit/lint-house-rules.test.ts holds the path matching to nimma's.
 */

type Segment = string | number;

/** What nimma hands a rule's callback: where the match is and what is there. */
export interface Match {
  path: Segment[];
  value: unknown;
}

/** One step of a plain JSONPath: a member name, any member (`*`), or one of a list of names. */
type Step = { kind: 'name'; name: string } | { kind: 'any' } | { kind: 'names'; names: ReadonlySet<string> };

/** A parsed plain JSONPath: steps from the root, and whether it selects member names (`~`) rather than values. */
export interface PlainPath {
  steps: Step[];
  keys: boolean;
}

const NAME = /^[A-Za-z_$][\w$-]*$/;

/**
 * Parses `$`, `$.a.b`, `$.a[*]`, `$.a.*`, `$.a[get,put]`, optionally ending in `~`; anything else
 * (filters, recursive descent, quoted names, indexes) is undefined: such a rule stays in Spectral.
 */
export function parsePlainPath(given: string): PlainPath | undefined {
  if (!given.startsWith('$')) return undefined;
  let rest = given.slice(1);
  let keys = false;
  if (rest.endsWith('~')) {
    keys = true;
    rest = rest.slice(0, -1);
  }
  const steps: Step[] = [];
  while (rest.length > 0) {
    if (rest.startsWith('[*]')) {
      steps.push({ kind: 'any' });
      rest = rest.slice(3);
    } else if (rest.startsWith('.*')) {
      steps.push({ kind: 'any' });
      rest = rest.slice(2);
    } else if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) return undefined;
      const names = rest.slice(1, end).split(',');
      if (!names.every((n) => NAME.test(n))) return undefined;
      steps.push({ kind: 'names', names: new Set(names) });
      rest = rest.slice(end + 1);
    } else if (rest.startsWith('.')) {
      const m = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
      if (!m) return undefined;
      steps.push({ kind: 'name', name: m[1]! });
      rest = rest.slice(m[0].length);
    } else return undefined;
  }
  // `$~` names nothing.
  if (keys && steps.length === 0) return undefined;
  return { steps, keys };
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/** The members of a container as nimma walks them: array indexes as numbers, object keys in order. */
function membersOf(value: Record<string, unknown> | unknown[]): Array<[Segment, unknown]> {
  if (Array.isArray(value)) return value.map((item, index) => [index, item]);
  return Object.keys(value).map((key) => [key, value[key]]);
}

/** Every match of `path` in `root`, in document order. */
export function matchPlainPath(root: unknown, path: PlainPath): Match[] {
  if (path.steps.length === 0) return [{ path: [], value: root }];
  const matches: Match[] = [];
  const visit = (value: unknown, at: Segment[], depth: number): void => {
    if (!isContainer(value)) return;
    const step = path.steps[depth]!;
    const last = depth === path.steps.length - 1;
    const take = (key: Segment, member: unknown): void => {
      const memberPath = [...at, key];
      if (last) matches.push(path.keys ? { path: memberPath, value: key } : { path: memberPath, value: member });
      else visit(member, memberPath, depth + 1);
    };
    if (step.kind === 'name') {
      if (!Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, step.name)) take(step.name, value[step.name]);
      return;
    }
    for (const [key, member] of membersOf(value)) {
      if (step.kind === 'any' || (typeof key === 'string' && step.names.has(key))) take(key, member);
    }
  };
  visit(root, [], 0);
  return matches;
}

/** The part of Spectral's document inventory a rule's functions and lintNode read. */
interface Inventory {
  readonly resolved: unknown;
  readonly formats?: unknown;
  readonly document: { formats?: unknown };
}

interface LintContext {
  documentInventory: Inventory;
  results: IRuleResult[];
  promises: Array<Promise<unknown>>;
}

/** Spectral's internals this pass reuses so that results are exactly Spectral's. */
interface SpectralInternals {
  lintNode(context: LintContext, node: Match, rule: Rule): void;
  prepareResults(results: IRuleResult[]): IRuleResult[];
}

let internals: SpectralInternals | null | undefined;

/**
 * Spectral's lintNode and prepareResults, from spectral-core's own files (the package's exports do
 * not name them; loaded by path they are the very modules Spectral runs). Null when a future
 * layout lacks them: every rule then runs in Spectral.
 */
function spectralInternals(): SpectralInternals | null {
  if (internals !== undefined) return internals;
  try {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@stoplight/spectral-core'));
    const { lintNode } = require(join(dist, 'runner', 'lintNode.js')) as Partial<SpectralInternals>;
    const { prepareResults } = require(join(dist, 'runner', 'utils', 'results.js')) as Partial<SpectralInternals>;
    internals = typeof lintNode === 'function' && typeof prepareResults === 'function' ? { lintNode, prepareResults } : null;
  } catch {
    internals = null;
  }
  return internals;
}

/** A rule this pass runs: the rule and its parsed `given`s. */
interface NativeRule {
  rule: Rule;
  given: PlainPath[];
}

/** How one ruleset is run: the rules Spectral runs, and the rules run here. */
interface LintPlan {
  /** The ruleset's rules without the diff check rules and the rules run here; undefined: Spectral runs the ruleset itself. */
  spectralRules: Record<string, Rule> | undefined;
  native: NativeRule[];
}

const HOUSE_PREFIX = 'accord-';
const CAPTURE_RULE = 'accord-house-rules';

/** A plain-path rule on the resolved document that this pass can run, with its parsed `given`s. */
function nativeRule(rule: Rule): NativeRule | undefined {
  if (!rule.name.startsWith(HOUSE_PREFIX) || !rule.resolved) return undefined;
  // `given` holds the expressions with aliases resolved, the same for every format, unless the
  // ruleset has format-specific aliases: it then holds `#Alias…`, which is not a plain path.
  const given: PlainPath[] = [];
  for (const expression of rule.given) {
    const path = parsePlainPath(expression);
    if (path === undefined) return undefined;
    given.push(path);
  }
  return given.length > 0 ? { rule, given } : undefined;
}

const plans = new WeakMap<Ruleset, LintPlan>();

function lintPlan(ruleset: Ruleset): LintPlan {
  const cached = plans.get(ruleset);
  if (cached) return cached;
  let plan: LintPlan = { spectralRules: undefined, native: [] };
  if (ruleset.overrides === null && spectralInternals() !== null) {
    const rules: Record<string, Rule> = {};
    const native: NativeRule[] = [];
    for (const [id, rule] of Object.entries(ruleset.rules)) {
      if (isDiffCheckRule(rule)) continue;
      const own = rule.enabled ? nativeRule(rule) : undefined;
      if (own) native.push(own);
      else rules[id] = rule;
    }
    plan = { spectralRules: rules, native };
  }
  plans.set(ruleset, plan);
  return plan;
}

/** One lint of one document: the ruleset Spectral runs, and how to add the house rules' results to Spectral's. */
export interface HouseRun {
  spectral: Ruleset;
  complete(results: IRuleResult[]): Promise<IRuleResult[]>;
}

/**
 * Prepares one lint with `ruleset`. Spectral gets a view of it without the diff check rules and the
 * house rules, plus one rule that hands this pass Spectral's document inventory (the resolved
 * document, its reference map) when Spectral's walk starts; complete() then runs the house rules
 * and merges their results. A ruleset with `overrides` (per-file rules, which Spectral rebuilds
 * from the definition), or Spectral's internals not where expected: Spectral runs it all.
 */
export function houseRun(ruleset: Ruleset): HouseRun {
  const plan = lintPlan(ruleset);
  const spectral = spectralInternals();
  if (plan.spectralRules === undefined || spectral === null) return { spectral: ruleset, complete: async (results) => results };
  let inventory: Inventory | undefined;
  const capture = {
    name: CAPTURE_RULE,
    enabled: true,
    resolved: true,
    extensions: null,
    then: [
      {
        function: (_input: unknown, _options: unknown, context: { documentInventory: Inventory }): undefined => {
          inventory = context.documentInventory;
          return undefined;
        },
      },
    ],
    matchesFormat: () => true,
    getGivenForFormats: () => ['$'],
  } as unknown as Rule;
  // Spectral reads a ruleset's `rules`, `formats` and `parserOptions` (`source` only for
  // overrides, excluded above): a view that differs in `rules` alone.
  const view = Object.create(ruleset, { rules: { value: { ...plan.spectralRules, [CAPTURE_RULE]: capture }, enumerable: true } }) as Ruleset;
  return {
    spectral: view,
    async complete(results) {
      if (plan.native.length === 0 || inventory === undefined) return results;
      const context: LintContext = { documentInventory: inventory, results: [], promises: [] };
      for (const { rule, given } of plan.native) {
        if (!rule.matchesFormat(inventory.formats as Parameters<Rule['matchesFormat']>[0])) continue;
        for (const path of given) {
          for (const match of matchPlainPath(inventory.resolved, path)) spectral.lintNode(context, match, rule);
        }
      }
      if (context.promises.length > 0) await Promise.all(context.promises);
      return spectral.prepareResults([...results, ...context.results]);
    },
  };
}
