/** `accord check` as CI runs it: the built binary in a real temporary git repository, one scenario per policy outcome. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** Newest modification time under a folder, to tell whether dist/ is older than src/. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

before(() => {
  // `npm test` builds first; a direct `node --test` run builds here when dist/ is missing or stale.
  let built = 0;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newestMtime(join(ROOT, 'src'))) {
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', ROOT], { stdio: 'ignore' });
  }
});

const scratch = mkdtempSync(join(tmpdir(), 'accord-check-git-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// ---- contracts -------------------------------------------------------------------------------

interface Variant {
  version: string;
  /** Adds a query parameter `region` to GET /orders, required or optional. */
  region?: 'required' | 'optional';
  /** Adds GET /orders/{orderId}. */
  readEndpoint?: boolean;
  /** Where the Problem schema lives: inline in components, or in contracts/shared/problem.yaml. */
  problemRef?: 'inline' | 'shared';
  /** `info.version` when it should differ from `version`. */
  infoVersion?: string;
}

/** A small contract that passes the bundled ruleset without errors, in a few variants. */
function contract(v: Variant): string {
  const problem = v.problemRef === 'shared' ? { $ref: '../shared/problem.yaml#/Problem' } : { $ref: '#/components/schemas/Problem' };
  const parameters: unknown[] = [{ name: 'limit', in: 'query', required: false, description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 100 } }];
  if (v.region) parameters.push({ name: 'region', in: 'query', required: v.region === 'required', description: 'Only orders shipped to this region.', schema: { type: 'string' } });
  const errors = { '400': { description: 'Bad request.', content: { 'application/problem+json': { schema: problem } } } };
  const paths: Record<string, unknown> = {
    '/orders': {
      get: {
        operationId: 'listOrders',
        summary: 'List orders',
        description: 'Lists orders, newest first.',
        tags: ['orders'],
        security: [{ oauth2: ['orders:read'] }],
        parameters,
        responses: {
          '200': { description: 'Orders.', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } } } },
          ...errors,
        },
      },
    },
  };
  if (v.readEndpoint) {
    paths['/orders/{orderId}'] = {
      get: {
        operationId: 'readOrder',
        summary: 'Read an order',
        description: 'Reads one order.',
        tags: ['orders'],
        security: [{ oauth2: ['orders:read'] }],
        parameters: [{ name: 'orderId', in: 'path', required: true, description: 'Order id.', schema: { type: 'string' } }],
        responses: { '200': { description: 'The order.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }, ...errors },
      },
    };
  }
  const schemas: Record<string, unknown> = {
    Order: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string', enum: ['open', 'shipped'] } } },
  };
  if (v.problemRef !== 'shared') schemas.Problem = problemSchema('A problem document.');
  return stringify({
    openapi: '3.0.3',
    info: {
      title: 'Orders API',
      version: v.infoVersion ?? v.version,
      description: 'Orders for partners.',
      contact: { name: 'Orders team', email: 'orders@example.com' },
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: [{ url: 'https://api.example.com/orders', description: 'Production' }],
    tags: [{ name: 'orders', description: 'Orders.' }],
    paths,
    components: {
      schemas,
      securitySchemes: { oauth2: { type: 'oauth2', description: 'Client credentials.', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: { 'orders:read': 'Read orders' } } } } },
    },
  });
}

function problemSchema(description: string): unknown {
  return { type: 'object', description, required: ['title', 'status'], properties: { title: { type: 'string' }, status: { type: 'integer' } } };
}

// ---- repositories ----------------------------------------------------------------------------

/** A fresh repository whose main branch publishes orders 1.0.0, checked out on branch `feature`. */
function repository(name: string, options: { shared?: boolean } = {}): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'ci@example.com');
  git(dir, 'config', 'user.name', 'CI');
  git(dir, 'config', 'commit.gpgsign', 'false');
  write(dir, 'README.md', '# contracts\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'start');
  if (options.shared) write(dir, 'contracts/shared/problem.yaml', stringify({ Problem: problemSchema('A problem document.') }));
  write(dir, 'contracts/orders/1.0.0.yaml', contract({ version: '1.0.0', problemRef: options.shared ? 'shared' : 'inline' }));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'publish orders 1.0.0');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(repo: string, path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}

