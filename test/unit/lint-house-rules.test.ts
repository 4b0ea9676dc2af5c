/**
 * The house rules' own pass (src/governance/lint/house-rules.ts): its path matching equals what
 * Spectral's query engine (nimma) matches, for every `given` of the house rules, on every lint
 * fixture and on documents shaped to trip it; what Spectral is left to run; and when everything
 * stays in Spectral. The findings themselves are held to Spectral's by test/unit/lint-golden.test.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Document, Ruleset, Spectral, type RulesetDefinition } from '@stoplight/spectral-core';
// CommonJS: the default import carries the parsers.
import Parsers from '@stoplight/spectral-parsers';
import { houseRun, matchPlainPath, parsePlainPath, type Match } from '../../src/governance/lint/house-rules.js';
import { isDiffCheckRule, loadForLint, loadRuleset } from '../../src/governance/lint/index.js';
import { LINT_FIXTURES } from './fixtures/lint/lint-fixture.js';

/** Every `given` the bundled house rules use (aliases resolved), and the forms the parser accepts besides. */
const GIVENS = [
  '$',
  '$.paths',
  '$.info',
  '$.paths.*~',
  '$.paths[*][get,put,post,delete,options,head,patch,trace].responses',
  '$.paths[*][get,put,post,delete,options,head,patch,trace].requestBody',
  '$.paths[*].parameters[*]',
  '$.paths[*][get,put,post,delete,options,head,patch,trace].parameters[*]',
  '$.servers[*]',
  '$.paths[*].servers[*]',
  '$.paths[*][get,put,post,delete,options,head,patch,trace].servers[*]',
  '$.components.schemas.*',
  '$.components.schemas[*]~',
];

/** Documents shaped to trip a matcher: members of the wrong kind, null, arrays where objects go, empty containers. */
const ODD_DOCUMENTS: Record<string, unknown> = {
  'members of the wrong kind': {
    openapi: '3.0.3',
    info: 'not an object',
    servers: 'https://example.com',
    paths: {
      '/a': null,
      '/b': [{ get: { responses: {} } }],
      '/c': { parameters: { name: 'x' }, servers: [null, 3, { url: 'http://a' }], get: null, put: 'x', post: { responses: null, parameters: [] } },
      '/d': { 'x-get': { responses: {} }, get: { responses: { 200: { description: 'ok' } }, requestBody: { content: {} } }, trace: { responses: [] } },
      '/e/': {},
    },
    components: { schemas: [] },
  },
  'no paths, empty containers': { openapi: '3.1.0', info: {}, servers: [], components: { schemas: {} } },
  'an array at the root': [1, 2, 3],
};

function documents(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'rulesets') out.push(...documents(path));
    } else if (/\.(ya?ml|json)$/.test(name) && name !== 'golden-findings.json') out.push(path);
  }
  return out;
}

/** What Spectral's engine matches for each of GIVENS on `document` (resolved), with the resolved document it matched in. */
async function spectralMatches(document: ConstructorParameters<typeof Document>[0] | Document): Promise<{ resolved: unknown; matches: Match[][] }> {
  const matches: Match[][] = GIVENS.map(() => []);
  let resolved: unknown;
  const rules: RulesetDefinition['rules'] = {};
  GIVENS.forEach((given, i) => {
    rules[`given-${i}`] = {
      given,
      then: {
        function: (input: unknown, _options: unknown, context: { path: Array<string | number>; documentInventory: { resolved: unknown } }) => {
          resolved = context.documentInventory.resolved;
          matches[i]!.push({ path: [...context.path], value: input });
          return [];
        },
      },
    } as never;
  });
  const spectral = new Spectral();
  spectral.setRuleset(new Ruleset({ rules } as RulesetDefinition));
  await spectral.run(document instanceof Document ? document : new Document(JSON.stringify(document), Parsers.Json, '/doc.json'));
  return { resolved, matches };
}

function key(match: Match): string {
  return JSON.stringify(match);
}

async function assertSameMatches(document: Document | unknown): Promise<void> {
  const { resolved, matches } = await spectralMatches(document as Document);
  GIVENS.forEach((given, i) => {
    const path = parsePlainPath(given);
    assert.ok(path, given);
    // Spectral's own order is its walk's; ours is document order per expression: compared as sets.
    assert.deepEqual(matchPlainPath(resolved, path).map(key).sort(), matches[i]!.map(key).sort(), given);
  });
}

describe('house rules: plain path matching equals Spectral\'s', () => {
  for (const file of documents(LINT_FIXTURES)) {
    // Fixtures the loader refuses never reach Spectral: there is nothing to compare for them.
    let input: ReturnType<typeof loadForLint>;
    try {
      input = loadForLint(file);
    } catch {
      continue;
    }
    it(file.slice(LINT_FIXTURES.length + 1), async () => {
      await assertSameMatches(new Document(input.document.source.text, input.document.source.format === 'json' ? Parsers.Json : Parsers.Yaml, input.path));
    });
  }
  for (const [name, document] of Object.entries(ODD_DOCUMENTS)) {
    it(name, async () => assertSameMatches(document));
  }
});

describe('house rules: parsePlainPath', () => {
  const cases: Array<[string, boolean]> = [
    ['$', true],
    ['$.paths.*~', true],
    ['$.paths[*][get,put]', true],
    ['$..description', false],
    ['$.paths[?(@.get)]', false],
    ["$.paths['/a']", false],
    ['$.servers[0]', false],
    ['#Operation.responses', false],
    ['$~', false],
  ];
  for (const [given, plain] of cases) {
    it(`${given}: ${plain ? 'a plain path' : 'left to Spectral'}`, () => assert.equal(parsePlainPath(given) !== undefined, plain));
  }
});

describe('house rules: what Spectral is left to run', () => {
  it('the bundled ruleset: spectral:oas without the house rules and the breaking-change checks, and the rule that hands over the resolved document', async () => {
    const ruleset = await loadRuleset();
    const view = houseRun(ruleset).spectral;
    const ids = Object.keys(view.rules);
    assert.deepEqual(ids.filter((id) => id.startsWith('accord-')), ['accord-house-rules']);
    assert.equal(Object.values(view.rules).filter((rule) => isDiffCheckRule(rule)).length, 0);
    assert.ok(ids.includes('operation-tags') && ids.includes('oas3-schema'));
    // The ruleset itself is untouched: formats and rule metadata read it.
    assert.ok(Object.keys(ruleset.rules).filter((id) => id.startsWith('accord-')).length >= 13);
    assert.ok(Object.values(ruleset.rules).some((rule) => isDiffCheckRule(rule)));
  });

  it('a ruleset with per-file overrides runs entirely in Spectral', async () => {
    const ruleset = new Ruleset(
      { extends: [(await loadRuleset()).definition as RulesetDefinition], overrides: [{ files: ['**/*.yaml'], rules: { 'accord-path-no-verbs': 'off' } }] } as RulesetDefinition,
      { source: join(LINT_FIXTURES, 'rulesets', 'with-overrides.yaml') },
    );
    assert.equal(houseRun(ruleset).spectral, ruleset);
  });
});
