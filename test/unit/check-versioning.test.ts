/** The CI gate's pure parts: contract file names, SemVer order, previous-version lookup and the versioning policy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSemVer, joinRepoPath, parseContractPath, parseSemVer, previousVersion, type ContractFile } from '../../src/governance/check/contract-version.js';
import { allowsBreakingChange, acceptBreakingChange, POLICY_RULES } from '../../src/governance/check/versioning-policy.js';

const paths: Array<{ path: string; dir: string; expected: { api: string; version: string } | undefined }> = [
  { path: 'contracts/orders/1.2.3.yaml', dir: 'contracts', expected: { api: 'orders', version: '1.2.3' } },
  { path: 'contracts/orders/2.0.0-beta.1.yml', dir: 'contracts', expected: { api: 'orders', version: '2.0.0-beta.1' } },
  { path: 'contracts/orders/1.0.0.json', dir: 'contracts/', expected: { api: 'orders', version: '1.0.0' } },
  { path: 'apis/v/orders/1.0.0.yaml', dir: 'apis/v', expected: { api: 'orders', version: '1.0.0' } },
  { path: 'orders/1.0.0.yaml', dir: '', expected: { api: 'orders', version: '1.0.0' } },
  { path: 'contracts/shared/problem.yaml', dir: 'contracts', expected: undefined },
  { path: 'contracts/orders/v1.yaml', dir: 'contracts', expected: undefined },
  { path: 'contracts/orders/01.0.0.yaml', dir: 'contracts', expected: undefined },
  { path: 'contracts/orders/1.0.yaml', dir: 'contracts', expected: undefined },
  { path: 'contracts/orders/1.0.0.txt', dir: 'contracts', expected: undefined },
  { path: 'contracts/orders/old/1.0.0.yaml', dir: 'contracts', expected: undefined },
  { path: 'contracts/1.0.0.yaml', dir: 'contracts', expected: undefined },
  { path: 'contractsx/orders/1.0.0.yaml', dir: 'contracts', expected: undefined },
];

for (const scenario of paths) {
  test(`parseContractPath: ${scenario.path} under "${scenario.dir}"`, () => {
    const file = parseContractPath(scenario.path, scenario.dir);
    assert.deepEqual(file && { api: file.api, version: file.version.text }, scenario.expected);
  });
}

const order: Array<[string, string, '<' | '=' | '>']> = [
  ['1.0.0', '1.0.1', '<'],
  ['1.9.0', '1.10.0', '<'],
  ['2.0.0', '10.0.0', '<'],
  ['1.0.0-alpha', '1.0.0', '<'],
  ['1.0.0-alpha', '1.0.0-alpha.1', '<'],
  ['1.0.0-alpha.1', '1.0.0-alpha.beta', '<'],
  ['1.0.0-beta.2', '1.0.0-beta.11', '<'],
  ['1.0.0-rc.1', '1.0.0', '<'],
  ['3.1.4', '3.1.4', '='],
  ['2.0.0', '1.99.99', '>'],
];

for (const [a, b, expected] of order) {
  test(`compareSemVer: ${a} ${expected} ${b}`, () => {
    const c = compareSemVer(parseSemVer(a)!, parseSemVer(b)!);
    assert.equal(c < 0 ? '<' : c > 0 ? '>' : '=', expected);
  });
}

function file(api: string, version: string): ContractFile {
  return { path: `contracts/${api}/${version}.yaml`, api, version: parseSemVer(version)! };
}

const existing = [file('orders', '1.0.0'), file('orders', '1.2.0'), file('orders', '2.0.0'), file('users', '1.5.0')];

const previous: Array<{ name: string; next: ContractFile; expected: string | undefined }> = [
  { name: 'the highest lower version of the same API', next: file('orders', '1.3.0'), expected: 'contracts/orders/1.2.0.yaml' },
  { name: 'a backport between two versions', next: file('orders', '1.1.0'), expected: 'contracts/orders/1.0.0.yaml' },
  { name: 'a new major after all others', next: file('orders', '3.0.0'), expected: 'contracts/orders/2.0.0.yaml' },
  { name: 'a pre-release of the next major follows the last release', next: file('orders', '3.0.0-beta.1'), expected: 'contracts/orders/2.0.0.yaml' },
  { name: 'the first version of an API has none', next: file('billing', '1.0.0'), expected: undefined },
  { name: 'lower than every version has none', next: file('orders', '0.9.0'), expected: undefined },
];

for (const scenario of previous) {
  test(`previousVersion: ${scenario.name}`, () => {
    assert.equal(previousVersion(scenario.next, existing)?.path, scenario.expected);
  });
}

const breaking: Array<[string, string, boolean]> = [
  ['1.2.0', '2.0.0', true],
  ['1.2.0', '1.3.0', false],
  ['1.2.0', '1.2.1', false],
  ['1.2.0', '2.0.0-beta.1', true],
  ['0.3.0', '0.4.0', true],
  ['0.3.0', '0.3.1', false],
  ['0.3.0', '1.0.0', true],
];

for (const [from, to, expected] of breaking) {
  test(`allowsBreakingChange: ${from} -> ${to} is ${expected}`, () => {
    assert.equal(allowsBreakingChange(file('orders', from), file('orders', to)), expected);
  });
}

test('acceptBreakingChange: an error drops to warn and says why; other severities pass unchanged', () => {
  const next = file('orders', '2.0.0');
  const error = { id: 'request-parameter-removed', severity: 'error' as const, message: 'removed', source: 'diff' as const, location: { file: 'f', pointer: '' } };
  assert.deepEqual(acceptBreakingChange(error, next), { ...error, severity: 'warn', message: 'removed (allowed: 2.0.0 is a new major version)' });
  const info = { ...error, severity: 'info' as const };
  assert.equal(acceptBreakingChange(info, next), info);
});

const joins: Array<[string, string, string]> = [
  ['contracts/orders/1.0.0.yaml', '../shared/problem.yaml', 'contracts/shared/problem.yaml'],
  ['contracts/orders/1.0.0.yaml', 'schemas/order.yaml', 'contracts/orders/schemas/order.yaml'],
  ['contracts/orders/1.0.0.yaml', './my%20schema.yaml', 'contracts/orders/my schema.yaml'],
];

for (const [from, ref, expected] of joins) {
  test(`joinRepoPath: ${ref} from ${from}`, () => {
    assert.equal(joinRepoPath(from, ref), expected);
  });
}

test('POLICY_RULES: four policy rules, each an error with a stable contract- ID (pinned)', () => {
  assert.deepEqual(
    POLICY_RULES.map((r) => `${r.id} ${r.severity}`),
    ['contract-version-edited-in-place error', 'contract-breaking-change-without-major-bump error', 'contract-breaking-change-in-use error', 'contract-info-version-mismatch error'],
  );
});