function commit(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function accord(cwd: string, args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonChange {
  id: string;
  severity: string;
  source: string;
  message: string;
  location: { file: string; line: number | null; pointer: string };
}

/** Diff and policy findings as `source severity id file`, sorted; lint errors too (there should be none). */
function verdicts(run: Run): string[] {
  const report = JSON.parse(run.stdout) as { changes: JsonChange[] };
  return report.changes
    .filter((c) => c.source !== 'lint' || c.severity === 'error')
    .map((c) => `${c.source} ${c.severity} ${c.id} ${c.location.file}`)
    .sort();
}

// ---- scenarios -------------------------------------------------------------------------------

interface Scenario {
  name: string;
  /** Prepares the feature branch (and work tree) of a fresh repository; returns the directory to run in. */
  arrange: (repo: string) => string;
  args: string[];
  code: number;
  /** Expected `verdicts` of the JSON report. */
  findings: string[];
}

const scenarios: Scenario[] = [
  {
    name: 'a breaking change in a new minor version fails and names the change',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', region: 'required' }));
      commit(repo, 'orders 1.1.0: region filter');
      return repo;
    },
    args: ['--base', 'main'],
    code: 1,
    findings: [
      'diff error new-required-request-parameter contracts/orders/1.1.0.yaml',
      'policy error contract-breaking-change-without-major-bump contracts/orders/1.1.0.yaml',
    ],
  },
  {
    name: 'the same breaking change in a new major version passes, reported at warn',
    arrange: (repo) => {
      write(repo, 'contracts/orders/2.0.0.yaml', contract({ version: '2.0.0', region: 'required' }));
      commit(repo, 'orders 2.0.0: region filter');
      return repo;
    },
    args: ['--base', 'main'],
    code: 0,
    findings: ['diff warn new-required-request-parameter contracts/orders/2.0.0.yaml'],
  },
  {
    name: 'a compatible change in a new minor version passes',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', region: 'optional', readEndpoint: true }));
      commit(repo, 'orders 1.1.0: optional region, read endpoint');
      return repo;
    },
    args: ['--base', 'main'],
    code: 0,
    findings: [
      'diff info endpoint-added contracts/orders/1.1.0.yaml',
      'diff info new-optional-request-parameter contracts/orders/1.1.0.yaml',
    ],
  },
  {
    name: 'editing a published version in place fails, even with a compatible change',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.0.0.yaml', contract({ version: '1.0.0', region: 'optional' }));
      commit(repo, 'orders 1.0.0: optional region');
      return repo;
    },
    args: ['--base', 'main'],
    code: 1,
    findings: [
      'diff info new-optional-request-parameter contracts/orders/1.0.0.yaml',
      'policy error contract-version-edited-in-place contracts/orders/1.0.0.yaml',
    ],
  },
  {
    name: 'an uncommitted edit of a published version counts (--base HEAD)',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.0.0.yaml', contract({ version: '1.0.0', readEndpoint: true }));
      return repo;
    },
    args: ['--base', 'HEAD'],
    code: 1,
    findings: [
      'diff info endpoint-added contracts/orders/1.0.0.yaml',
      'policy error contract-version-edited-in-place contracts/orders/1.0.0.yaml',
    ],
  },
  {
    name: 'editing a shared fragment a published version $refs is an edit in place of that version',
    arrange: (repo) => {
      write(repo, 'contracts/shared/problem.yaml', stringify({ Problem: problemSchema('An RFC 9457 problem document.') }));
      commit(repo, 'shared: reword Problem');
      return repo;
    },
    args: ['--base', 'main'],
    code: 1,
    findings: ['policy error contract-version-edited-in-place contracts/orders/1.0.0.yaml'],
  },
  {
    name: 'without --base, origin/main is the base when it exists',
    arrange: (repo) => {
      git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
      write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', region: 'required' }));
      commit(repo, 'orders 1.1.0');
      write(repo, 'README.md', '# contracts (second commit, so HEAD~1 would miss 1.1.0)\n');
      commit(repo, 'readme');
      return repo;
    },
    args: [],
    code: 1,
    findings: [
      'diff error new-required-request-parameter contracts/orders/1.1.0.yaml',
      'policy error contract-breaking-change-without-major-bump contracts/orders/1.1.0.yaml',
    ],
  },
  {
    name: 'without --base or origin/main, HEAD~1 is the base',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', infoVersion: '1.0.0' }));
      commit(repo, 'orders 1.1.0 with a stale info.version');
      return repo;
    },
    args: [],
    code: 1,
    findings: ['policy error contract-info-version-mismatch contracts/orders/1.1.0.yaml'],
  },
  {
    name: 'run from a subfolder, paths stay relative to the repository root',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', readEndpoint: true }));
      commit(repo, 'orders 1.1.0');
      return join(repo, 'contracts');
    },
    args: ['--base', 'main', '--contracts', '.'],
    code: 0,
    findings: ['diff info endpoint-added contracts/orders/1.1.0.yaml'],
  },
  {
    name: 'nothing changed under contracts passes with an empty report',
    arrange: (repo) => {
      write(repo, 'README.md', '# only docs changed\n');
      commit(repo, 'docs');
      return repo;
    },
    args: ['--base', 'main'],
    code: 0,
    findings: [],
  },
];

