// Bounded cost: a schema pair is compared once however many paths reach it (visits grow linearly
// with the depth of a $ref graph whose paths grow exponentially), and a budget stops a diff cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOpenApi, type OpenApiDocument } from '../../src/contracts/openapi-document.js';
import { DiffBudget, DiffBudgetExceeded, diffContracts } from '../../src/governance/diff/index.js';
import { refGraphContract } from '../support/ref-graph.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const WIDTH = 9;

function doc(name: string, depth: number, leafType: string): OpenApiDocument {
  return loadOpenApi(`/virtual/${name}/openapi.json`, { text: JSON.stringify(refGraphContract(depth, WIDTH, leafType)) });
}

function visits(depth: number): { visited: number; findings: string[] } {
  const budget = new DiffBudget();
  const findings = diffContracts(doc('base', depth, 'string'), doc('revision', depth, 'integer'), { now: NOW, budget });
  return { visited: budget.visited, findings: findings.map((f) => `${f.id} ${f.message}`) };
}

test('bounded cost: node visits grow linearly with the depth of a 9-wide $ref graph (depths 4 to 12)', () => {
  const counts: number[] = [];
  for (let depth = 4; depth <= 12; depth++) {
    const { visited, findings } = visits(depth);
    counts.push(visited);
    // One change, reported once per direction, named from its component.
    assert.deepEqual(findings, [
      `response-property-type-changed schema 'L${depth}' type changed from 'string' to 'integer'`,
      `request-property-type-changed schema 'L${depth}' type changed from 'string' to 'integer'`,
    ]);
  }
  const steps = counts.slice(1).map((n, i) => n - counts[i]!);
  // The same number of extra visits per extra level: linear, where 9^depth paths reach the leaf.
  assert.deepEqual(new Set(steps).size, 1, `visits per depth: ${counts.join(', ')}`);
  assert.ok(counts[counts.length - 1]! < 200, `visits at depth 12: ${counts[counts.length - 1]}`);
});

const BUDGET_SCENARIOS: Array<{ name: string; budget: () => DiffBudget; limit: 'nodes' | 'time'; message: RegExp }> = [
  { name: 'node budget', budget: () => new DiffBudget({ maxNodes: 10 }), limit: 'nodes', message: /^diff stopped: more than 10 schema nodes visited/ },
  {
    name: 'time budget (a clock that jumps a minute per reading)',
    budget: () => {
      let now = 0;
      return new DiffBudget({ timeoutMs: 1000 }, () => (now += 60_000));
    },
    limit: 'time',
    message: /^diff stopped: it took longer than 1000 ms/,
  },
];

for (const scenario of BUDGET_SCENARIOS) {
  test(`bounded cost: exceeding the ${scenario.name} throws DiffBudgetExceeded`, () => {
    assert.throws(
      () => diffContracts(doc('base', 12, 'string'), doc('revision', 12, 'integer'), { now: NOW, budget: scenario.budget() }),
      (error: unknown) => error instanceof DiffBudgetExceeded && error.limit === scenario.limit && scenario.message.test(error.message),
    );
  });
}

test('bounded cost: a diff within its budget is unaffected by it', () => {
  const budget = new DiffBudget({ maxNodes: 1000, timeoutMs: 600_000 });
  assert.equal(diffContracts(doc('base', 6, 'string'), doc('revision', 6, 'integer'), { now: NOW, budget }).length, 2);
});

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.ts');
const TSX = import.meta.resolve('tsx');
const { NODE_TEST_CONTEXT: _testContext, ...ENV } = process.env;

test('accord diff: budget exceeded -> exit 2 with a one-line reason; --max-nodes raises it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-budget-'));
  try {
    writeFileSync(join(dir, 'base.json'), JSON.stringify(refGraphContract(12, WIDTH, 'string')));
    writeFileSync(join(dir, 'revision.json'), JSON.stringify(refGraphContract(12, WIDTH, 'integer')));
    const run = (...extra: string[]) => spawnSync(process.execPath, ['--import', TSX, CLI, 'diff', join(dir, 'base.json'), join(dir, 'revision.json'), ...extra], { cwd: ROOT, encoding: 'utf8', env: { ...ENV, NO_COLOR: '1' } });
    const stopped = run('--max-nodes', '20');
    assert.equal(stopped.status, 2, stopped.stderr);
    assert.equal(stopped.stdout, '');
    assert.match(stopped.stderr, /^accord: diff stopped: more than 20 schema nodes visited \(raise --max-nodes to allow more\)\n$/);
    const bad = run('--timeout', '0');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^accord: --timeout must be a positive number, got '0'\n$/);
    const done = run('--max-nodes', '100000', '--format', 'json');
    assert.equal(done.status, 1, done.stderr);
    assert.equal((JSON.parse(done.stdout) as { changes: unknown[] }).changes.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
