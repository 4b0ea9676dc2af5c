/**
 * Rule functions that cannot abort a lint. In Spectral a rule function that throws (or whose
 * promise rejects) stops the whole run with "Error running Nimma": one odd value, or one bug in
 * a rule, and a contract gets no findings at all. spectral:oas's own `oas3-schema` does this on
 * a value reached through an unresolvable `$ref` in a place its schema checks by enum (a
 * parameter's `in`). Here each rule function is guarded: a failure is recorded for the lint that
 * is running (collectingRuleFailures) and the rule goes on with the next value, so every other
 * finding is kept and the failure itself becomes a finding.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Ruleset } from '@stoplight/spectral-core';

/** A rule function that stopped with an error on one value. */
export interface RuleFailure {
  /** The rule's name. */
  rule: string;
  /** Where in the document the function was looking. */
  path: Array<string | number>;
  /** The first line of the error's message. */
  reason: string;
}

type Rule = Ruleset['rules'][string];
type RuleFunction = Rule['then'][number]['function'];
type FunctionContext = Parameters<RuleFunction>[2];

const failures = new AsyncLocalStorage<RuleFailure[]>();
const guarded = new WeakSet<RuleFunction>();

const MAX_REASON = 300;

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n', 1)[0]?.trim() || (error instanceof Error ? error.name : 'unknown error');
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}

/** Records `error` for the running lint; without one (a caller that did not ask), rethrows it. */
function record(store: RuleFailure[] | undefined, error: unknown, context: FunctionContext): undefined {
  if (store === undefined) throw error;
  // Spectral passes the Rule itself, which has a name; its declared type (IRule) does not.
  const rule = (context.rule as { name?: unknown }).name;
  store.push({ rule: typeof rule === 'string' ? rule : 'unknown', path: [...context.path], reason: reasonOf(error) });
  return undefined;
}

function guard(fn: RuleFunction): RuleFunction {
  const wrapper = function (this: unknown, input: unknown, options: unknown, context: FunctionContext) {
    const store = failures.getStore();
    try {
      const result = fn.call(this, input, options, context);
      if (result !== undefined && typeof (result as { then?: unknown }).then === 'function') {
        // The path is copied now: Spectral reuses the context object for the next target.
        const at = { ...context, path: [...context.path] };
        return (result as Promise<unknown>).then(undefined, (error: unknown) => record(store, error, at));
      }
      return result;
    } catch (error) {
      return record(store, error, context);
    }
  } as RuleFunction;
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  guarded.add(wrapper);
  return wrapper;
}

/**
 * Guards every function of `ruleset`'s rules. The rules' `then` lists are replaced, not changed:
 * they may be shared with the definitions a ruleset extends.
 */
export function guardRuleFunctions(ruleset: Ruleset): void {
  for (const rule of Object.values(ruleset.rules)) {
    rule.then = rule.then.map((then) => (guarded.has(then.function) ? then : { ...then, function: guard(then.function) }));
  }
}

/** Runs `run` (one lint) and returns what it gave with the rule failures recorded while it ran. */
export async function collectingRuleFailures<T>(run: () => Promise<T>): Promise<{ value: T; failures: RuleFailure[] }> {
  const store: RuleFailure[] = [];
  const value = await failures.run(store, run);
  return { value, failures: store };
}
