/**
 * The default ruleset loads from rulesets/accord-default.js (generated from accord.yaml) instead
 * of bundling accord.yaml on every run: the module is current, and the ruleset it gives has every
 * rule exactly as bundling accord.yaml gives it (the golden lint test checks the findings).
 */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ruleset, type RulesetDefinition } from '@stoplight/spectral-core';
import { pathToFileURL } from 'node:url';
import { defaultRulesetPath, loadRuleset } from '../../src/governance/lint/index.js';
import { DEFAULT_RULESET_MODULE, renderDefaultRulesetModule } from '../support/default-ruleset-module.js';

/** Everything a rule is, in comparable form (function and format identities by name; the owner's counter id left out). */
function describeRuleset(ruleset: Ruleset): unknown {
  const rules = Object.entries(ruleset.rules).map(([name, rule]) => ({
    name,
    recommended: rule.recommended,
    enabled: rule.enabled,
    description: rule.description,
    message: rule.message,
    documentationUrl: rule.documentationUrl,
    severity: rule.severity,
    resolved: rule.resolved,
    formats: rule.formats === null ? null : [...rule.formats].map((format) => format.displayName ?? format.name),
    then: rule.then.map((then) => ({ ...then, function: then.function.name })),
    given: rule.getGivenForFormats(null),
    extensions: rule.extensions,
  }));
  return { source: ruleset.source, parserOptions: ruleset.parserOptions, formats: [...ruleset.formats].map((f) => f.displayName ?? f.name), rules };
}

describe('the default ruleset module', () => {
  it('is generated from accord.yaml and current (npm run docs:rules)', async () => {
    strictEqual(readFileSync(DEFAULT_RULESET_MODULE, 'utf8'), await renderDefaultRulesetModule());
  });

  it('gives the rules that bundling accord.yaml gives', async () => {
    const fromModule = await loadRuleset();
    const bundled = await loadRuleset(defaultRulesetPath());
    deepStrictEqual(describeRuleset(fromModule), describeRuleset(bundled));
    strictEqual(Object.keys(fromModule.rules).length > 1000, true);
  });

  it('passes Spectral\'s ruleset validation (lint skips it for this module: it is checked here)', async () => {
    const module = (await import(pathToFileURL(DEFAULT_RULESET_MODULE).href)) as { default: RulesetDefinition };
    // The constructor validates the definition and every ruleset it extends; it throws when one is invalid.
    const validated = new Ruleset(module.default, { severity: 'recommended', source: defaultRulesetPath() });
    deepStrictEqual(describeRuleset(validated), describeRuleset(await loadRuleset()));
  });

  it('an invalid definition is still refused by the constructor outside the default load', () => {
    let refused = false;
    try {
      new Ruleset({ rules: { broken: { given: 42, then: {} } } } as unknown as RulesetDefinition);
    } catch {
      refused = true;
    }
    strictEqual(refused, true);
  });
});
