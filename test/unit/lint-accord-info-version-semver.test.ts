/** accord-info-version-semver: failing and passing fixtures (test/unit/fixtures/lint/accord-info-version-semver/). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { lintDocument, loadRuleset, severityOf, type Ruleset } from '../../src/governance/lint/index.js';
import { describeRule, LINT_FIXTURES } from './fixtures/lint/lint-fixture.js';

describeRule('accord-info-version-semver', [
  {
    name: '1.0 is not MAJOR.MINOR.PATCH',
    fixture: 'fail-two-parts.yaml',
    expected: [
      { severity: 'error', line: 4, pointer: '/info/version', message: 'info.version "1.0" is not a semantic version (MAJOR.MINOR.PATCH)' },
    ],
  },
  {
    name: 'a v prefix is not semver',
    fixture: 'fail-v-prefix.yaml',
    expected: [
      { severity: 'error', line: 4, pointer: '/info/version', message: 'info.version "v2.1.0" is not a semantic version (MAJOR.MINOR.PATCH)' },
    ],
  },
  {
    name: 'pre-release and build metadata pass',
    fixture: 'pass-prerelease-build.yaml',
    expected: [],
  },
  {
    name: 'a release version passes',
    fixture: 'pass-release.yaml',
    expected: [],
  },
]);

// ---- configured forms, and the path style rules switched off in one line each ------------------

describe('accord-info-version-semver with functionOptions accept [semver, date, major-minor]', () => {
  let configured: Ruleset;
  let bundled: Ruleset;
  before(async () => {
    configured = await loadRuleset(join(LINT_FIXTURES, 'rulesets', 'version-forms.yaml'));
    bundled = await loadRuleset();
  });
  const release = readFileSync(join(LINT_FIXTURES, 'accord-info-version-semver', 'pass-release.yaml'), 'utf8');
  const withVersion = (version: string): string => release.replace(/^ {2}version: .*$/m, `  version: '${version}'`);
  const messagesOf = async (ruleset: Ruleset, version: string): Promise<string[]> =>
    (await lintDocument(ruleset, join(LINT_FIXTURES, 'accord-info-version-semver', 'configured.yaml'), withVersion(version))).filter((f) => f.id === 'accord-info-version-semver').map((f) => f.message);

  const scenarios: Array<{ version: string; configured: string[]; bundled: string[] }> = [
    { version: '2024-01-01', configured: [], bundled: ['info.version "2024-01-01" is not a semantic version (MAJOR.MINOR.PATCH)'] },
    { version: '2025-03-31.basil', configured: [], bundled: ['info.version "2025-03-31.basil" is not a semantic version (MAJOR.MINOR.PATCH)'] },
    { version: '1.2', configured: [], bundled: ['info.version "1.2" is not a semantic version (MAJOR.MINOR.PATCH)'] },
    { version: '1.2.3', configured: [], bundled: [] },
    { version: 'v1', configured: ['info.version "v1" is not a semantic version (MAJOR.MINOR.PATCH), a date (YYYY-MM-DD) or MAJOR.MINOR'], bundled: ['info.version "v1" is not a semantic version (MAJOR.MINOR.PATCH)'] },
    { version: '2024-13-01', configured: ['info.version "2024-13-01" is not a semantic version (MAJOR.MINOR.PATCH), a date (YYYY-MM-DD) or MAJOR.MINOR'], bundled: ['info.version "2024-13-01" is not a semantic version (MAJOR.MINOR.PATCH)'] },
  ];
  for (const s of scenarios) {
    it(`${s.version}: ${s.configured.length === 0 ? 'accepted' : 'refused'} when configured, ${s.bundled.length === 0 ? 'accepted' : 'refused'} by the bundled rule`, async () => {
      assert.deepEqual(await messagesOf(configured, s.version), s.configured);
      assert.deepEqual(await messagesOf(bundled, s.version), s.bundled);
    });
  }

  it('the path style rules are warnings, and one line each switches them off', async () => {
    for (const id of ['accord-path-kebab-case', 'accord-path-no-verbs']) {
      assert.equal(severityOf(Number(bundled.rules[id]!.severity)), 'warn', id);
      assert.equal(configured.rules[id]!.enabled, false, id);
    }
    const fixture = join(LINT_FIXTURES, 'accord-path-no-verbs', 'fail-verbs.yaml');
    const ids = async (ruleset: Ruleset): Promise<string[]> => (await lintDocument(ruleset, fixture)).map((f) => f.id).filter((id) => id.startsWith('accord-path-'));
    assert.ok((await ids(bundled)).includes('accord-path-no-verbs'));
    assert.deepEqual(await ids(configured), []);
  });
});
