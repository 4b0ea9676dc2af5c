/** Ruleset errors: every way a ruleset can be unusable is reported with its file, JSON pointer and line. */
import { deepStrictEqual, ok, rejects } from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { loadRuleset, RulesetError } from '../../src/governance/lint/index.js';
import { spectralUsesNativeAggregateError } from '../../src/governance/lint/native-aggregate-error.js';
import { LINT_FIXTURES } from './fixtures/lint/lint-fixture.js';

const RULESETS = join(LINT_FIXTURES, 'rulesets');

interface Scenario {
  name: string;
  ruleset: string;
  expected: { code: RulesetError['code']; file: string; pointer: string; line: number | undefined; message: string };
}

const SCENARIOS: Scenario[] = [
  {
    name: 'missing ruleset file',
    ruleset: 'nope.yaml',
    expected: { code: 'RULESET_NOT_FOUND', file: 'nope.yaml', pointer: '', line: undefined, message: 'ruleset file not found' },
  },
  {
    name: 'YAML syntax error',
    ruleset: 'yaml-error.yaml',
    expected: { code: 'RULESET_SYNTAX', file: 'yaml-error.yaml', pointer: '', line: 5, message: 'invalid YAML: missed comma between flow collection entries' },
  },
  {
    name: 'unknown function',
    ruleset: 'unknown-function.yaml',
    expected: { code: 'RULESET_INVALID', file: 'unknown-function.yaml', pointer: '/rules/house-summary/then/function', line: 7, message: 'function no-such-function is not defined (declare it under functions, or use a Spectral core function)' },
  },
  {
    name: 'declared function without a file',
    ruleset: 'missing-function-file.yaml',
    expected: { code: 'RULESET_INVALID', file: 'missing-function-file.yaml', pointer: '/functions/0', line: 2, message: `function ghost: file ${join(RULESETS, 'functions', 'ghost.js')} not found` },
  },
  {
    name: 'function file with a syntax error, located in that file',
    ruleset: 'broken-function.yaml',
    expected: { code: 'RULESET_INVALID', file: 'functions/broken.js', pointer: '', line: 3, message: 'Unexpected token' },
  },
  {
    name: 'options rejected by a house function schema (empty list)',
    ruleset: 'bad-options.yaml',
    expected: { code: 'RULESET_INVALID', file: 'bad-options.yaml', pointer: '/rules/my-no-verbs/then/functionOptions/verbs', line: 10, message: 'verbs must be a non-empty list of lower-case words' },
  },
  {
    name: 'an option a house function does not know',
    ruleset: 'unknown-option.yaml',
    expected: { code: 'RULESET_INVALID', file: 'unknown-option.yaml', pointer: '/rules/my-https/then/functionOptions/allowSchemes', line: 10, message: '"accordServersHttps" function does not support "allowSchemes" option' },
  },
  {
    name: 'options given to a house function that takes none',
    ruleset: 'options-on-optionless.yaml',
    expected: { code: 'RULESET_INVALID', file: 'options-on-optionless.yaml', pointer: '/rules/my-ids/then/functionOptions', line: 8, message: '"accordOperationIdUnique" function does not accept any options' },
  },
  {
    name: 'invalid severity',
    ruleset: 'bad-severity.yaml',
    expected: { code: 'RULESET_INVALID', file: 'bad-severity.yaml', pointer: '/rules/house-title/severity', line: 5, message: 'the value has to be one of: 0, 1, 2, 3 or "error", "warn", "info", "hint", "off"' },
  },
  {
    name: 'extended ruleset file missing',
    ruleset: 'missing-extends.yaml',
    expected: { code: 'RULESET_NOT_FOUND', file: 'missing-extends.yaml', pointer: '/extends/1', line: 3, message: 'extended ruleset ./not-there.yaml not found' },
  },
  {
    name: 'an error inside an extended ruleset is located in that file',
    ruleset: 'extends-bad-options.yaml',
    expected: { code: 'RULESET_INVALID', file: 'bad-options.yaml', pointer: '/rules/my-no-verbs/then/functionOptions/verbs', line: 10, message: 'verbs must be a non-empty list of lower-case words' },
  },
  {
    name: 'override of a rule (or diff check) ID that does not exist',
    ruleset: 'unknown-override.yaml',
    expected: { code: 'RULESET_INVALID', file: 'unknown-override.yaml', pointer: '/rules/response-property-vanished', line: 4, message: 'rule response-property-vanished is not defined by this ruleset or any it extends' },
  },
];

describe('ruleset errors', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const error = await loadRuleset(join(RULESETS, scenario.ruleset)).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      ok(error instanceof RulesetError, `expected a RulesetError, got ${String(error)}`);
      const { code, file, pointer, line, message } = error;
      deepStrictEqual({ code, file, pointer, line, message }, { ...scenario.expected, file: join(RULESETS, scenario.expected.file) });
    });
  }

  it("Spectral wraps the errors above with the runtime's AggregateError, without loading the polyfill", () => {
    ok(spectralUsesNativeAggregateError());
    const spectralRequire = createRequire(createRequire(import.meta.url).resolve('@stoplight/spectral-core'));
    const polyfillDir = join(spectralRequire.resolve('es-aggregate-error'), '..');
    deepStrictEqual(
      Object.keys(spectralRequire.cache).filter((file) => file.startsWith(polyfillDir)),
      [spectralRequire.resolve('es-aggregate-error')],
    );
  });

  it('describe() is one line with file, line and pointer', async () => {
    await rejects(loadRuleset(join(RULESETS, 'bad-severity.yaml')), (error: unknown) => {
      ok(error instanceof RulesetError);
      deepStrictEqual(
        error.describe(),
        `${join(RULESETS, 'bad-severity.yaml')}:5 (#/rules/house-title/severity): the value has to be one of: 0, 1, 2, 3 or "error", "warn", "info", "hint", "off"`,
      );
      return true;
    });
  });
});
