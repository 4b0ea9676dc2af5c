/** `accord lint` as a user runs it: the built binary (dist/cli.js, built by `npm test`), its exit codes, formats and one-line errors. */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOCUMENTS = 'test/unit/fixtures/lint/documents';
const RULESETS = 'test/unit/fixtures/lint/rulesets';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function accord(args: string[]): Run {
  const result = spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Scenario {
  name: string;
  args: string[];
  status: number;
  /** Exact stderr (exit 2 cases: one line). */
  stderr?: string;
  /** Lines stdout must contain. */
  stdoutHas?: string[];
}

const SCENARIOS: Scenario[] = [
  { name: 'a clean document passes', args: ['lint', `${DOCUMENTS}/clean.yaml`], status: 0, stderr: '', stdoutHas: ['No findings in 1 file.'] },
  {
    name: 'an error-level finding fails',
    args: ['lint', `${DOCUMENTS}/house-violations.yaml`],
    status: 1,
    stderr: '',
    stdoutHas: ['accord-servers-https', 'server URL http://api.example.com uses http, not https'],
  },
  { name: 'a rule a user ruleset raises to error fails', args: ['lint', `${DOCUMENTS}/house-violations.yaml`, '--ruleset', `${RULESETS}/overrides.yaml`], status: 1, stderr: '' },
  { name: 'warnings fail with --fail-severity warn', args: ['lint', `${DOCUMENTS}/external-ref.yaml`, '--fail-severity', 'warn'], status: 1, stderr: '' },
  { name: 'the same warnings pass with the default threshold', args: ['lint', `${DOCUMENTS}/external-ref.yaml`], status: 0, stderr: '' },
  { name: 'an error passes once a user ruleset lowers it to hint', args: ['lint', `${DOCUMENTS}/http-server.yaml`, '--ruleset', `${RULESETS}/overrides.yaml`], status: 0, stderr: '' },
  { name: 'that hint still passes at --fail-severity info', args: ['lint', `${DOCUMENTS}/http-server.yaml`, '--ruleset', `${RULESETS}/overrides.yaml`, '--fail-severity', 'info'], status: 0, stderr: '' },
  { name: 'that hint fails at --fail-severity hint', args: ['lint', `${DOCUMENTS}/http-server.yaml`, '--ruleset', `${RULESETS}/overrides.yaml`, '--fail-severity', 'hint'], status: 1, stderr: '' },
  { name: 'the same document fails with the default ruleset', args: ['lint', `${DOCUMENTS}/http-server.yaml`], status: 1, stderr: '' },
  {
    name: 'a rule that stops with an error is a finding, not a failed run',
    args: ['lint', 'test/unit/fixtures/lint-rule-failures/ref-in-enum-place.yaml'],
    status: 1,
    stderr: '',
    stdoutHas: ['lint-rule-failed', "rule 'oas3-schema' stopped with an error here and did not check this value", 'invalid-ref'],
  },
  { name: 'missing document', args: ['lint', `${DOCUMENTS}/nope.yaml`], status: 2, stderr: `accord: ${DOCUMENTS}/nope.yaml: file not found\n` },
  { name: 'invalid YAML, with its line', args: ['lint', `${DOCUMENTS}/syntax-error.yaml`], status: 2, stderr: `accord: ${DOCUMENTS}/syntax-error.yaml:5: invalid YAML: missed comma between flow collection entries\n` },
  { name: 'not an OpenAPI document', args: ['lint', `${DOCUMENTS}/not-openapi.yaml`], status: 2, stderr: `accord: ${DOCUMENTS}/not-openapi.yaml:1 (#/openapi): not an OpenAPI document: no "openapi" version field\n` },
  { name: 'missing ruleset', args: ['lint', `${DOCUMENTS}/clean.yaml`, '--ruleset', `${RULESETS}/nope.yaml`], status: 2, stderr: `accord: ${RULESETS}/nope.yaml: ruleset file not found\n` },
  {
    name: 'ruleset with an unknown function: file, line and pointer',
    args: ['lint', `${DOCUMENTS}/clean.yaml`, '--ruleset', `${RULESETS}/unknown-function.yaml`],
    status: 2,
    stderr: `accord: ${RULESETS}/unknown-function.yaml:7 (#/rules/house-summary/then/function): function no-such-function is not defined (declare it under functions, or use a Spectral core function)\n`,
  },
  {
    name: 'ruleset with options a house function rejects',
    args: ['lint', `${DOCUMENTS}/clean.yaml`, '--ruleset', `${RULESETS}/bad-options.yaml`],
    status: 2,
    stderr: `accord: ${RULESETS}/bad-options.yaml:10 (#/rules/my-no-verbs/then/functionOptions/verbs): verbs must be a non-empty list of lower-case words\n`,
  },
  { name: 'ruleset with a YAML error', args: ['lint', `${DOCUMENTS}/clean.yaml`, '--ruleset', `${RULESETS}/yaml-error.yaml`], status: 2, stderr: `accord: ${RULESETS}/yaml-error.yaml:5: invalid YAML: missed comma between flow collection entries\n` },
  { name: 'unknown --format', args: ['lint', `${DOCUMENTS}/clean.yaml`, '--format', 'yaml'], status: 2, stderr: "error: option '--format <format>' argument 'yaml' is invalid. Allowed choices are text, json, sarif, junit, github, markdown.\n" },
  { name: 'unknown --fail-severity', args: ['lint', `${DOCUMENTS}/clean.yaml`, '--fail-severity', 'fatal'], status: 2, stderr: "error: option '--fail-severity <severity>' argument 'fatal' is invalid. Allowed choices are error, warn, info, hint.\n" },
  { name: 'no document given', args: ['lint'], status: 2, stderr: "error: missing required argument 'spec'\n" },
];

describe('accord lint', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, () => {
      const run = accord(scenario.args);
      strictEqual(run.status, scenario.status, `stdout: ${run.stdout}\nstderr: ${run.stderr}`);
      if (scenario.stderr !== undefined) strictEqual(run.stderr, scenario.stderr);
      for (const text of scenario.stdoutHas ?? []) strictEqual(run.stdout.includes(text), true, `stdout lacks ${text}:\n${run.stdout}`);
    });
  }

  it('--format json prints the findings with ID, severity, operation and location', () => {
    const run = accord(['lint', `${DOCUMENTS}/house-violations.yaml`, '--format', 'json', '--ruleset', `${RULESETS}/overrides.yaml`]);
    strictEqual(run.status, 1);
    deepStrictEqual(JSON.parse(run.stdout), {
      passed: false,
      findings: [
        {
          id: 'accord-servers-https',
          severity: 'hint',
          message: 'server URL http://api.example.com uses http, not https',
          source: 'lint',
          operation: null,
          path: null,
          location: { file: `${DOCUMENTS}/house-violations.yaml`, line: 7, pointer: '/servers/0/url' },
        },
        {
          id: 'accord-problem-json-errors',
          severity: 'error',
          message: '400 response declares application/json, not application/problem+json',
          source: 'lint',
          operation: 'POST /orders/create',
          path: '/orders/create',
          location: { file: `${DOCUMENTS}/house-violations.yaml`, line: 29, pointer: '/paths/~1orders~1create/post/responses/400' },
        },
      ],
    });
  });

  it('--format sarif describes the house rules and leaves the diff checks out', () => {
    const run = accord(['lint', `${DOCUMENTS}/clean.yaml`, '--format', 'sarif']);
    strictEqual(run.status, 0);
    const ids = (JSON.parse(run.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } } }> }).runs[0]!.tool.driver.rules.map((r) => r.id);
    strictEqual(ids.includes('accord-operation-security-declared'), true);
    strictEqual(ids.includes('request-parameter-became-required'), false);
  });

  it('--format sarif reports a rule that stopped with an error as a described lint-rule-failed result', () => {
    const run = accord(['lint', 'test/unit/fixtures/lint-rule-failures/ref-in-enum-place.yaml', '--format', 'sarif']);
    strictEqual(run.status, 1, run.stderr);
    const sarif = JSON.parse(run.stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; shortDescription: { text: string } }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string }> }>;
    };
    const { rules } = sarif.runs[0]!.tool.driver;
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'lint-rule-failed');
    strictEqual(result?.level, 'error');
    strictEqual(rules[result.ruleIndex]?.id, 'lint-rule-failed');
    strictEqual(rules[result.ruleIndex]?.shortDescription.text.startsWith('A lint rule stopped with an error on a value'), true);
  });

  it('runs from another working directory with the bundled ruleset', () => {
    const result = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'lint', resolve(ROOT, DOCUMENTS, 'clean.yaml')], { cwd: resolve(ROOT, '..'), encoding: 'utf8' });
    strictEqual(result.status, 0, result.stderr);
  });
});
