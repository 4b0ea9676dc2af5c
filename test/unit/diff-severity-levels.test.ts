// Severities for a gateway that enforces the contract: security changes that refuse existing callers,
// and required properties that requests must now send or responses no longer return, are breaking by
// default; rulesets/oasdiff-levels.yaml gives each its oasdiff level back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import { applyRulesetToDiff } from '../../src/governance/lint/diff-rules.js';
import { loadRuleset } from '../../src/governance/lint/load-ruleset.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const NOW = new Date('2025-06-01T12:00:00Z');

/** [fixture folder, ID, Accord's default severity, severity under oasdiff-levels]. */
const SCENARIOS: Array<[folder: string, id: string, accord: string, oasdiff: string]> = [
  ['diff/api-security-added-to-open-operation', 'api-security-added', 'error', 'info'],
  ['diff/api-security-added', 'api-security-added', 'info', 'info'],
  ['diff/api-security-scope-added', 'api-security-scope-added', 'error', 'info'],
  ['diff/api-security-second-scheme-required', 'api-security-added', 'error', 'info'],
  ['diff/api-security-second-scheme-required', 'api-security-removed', 'error', 'info'],
  ['diff/api-security-anonymous-removed', 'api-security-removed', 'error', 'info'],
  ['diff/api-security-removed', 'api-security-removed', 'error', 'info'],
  ['diff/api-security-made-public', 'api-security-removed', 'info', 'info'],
  ['diff/api-global-security-added', 'api-global-security-added', 'error', 'info'],
  ['diff/api-global-security-scope-added', 'api-global-security-scope-added', 'error', 'info'],
  ['diff/api-global-security-removed-alternative', 'api-global-security-removed', 'error', 'info'],
  ['diff/api-security-component-type-changed', 'api-security-component-type-changed', 'error', 'info'],
  ['diff-levels/required-property-read-only-removed', 'request-required-property-became-not-read-only', 'error', 'info'],
  ['diff-levels/required-property-write-only-added', 'response-required-property-became-write-only', 'error', 'info'],
];

function load(folder: string, side: 'base' | 'revision') {
  const yaml = join(FIXTURES, folder, `${side}.yaml`);
  return loadOpenApi(existsSync(yaml) ? yaml : join(FIXTURES, folder, `${side}.json`));
}

const oasdiffLevels = loadRuleset(join(ROOT, 'rulesets', 'oasdiff-levels.yaml'));

for (const [folder, id, accord, oasdiff] of SCENARIOS) {
  test(`severity: ${folder} reports ${id} at ${accord}; with oasdiff-levels at ${oasdiff}`, async () => {
    const findings = diffContracts(load(folder, 'base'), load(folder, 'revision'), { now: NOW }).filter((f) => f.id === id);
    assert.deepEqual(findings.map((f) => f.severity), [accord]);
    const relevelled = applyRulesetToDiff(await oasdiffLevels, findings);
    assert.deepEqual(relevelled.map((f) => f.severity), [oasdiff]);
  });
}

test('severity: oasdiff-levels leaves every other check at its default level', async () => {
  const ruleset = await oasdiffLevels;
  const findings = diffContracts(load('diff/request-parameter-became-required', 'base'), load('diff/request-parameter-became-required', 'revision'), { now: NOW });
  assert.deepEqual(applyRulesetToDiff(ruleset, findings).map((f) => [f.id, f.severity]), [['request-parameter-became-required', 'error']]);
});
