/** The git operations the CI gate needs, run with the git binary in one repository. */
import { spawnSync } from 'node:child_process';

/** Why git could not answer: not a repository, an unknown ref, or git itself failed. */
export class GitError extends Error {
  readonly code: 'GIT_NOT_A_REPOSITORY' | 'GIT_REF_UNKNOWN' | 'GIT_FAILED';

  constructor(code: GitError['code'], message: string) {
    super(message);
    this.name = 'GitError';
    this.code = code;
  }
}

/** One entry of `git diff --name-status`: A added, M modified, D deleted (renames are split, see `changedSince`). */
export interface ChangedPath {
  status: 'A' | 'M' | 'D';
  /** Path relative to the repository root, with forward slashes. */
  path: string;
}

/** Contracts can be megabytes; git's output is read whole. */
const MAX_OUTPUT = 1024 * 1024 * 1024;

/** The tree git uses for "nothing": diffing against it lists every file as added. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

function run(cwd: string, args: string[]): { ok: boolean; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', ['-c', 'core.quotepath=off', ...args], {
    cwd,
    maxBuffer: MAX_OUTPUT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  if (result.error) throw new GitError('GIT_FAILED', `cannot run git: ${result.error.message}`);
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.toString('utf8').trim() };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/** A git work tree: answers from the repository at `root`. */
export class GitRepository {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** The repository that contains `cwd`; GitError GIT_NOT_A_REPOSITORY when there is none. */
  static discover(cwd: string): GitRepository {
    const out = run(cwd, ['rev-parse', '--show-toplevel']);
    if (!out.ok) throw new GitError('GIT_NOT_A_REPOSITORY', `not a git repository: ${cwd}`);
    return new GitRepository(out.stdout.toString('utf8').trim());
  }

  /** The commit a ref names, or undefined when it names none. */
  tryCommit(ref: string): string | undefined {
    // `--end-of-options` keeps a ref that starts with "-" from being read as an option.
    const out = run(this.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return out.ok ? out.stdout.toString('utf8').trim() : undefined;
  }

  /** The commit a ref names; GitError GIT_REF_UNKNOWN when it names none. */
  commit(ref: string): string {
    const sha = this.tryCommit(ref);
    if (!sha) throw new GitError('GIT_REF_UNKNOWN', `unknown git ref: ${ref}`);
    return sha;
  }

  /** The best common ancestor of two commits, as `git diff A...B` uses; undefined for unrelated histories. */
  mergeBase(a: string, b: string): string | undefined {
    const out = run(this.root, ['merge-base', a, b]);
    return out.ok ? out.stdout.toString('utf8').trim() : undefined;
  }

  /**
   * Paths under `dir` that differ between `base` (a commit, or undefined for "nothing") and the
   * work tree: committed, staged and unstaged changes, plus untracked files that are not ignored.
   * Renames come as a deletion and an addition, which is what the versioning policy reasons about.
   */
  changedSince(base: string | undefined, dir: string): ChangedPath[] {
    const spec = ['--', dir];
    const diff = run(this.root, ['diff', '--name-status', '--no-renames', '-z', base ?? EMPTY_TREE, ...spec]);
    if (!diff.ok) throw new GitError('GIT_FAILED', `git diff failed: ${firstLine(diff.stderr)}`);
    const fields = diff.stdout.toString('utf8').split('\0').filter((f) => f !== '');
    const changes = new Map<string, ChangedPath>();
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const letter = fields[i]![0];
      const path = fields[i + 1]!;
      const status = letter === 'A' ? 'A' : letter === 'D' ? 'D' : 'M';
      changes.set(path, { status, path });
    }
    const untracked = run(this.root, ['ls-files', '--others', '--exclude-standard', '-z', ...spec]);
    if (!untracked.ok) throw new GitError('GIT_FAILED', `git ls-files failed: ${firstLine(untracked.stderr)}`);
    for (const path of untracked.stdout.toString('utf8').split('\0')) {
      if (path !== '' && !changes.has(path)) changes.set(path, { status: 'A', path });
    }
    return [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Every file path under `dir` in a commit's tree. */
  listFiles(commit: string, dir: string): string[] {
    const out = run(this.root, ['ls-tree', '-r', '--name-only', '-z', commit, '--', dir]);
    if (!out.ok) throw new GitError('GIT_FAILED', `git ls-tree failed: ${firstLine(out.stderr)}`);
    return out.stdout.toString('utf8').split('\0').filter((p) => p !== '');
  }

  /** The text of `path` in a commit, or undefined when the commit has no such file. */
  readFile(commit: string, path: string): string | undefined {
    const out = run(this.root, ['show', `${commit}:${path}`]);
    return out.ok ? out.stdout.toString('utf8') : undefined;
  }
}
