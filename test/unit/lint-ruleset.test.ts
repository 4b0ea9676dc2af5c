/** The default ruleset and user rulesets built on it: what it contains, where it is found, and severity overrides. */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { defaultRulesetPath, isDiffCheckRule, lintDocument, loadRuleset, type Ruleset } from '../../src/governance/lint/index.js';
import { LINT_FIXTURES } from './fixtures/lint/lint-fixture.js';

const HOUSE_RULES = [
  'accord-info-version-semver',
  'accord-no-sensitive-query-params',
  'accord-oauth2-scopes-defined',
  'accord-operation-id-unique',
  'accord-operation-security-declared',
  'accord-path-kebab-case',
  'accord-path-no-trailing-slash',
  'accord-path-no-verbs',
  'accord-pattern-linear-time',
  'accord-problem-json-errors',
  'accord-request-body-schema',
  'accord-servers-https',
  'accord-success-response-schema',
];

const DOCUMENT = join(LINT_FIXTURES, 'documents', 'house-violations.yaml');

function summary(findings: Awaited<ReturnType<typeof lintDocument>>): Array<[string, string, number | undefined]> {
  return findings.map((f): [string, string, number | undefined] => [f.id, f.severity, f.location.line]).sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0));
}

describe('house rule functions', () => {
  it('typecheck as strict JavaScript (they are bundled by Spectral, outside the TypeScript build)', () => {
    const tsc = join('node_modules', 'typescript', 'bin', 'tsc');
    const files = ['rulesets/functions/openapi/operations.js', ...readdirSync('rulesets/functions').filter((f) => f.endsWith('.js')).map((f) => `rulesets/functions/${f}`)];
    const flags = ['--noEmit', '--allowJs', '--checkJs', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--skipLibCheck', '--types', 'node'];
    const result = spawnSync(process.execPath, [tsc, ...flags, ...files], { encoding: 'utf8' });
    strictEqual(result.stdout + result.stderr, '');
    strictEqual(result.status, 0);
  });
});

describe('default ruleset', () => {
  let ruleset: Ruleset;
  before(async () => {
    ruleset = await loadRuleset();
  });

  it('is rulesets/accord.yaml at the package root', () => {
    strictEqual(defaultRulesetPath(), resolve('rulesets', 'accord.yaml'));
    strictEqual(existsSync(defaultRulesetPath()), true);
  });

  it('holds exactly the thirteen house rules, enabled, with descriptions', () => {
    const house = Object.entries(ruleset.rules).filter(([id]) => id.startsWith('accord-'));
    deepStrictEqual(house.map(([id]) => id).sort(), HOUSE_RULES);
    for (const [id, rule] of house) {
      strictEqual(rule.enabled, true, id);
      strictEqual(typeof rule.description, 'string', id);
    }
  });

  it("switches off Spectral's rules that a house rule reports instead", () => {
    for (const id of ['operation-operationId', 'operation-operationId-unique', 'path-keys-no-trailing-slash']) {
      strictEqual(ruleset.rules[id]?.enabled, false, id);
    }
  });

  it('keeps the rest of spectral:oas recommended', () => {
    for (const id of ['oas3-schema', 'info-contact', 'oas3-operation-security-defined', 'operation-success-response']) {
      strictEqual(ruleset.rules[id]?.enabled, true, id);
    }
  });

  it('reports house and Spectral findings at their default severities', async () => {
    deepStrictEqual(summary(await lintDocument(ruleset, DOCUMENT)), [
      ['info-contact', 'warn', 2],
      ['accord-servers-https', 'error', 7],
      ['accord-path-no-verbs', 'warn', 13],
      ['accord-problem-json-errors', 'warn', 29],
    ]);
  });

  it('finds nothing at all in a document that follows every rule', async () => {
    deepStrictEqual(await lintDocument(ruleset, join(LINT_FIXTURES, 'documents', 'clean.yaml')), []);
  });

  it('marks the diff checks, and only them, as diff-check rules', () => {
    strictEqual(isDiffCheckRule(ruleset.rules['accord-operation-id-unique']!), false);
    strictEqual(isDiffCheckRule(ruleset.rules['oas3-schema']!), false);
    strictEqual(isDiffCheckRule(ruleset.rules['request-parameter-became-required']!), true);
  });
});

describe('a user ruleset extending the default by path', () => {
  it('switches rules off and re-levels them', async () => {
    const ruleset = await loadRuleset(join(LINT_FIXTURES, 'rulesets', 'overrides.yaml'));
    deepStrictEqual(summary(await lintDocument(ruleset, DOCUMENT)), [
      ['accord-servers-https', 'hint', 7],
      ['accord-problem-json-errors', 'error', 29],
    ]);
  });

  it("redefines a house rule with new options, declaring Accord's functions folder", async () => {
    const ruleset = await loadRuleset(join(LINT_FIXTURES, 'rulesets', 'custom-options.yaml'));
    const findings = (await lintDocument(ruleset, DOCUMENT)).filter((f) => f.id === 'accord-path-no-verbs');
    deepStrictEqual(
      findings.map((f) => [f.severity, f.location.line, f.message]),
      [['error', 13, 'path segment "orders" of /orders/create starts with the verb "orders" (let the HTTP method say what happens)']],
    );
  });

  it('is loaded from a path relative to the working directory', async () => {
    const ruleset = await loadRuleset('test/unit/fixtures/lint/rulesets/overrides.yaml');
    strictEqual(ruleset.rules['accord-path-no-verbs']?.enabled, false);
  });
});