for (const [i, scenario] of scenarios.entries()) {
  test(`accord check: ${scenario.name}`, () => {
    const cwd = scenario.arrange(repository(`s${i}`, { shared: scenario.name.includes('shared fragment') }));
    const run = accord(cwd, ['check', ...scenario.args, '--format', 'json']);
    assert.equal(run.stderr, '');
    assert.deepEqual(verdicts(run), scenario.findings, run.stdout);
    assert.equal(run.code, scenario.code);
  });
}

test('accord check: the text report of a failing gate names the file, operation, change and policy', () => {
  const repo = repository('text');
  write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', region: 'required' }));
  commit(repo, 'orders 1.1.0');
  const run = accord(repo, ['check', '--base', 'main']);
  assert.equal(run.code, 1);
  const lines = run.stdout.split('\n');
  assert.equal(lines[0], 'contracts/orders/1.1.0.yaml');
  assert.ok(lines.some((l) => /^ {2}GET \/orders$/.test(l)), run.stdout);
  assert.ok(lines.some((l) => /\berror\s+new-required-request-parameter\s+.*region/.test(l)), run.stdout);
  assert.ok(lines.some((l) => /\berror\s+contract-breaking-change-without-major-bump\s+1 breaking change from 1\.0\.0 to 1\.1\.0 of orders without a new major version; publish it as 2\.0\.0 or later$/.test(l)), run.stdout);
  assert.match(lines.at(-2) ?? '', /failed: 2 at or above error\.$/);
});

test('accord check --format sarif: valid SARIF 2.1.0 with the policy rules, results on repository-relative paths', () => {
  const repo = repository('sarif');
  write(repo, 'contracts/orders/1.1.0.yaml', contract({ version: '1.1.0', region: 'required' }));
  commit(repo, 'orders 1.1.0');
  const run = accord(join(repo, 'contracts'), ['check', '--base', 'main', '--contracts', '.', '--format', 'sarif']);
  assert.equal(run.code, 1);
  const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'unit', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const log = JSON.parse(run.stdout) as {
    runs: Array<{
      tool: { driver: { rules: Array<{ id: string; defaultConfiguration: { level: string } }> } };
      results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }>;
    }>;
  };
  assert.equal(validate(log), true, JSON.stringify(validate.errors));
  const rules = log.runs[0]!.tool.driver.rules;
  assert.deepEqual(
    rules.filter((r) => r.id.startsWith('contract-')).map((r) => `${r.id} ${r.defaultConfiguration.level}`),
    ['contract-version-edited-in-place error', 'contract-breaking-change-without-major-bump error', 'contract-breaking-change-in-use error', 'contract-info-version-mismatch error'],
  );
  const failing = log.runs[0]!.results
    .filter((r) => r.level === 'error')
    .map((r) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uriBaseId}/${r.locations[0]!.physicalLocation.artifactLocation.uri}`)
    .sort();
  assert.deepEqual(failing, [
    'contract-breaking-change-without-major-bump %SRCROOT%/contracts/orders/1.1.0.yaml',
    'new-required-request-parameter %SRCROOT%/contracts/orders/1.1.0.yaml',
  ]);
});

const unusable: Array<{ name: string; arrange: (repo: string) => string; args: string[]; stderr: RegExp }> = [
  { name: 'an unknown --base ref', arrange: (repo) => repo, args: ['--base', 'no-such-branch'], stderr: /^accord: unknown git ref: no-such-branch\n$/ },
  { name: 'a directory that is not a git repository', arrange: () => mkdtempSync(join(scratch, 'plain-')), args: [], stderr: /^accord: not a git repository: .*plain-[^\n]*\n$/ },
  {
    name: 'a changed contract that is not valid YAML',
    arrange: (repo) => {
      write(repo, 'contracts/orders/1.1.0.yaml', 'openapi: 3.0.3\ninfo: [unclosed\n');
      return repo;
    },
    args: ['--base', 'main'],
    stderr: /^accord: [^\n]*contracts\/orders\/1\.1\.0\.yaml[^\n]*\n$/,
  },
  { name: 'a missing contracts folder', arrange: (repo) => repo, args: ['--base', 'main', '--contracts', 'apis'], stderr: /^accord: apis: contracts folder not found\n$/ },
  {
    name: 'a changed contract whose file name is not a semantic version (the gate cannot classify it)',
    arrange: (repo) => {
      write(repo, 'contracts/payments/v1.yaml', contract({ version: '1.0.0' }));
      commit(repo, 'payments v1');
      return repo;
    },
    args: ['--base', 'main'],
    stderr: /^accord: contracts\/payments\/v1\.yaml: an OpenAPI contract the gate cannot classify: expected the layout contracts\/<api>\/<semver>\.yaml \(or \.yml, \.json\)[^\n]*\n$/,
  },
  {
    name: 'a contract nested below its API folder',
    arrange: (repo) => {
      write(repo, 'contracts/orders/v2/2.0.0.yaml', contract({ version: '2.0.0' }));
      return repo;
    },
    args: ['--base', 'main'],
    stderr: /^accord: contracts\/orders\/v2\/2\.0\.0\.yaml: an OpenAPI contract the gate cannot classify/,
  },
  { name: 'an unknown --format', arrange: (repo) => repo, args: ['--format', 'xml'], stderr: /^error: option '--format <format>' argument 'xml' is invalid/ },
];

for (const [i, scenario] of unusable.entries()) {
  test(`accord check exits 2 with one line on stderr: ${scenario.name}`, () => {
    const cwd = scenario.arrange(repository(`u${i}`));
    const run = accord(cwd, ['check', ...scenario.args]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, scenario.stderr);
    assert.equal(run.stdout, '');
  });
}

// ---- git processes ---------------------------------------------------------------------------

/**
 * A `git` first on PATH that logs its sub-command, then runs the real git: counts the processes
 * a command starts. Returns the PATH to use and a reader of the logged sub-commands.
 */
function countingGit(): { path: string; calls: () => string[] } {
  const bin = mkdtempSync(join(scratch, 'bin-'));
  const log = join(bin, 'calls.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'git'), `#!/bin/sh\nfor a in "$@"; do case "$a" in -c|core.quotepath=off) ;; *) echo "$a" >> '${log}'; break;; esac; done\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return { path: `${bin}:${process.env.PATH ?? ''}`, calls: () => { try { return readFileSync(log, 'utf8').split('\n').filter(Boolean); } catch { return []; } } };
}

