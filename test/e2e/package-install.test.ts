/**
 * The README's CI recipe as a user runs it: Accord packed as npm publishes it, installed as a dev
 * dependency of a contracts repository, then `npx accord check` and `npx accord lint` with a
 * ruleset that extends the installed `rulesets/accord.yaml`. `npm test` builds dist/ first; the
 * package is packed without running its scripts so that the build is not repeated.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Run {
  // Generous hang guards: installing reads ~300 packages from the npm cache.
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

describe('the installable package', () => {
  let dir: string;
  let project: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-package-'));
    project = join(dir, 'contracts-repo');
    mkdirSync(join(project, 'contracts', 'orders'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds dist/ when installed from git (prepare), packs what the CLI and rulesets need, installs from its tarball, and npx accord check / lint (extending the installed ruleset) work as the README says', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    assert.equal(pkg.scripts.prepare, 'npm run build --silent');
    assert.equal(pkg.bin.accord, 'dist/cli.js');
    const pack = run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    assert.equal(pack.status, 0, pack.stderr);
    const packed = (JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0]!;
    const files = new Set(packed.files.map((f) => f.path));
    for (const needed of ['dist/cli.js', 'package.json', 'README.md', 'rulesets/accord.yaml', 'rulesets/accord-diff-checks.js', 'rulesets/functions/diff-check.js', 'rulesets/functions/path-no-verbs.js']) {
      assert.ok(files.has(needed), `the package lacks ${needed}`);
    }
    assert.equal([...files].some((f) => f.startsWith('test/') || f.startsWith('src/')), false, 'tests and sources stay out of the package');
    const tarball = join(dir, packed.filename);

    // A contracts repository: orders 1.0.0 published on main, 2.0.0 proposed on a branch.
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'contracts-repo', private: true }));
    writeFileSync(join(project, '.gitignore'), 'node_modules\n');
    git(project, 'init', '-q', '-b', 'main');
    git(project, 'config', 'user.email', 'ci@example.com');
    git(project, 'config', 'user.name', 'CI');
    git(project, 'config', 'commit.gpgsign', 'false');
    copyFileSync(join(ROOT, 'contracts', 'orders', '1.0.0.yaml'), join(project, 'contracts', 'orders', '1.0.0.yaml'));
    git(project, 'add', '-A');
    git(project, 'commit', '-q', '-m', 'publish orders 1.0.0');
    git(project, 'checkout', '-q', '-b', 'feature');
    copyFileSync(join(ROOT, 'contracts', 'orders', '2.0.0.yaml'), join(project, 'contracts', 'orders', '2.0.0.yaml'));
    git(project, 'add', '-A');
    git(project, 'commit', '-q', '-m', 'orders 2.0.0');

    const install = run(NPM, ['install', tarball, '--save-dev', '--prefer-offline', '--no-audit', '--no-fund'], project);
    assert.equal(install.status, 0, install.stderr);

    const check = run('npx', ['accord', 'check', '--base', 'main', '--contracts', 'contracts', '--format', 'json'], project);
    assert.equal(check.status, 0, check.stderr + check.stdout);
    const report = JSON.parse(check.stdout) as { breaking: boolean; changes: Array<{ id: string; severity: string }> };
    // 2.0.0 is a new major: its breaking changes are reported at warn and the gate passes.
    assert.equal(report.changes.some((c) => c.severity === 'error'), false);
    assert.ok(report.changes.some((c) => c.id === 'new-required-request-property' && c.severity === 'warn'), check.stdout);

    writeFileSync(join(project, 'ruleset.yaml'), 'extends: [./node_modules/accord-gateway/rulesets/accord.yaml]\nrules:\n  accord-path-no-verbs: off\n  accord-info-version-semver: off\n');
    writeFileSync(join(project, 'verb.yaml'), readFileSync(join(project, 'contracts', 'orders', '1.0.0.yaml'), 'utf8').replace(/^  version: .*$/m, '  version: v1'));
    const lint = run('npx', ['accord', 'lint', 'verb.yaml', '--ruleset', 'ruleset.yaml', '--format', 'json'], project);
    assert.equal(lint.status, 0, lint.stderr + lint.stdout);
    const byDefault = run(process.execPath, [join('node_modules', '.bin', 'accord'), 'lint', 'verb.yaml', '--format', 'json'], project);
    assert.equal(byDefault.status, 1, byDefault.stderr);
    assert.deepEqual(
      (JSON.parse(byDefault.stdout) as { findings: Array<{ id: string; severity: string }> }).findings.filter((f) => f.severity === 'error').map((f) => f.id),
      ['accord-info-version-semver'],
    );
  });
});
