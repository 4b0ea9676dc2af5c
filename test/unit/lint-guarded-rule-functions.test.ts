/**
 * A rule function that throws, or whose promise rejects, does not abort a lint: the failure
 * becomes a `lint-rule-failed` finding at the value the rule was checking, and every other
 * finding, the failing rule's own on other values included, is kept. Spectral alone stops the
 * whole lint with "Error running Nimma" in both cases (shown here with the unguarded functions).
 */
import { deepStrictEqual, ok, rejects, strictEqual, throws } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import jsYaml from 'js-yaml';
import { collectingRuleFailures, guardRuleFunctions } from '../../src/governance/lint/guarded-rule-functions.js';
import { lintDocument, loadRuleset, type Ruleset } from '../../src/governance/lint/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'lint-rule-failures');
const CLEAN = join(import.meta.dirname, 'fixtures', 'lint', 'documents', 'clean.yaml');

type RuleFunction = Ruleset['rules'][string]['then'][number]['function'];

/** The unguarded function behind each guarded one (the guard keeps the function's name). */
function unguarded(ruleset: Ruleset, originals: ReadonlyMap<string, RuleFunction>): void {
  for (const rule of Object.values(ruleset.rules)) {
    rule.then = rule.then.map((then) => ({ ...then, function: originals.get(`${rule.name}/${then.function.name}`) ?? then.function }));
  }
}

describe('a rule function that fails on one value', () => {
  it("spectral:oas's oas3-schema throwing on a $ref to nothing in an enum place: reported, the lint goes on", async () => {
    const findings = await lintDocument(await loadRuleset(), join(FIXTURES, 'ref-in-enum-place.yaml'));
    const failed = findings.filter((f) => f.id === 'lint-rule-failed');
    deepStrictEqual(
      failed.map((f) => [f.severity, f.location.pointer, f.location.line, f.message]),
      [['error', '', 1, "rule 'oas3-schema' stopped with an error here and did not check this value: Could not resolve '#/components/schemas/Missing'"]],
    );
    const ref = findings.find((f) => f.id === 'invalid-ref');
    deepStrictEqual([ref?.location.pointer, ref?.location.line, ref?.operation], ['/paths/~1orders/get/parameters/0/in/$ref', 14, 'GET /orders']);
    ok(findings.some((f) => f.id === 'accord-operation-security-declared'), 'the house rules still ran');
  });

  it('a user function that throws and one whose promise rejects: reported where they failed, their other findings kept', async () => {
    const ruleset = await loadRuleset(join(FIXTURES, 'throwing-functions.yaml'));
    const findings = await lintDocument(ruleset, join(FIXTURES, 'summaries.yaml'));
    deepStrictEqual(
      findings.map((f) => [f.id, f.severity, f.operation, f.location.pointer, f.location.line, f.message]),
      [
        ['summary-no-full-stop', 'warn', 'POST /orders', '/paths/~1orders/post/summary', 29, 'summary ends with a full stop'],
        ['description-long-enough', 'warn', 'POST /orders', '/paths/~1orders/post/description', 30, 'description is too short'],
        ['lint-rule-failed', 'error', 'GET /orders', '/paths/~1orders/get/summary', 18, `rule 'summary-no-full-stop' stopped with an error here and did not check this value: cannot read the words of "boom"`],
        ['lint-rule-failed', 'error', 'GET /orders', '/paths/~1orders/get/description', 19, "rule 'description-long-enough' stopped with an error here and did not check this value: the description service is down"],
      ],
    );
  });

  it('without the guard, Spectral aborts the lint on each of those documents', async () => {
    const originals = new Map<string, RuleFunction>();
    const oas = await import('@stoplight/spectral-rulesets');
    for (const [name, definition] of Object.entries(oas.oas.rules)) {
      const thens = 'then' in definition ? (Array.isArray(definition.then) ? definition.then : [definition.then]) : [];
      for (const then of thens) originals.set(`${name}/${then.function.name}`, then.function as RuleFunction);
    }
    const ruleset = await loadRuleset();
    unguarded(ruleset, originals);
    await rejects(lintDocument(ruleset, join(FIXTURES, 'ref-in-enum-place.yaml')), /Error running Nimma/);

    const user = await loadRuleset(join(FIXTURES, 'throwing-functions.yaml'));
    const plain = new Map<string, RuleFunction>();
    for (const file of ['summary-words', 'description-checked-later']) {
      const fn = ((await import(join(FIXTURES, 'functions', `${file}.js`))) as { default: RuleFunction }).default;
      const rule = file === 'summary-words' ? 'summary-no-full-stop' : 'description-long-enough';
      plain.set(`${rule}/${fn.name}`, fn);
    }
    unguarded(user, plain);
    await rejects(lintDocument(user, join(FIXTURES, 'summaries.yaml')));
  });

  it('outside a lint that collects failures, a guarded function throws as before; guarding twice changes nothing', async () => {
    const ruleset = await loadRuleset(join(FIXTURES, 'throwing-functions.yaml'));
    const rule = ruleset.rules['summary-no-full-stop'];
    ok(rule);
    const fn = rule.then[0]!.function;
    guardRuleFunctions(ruleset);
    strictEqual(rule.then[0]!.function, fn, 'not wrapped a second time');
    strictEqual(fn.name, 'summaryWords');
    const context = { rule, path: ['paths', '/x', 'get', 'summary'], document: undefined, documentInventory: undefined } as unknown as Parameters<RuleFunction>[2];
    throws(() => fn('boom', null, context), /cannot read the words of "boom"/);
    const { value, failures } = await collectingRuleFailures(async () => fn('boom', null, context));
    strictEqual(value, undefined);
    deepStrictEqual(failures, [{ rule: 'summary-no-full-stop', path: ['paths', '/x', 'get', 'summary'], reason: 'cannot read the words of "boom"' }]);
  });
});

describe('a $ref to nothing, in place of any value of a contract, never aborts a lint', () => {
  // Each value of a clean contract, one at a time, is replaced with a $ref to a schema that does
  // not exist: one lint per value, each of which must finish and report the $ref (Spectral alone
  // aborts on the 8 places where oas3-schema expects a keyword: every `type`, a parameter's `in`).
  const document = jsYaml.load(readFileSync(CLEAN, 'utf8')) as Record<string, unknown>;
  const places: Array<Array<string | number>> = [];
  const walk = (value: unknown, path: Array<string | number>): void => {
    if (path.length > 0 && path[0] !== 'openapi') places.push(path);
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(document, []);

  it(`every one of ${places.length} places`, async () => {
    ok(places.length > 50, 'the contract has places to try');
    const ruleset = await loadRuleset();
    const aborted: string[] = [];
    for (const path of places) {
      const copy = structuredClone(document);
      let parent = copy as Record<string | number, unknown>;
      for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
      parent[path[path.length - 1]!] = { $ref: '#/components/schemas/Missing' };
      const text = JSON.stringify(copy);
      try {
        const findings = await lintDocument(ruleset, join(FIXTURES, 'mutated.json'), text);
        if (!findings.some((f) => f.id === 'invalid-ref' || f.id === 'lint-rule-failed')) aborted.push(`${path.join('/')}: the $ref is not reported`);
      } catch (error) {
        aborted.push(`${path.join('/')}: ${(error as Error).message}`);
      }
    }
    deepStrictEqual(aborted, []);
  });
});
