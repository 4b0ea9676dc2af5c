// `accord diff` as a user runs it: exit codes 0/1/2, the JSON contract, and git:REF:PATH inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.ts');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'diff-cli');
// Resolved here so that runs from another working directory (a scratch git repository) still find it.
const TSX = import.meta.resolve('tsx');
const f = (name: string): string => join(FIXTURES, name);
const EQ = (name: string): string => join(import.meta.dirname, 'fixtures', 'diff-equivalence', 'described-ref', name);

// The test runner marks its children with NODE_TEST_CONTEXT; a CLI run must not inherit it.
const { NODE_TEST_CONTEXT: _testContext, ...ENV } = process.env;

function accord(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { cwd, encoding: 'utf8', env: { ...ENV, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const EXIT_SCENARIOS: Array<{ name: string; args: string[]; code: number; stderr?: RegExp }> = [
  { name: 'identical documents', args: [f('base.yaml'), f('base.yaml')], code: 0 },
  { name: 'compatible change (info only)', args: [f('base.yaml'), f('revision-compatible.yaml')], code: 0 },
  { name: 'possibly breaking change passes the default threshold', args: [f('base.yaml'), f('revision-warn.yaml')], code: 0 },
  { name: 'possibly breaking change fails with --fail-on warn', args: [f('base.yaml'), f('revision-warn.yaml'), '--fail-on', 'warn'], code: 1 },
  { name: 'breaking change', args: [f('base.yaml'), f('revision-breaking.yaml')], code: 1 },
  { name: 'missing file', args: [f('base.yaml'), f('nope.yaml')], code: 2, stderr: /^accord: .*nope\.yaml: file not found\n$/ },
  { name: 'invalid YAML names the line', args: [f('base.yaml'), f('invalid.yaml')], code: 2, stderr: /^accord: .*invalid\.yaml:\d+: invalid YAML/ },
  { name: 'not OpenAPI 3', args: [f('swagger.yaml'), f('base.yaml')], code: 2, stderr: /^accord: .*swagger\.yaml.*not an OpenAPI document/ },
  { name: 'unresolvable $ref', args: [f('base.yaml'), f('dangling-ref.yaml')], code: 2, stderr: /^accord: .*dangling-ref\.yaml.*missing\.yaml not found\n$/ },
  { name: 'unknown --fail-on', args: [f('base.yaml'), f('base.yaml'), '--fail-on', 'hint'], code: 2, stderr: /^accord: unknown --fail-on 'hint'/ },
  { name: 'unknown --format', args: [f('base.yaml'), f('base.yaml'), '--format', 'yaml'], code: 2, stderr: /^accord: unknown --format 'yaml'/ },
  { name: 'missing --ruleset file', args: [f('base.yaml'), f('base.yaml'), '--ruleset', f('no-ruleset.yaml')], code: 2, stderr: /^accord: .*no-ruleset\.yaml/ },
  { name: 'a described $ref is no change', args: [EQ('base.json'), EQ('revision.json')], code: 0 },
  { name: '--no-flatten compares a described $ref as written', args: [EQ('base.json'), EQ('revision.json'), '--no-flatten'], code: 1 },
];

for (const scenario of EXIT_SCENARIOS) {
  test(`accord diff: ${scenario.name} -> exit ${scenario.code}`, () => {
    const result = accord(['diff', ...scenario.args]);
    assert.equal(result.code, scenario.code, result.stderr);
    if (scenario.stderr) {
      assert.match(result.stderr, scenario.stderr);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line on stderr');
    }
  });
}

test('accord diff --format json prints the contract shape', () => {
  const result = accord(['diff', f('base.yaml'), f('revision-breaking.yaml'), '--format', 'json']);
  assert.equal(result.code, 1);
  const body = JSON.parse(result.stdout) as { breaking: boolean; changes: Array<Record<string, unknown>> };
  assert.deepEqual(Object.keys(body), ['breaking', 'changes']);
  assert.equal(body.breaking, true);
  assert.equal(body.changes.length, 1);
  const change = body.changes[0]!;
  assert.deepEqual(Object.keys(change), ['id', 'severity', 'message', 'operation', 'path', 'location', 'affects']);
  assert.equal(change.id, 'api-removed-without-deprecation');
  assert.equal(change.severity, 'error');
  assert.equal(change.operation, 'POST /orders');
  assert.equal(change.path, '/orders');
  // Removed: located in the base.
  assert.deepEqual(change.location, { file: 'test/unit/fixtures/diff-cli/base.yaml', line: 16, pointer: '/paths/~1orders/post' });
});

test('accord diff reads git:REF:PATH and resolves relative $refs in the same tree', () => {
  const repo = mkdtempSync(join(tmpdir(), 'accord-diff-git-'));
  try {
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    git('init', '-q');
    cpSync(join(FIXTURES, 'split'), join(repo, 'api'), { recursive: true });
    git('add', '.');
    git('commit', '-qm', 'v1');
    writeFileSync(join(repo, 'api', 'paths', 'orders.yaml'), readFileSync(join(FIXTURES, 'split', 'paths', 'orders-without-post.yaml')));
    git('commit', '-qam', 'v2: drop POST /orders');

    const breaking = accord(['diff', 'git:HEAD~1:api/api.yaml', 'git:HEAD:api/api.yaml', '--format', 'json'], repo);
    assert.equal(breaking.code, 1, breaking.stderr);
    const body = JSON.parse(breaking.stdout) as { changes: Array<{ id: string; operation: string; location: { file: string; line: number } }> };
    assert.deepEqual(body.changes.map((c) => [c.id, c.operation]), [['api-removed-without-deprecation', 'POST /orders']]);
    assert.equal(body.changes[0]!.location.file, 'git:HEAD~1:api/paths/orders.yaml');
    assert.equal(body.changes[0]!.location.line, 5);

    // A path relative to the working directory, and the working tree against a commit.
    const fromSubdir = accord(['diff', 'git:HEAD:api.yaml', 'api.yaml'], join(repo, 'api'));
    assert.equal(fromSubdir.code, 0, fromSubdir.stderr);

    const badRef = accord(['diff', 'git:no-such-ref:api/api.yaml', 'api/api.yaml'], repo);
    assert.equal(badRef.code, 2);
    assert.match(badRef.stderr, /^accord: git:no-such-ref:api\/api\.yaml: 'no-such-ref' is not a commit in this git repository\n$/);

    const badPath = accord(['diff', 'git:HEAD:api/nope.yaml', 'api/api.yaml'], repo);
    assert.equal(badPath.code, 2);
    assert.match(badPath.stderr, /^accord: git:HEAD:api\/nope\.yaml: file not found\n$/);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
