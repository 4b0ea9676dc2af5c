/** accord-info-version-semver: failing and passing fixtures (test/unit/fixtures/lint/accord-info-version-semver/). */
import { describeRule } from './fixtures/lint/lint-fixture.js';

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