/** A contract whose 40 schemas each live in their own file under schemas/. */
function manyFileContract(repo: string, dir: string, version: string): void {
  const refs: Record<string, unknown> = {};
  for (let i = 0; i < 40; i++) {
    write(repo, `${dir}/schemas/s${i}.yaml`, stringify({ type: 'object', properties: { id: { type: 'string' }, [`f${i}`]: { type: 'integer' } } }));
    refs[`f${i}`] = { $ref: `./schemas/s${i}.yaml` };
  }
  write(repo, `${dir}/${version}.yaml`, contract({ version }).replace('components:\n', `components:\n  x-parts:\n${Object.entries(refs).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}\n`).join('')}`));
}

test('a contract of 40 files at a git ref is read in a few git processes, not one per file (accord diff git:REF:PATH and accord check)', () => {
  const repo = repository('many-files');
  manyFileContract(repo, 'contracts/big', '1.0.0');
  commit(repo, 'big 1.0.0');
  git(repo, 'branch', '-f', 'published');
  const counting = countingGit();
  const env = { ...process.env, NO_COLOR: '1', PATH: counting.path };

  const diff = spawnSync(process.execPath, [CLI, 'diff', 'git:published:contracts/big/1.0.0.yaml', 'contracts/big/1.0.0.yaml', '--format', 'json'], { cwd: repo, encoding: 'utf8', env });
  assert.equal(diff.status, 0, diff.stderr);
  assert.deepEqual(JSON.parse(diff.stdout), { breaking: false, changes: [] });
  const diffCalls = counting.calls();
  assert.equal(diffCalls.filter((c) => c === 'show').length, 0, diffCalls.join(' '));
  assert.equal(diffCalls.filter((c) => c === 'cat-file').length, 1, diffCalls.join(' '));

  // The published version edited in place: check reads the base version from git.
  write(repo, 'contracts/big/schemas/s7.yaml', stringify({ type: 'object', properties: { id: { type: 'string' } } }));
  commit(repo, 'edit big 1.0.0 in place');
  const before = counting.calls().length;
  const check = spawnSync(process.execPath, [CLI, 'check', '--base', 'published', '--format', 'json'], { cwd: repo, encoding: 'utf8', env });
  assert.equal(check.status, 1, check.stderr);
  assert.ok((JSON.parse(check.stdout) as { changes: JsonChange[] }).changes.some((c) => c.id === 'contract-version-edited-in-place'), check.stdout);
  const checkCalls = counting.calls().slice(before);
  assert.equal(checkCalls.filter((c) => c === 'show').length, 0, checkCalls.join(' '));
  assert.equal(checkCalls.filter((c) => c === 'cat-file').length, 1, checkCalls.join(' '));
});
