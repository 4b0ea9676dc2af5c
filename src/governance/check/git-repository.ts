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

function run(cwd: string, args: string[], input?: string): { ok: boolean; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', ['-c', 'core.quotepath=off', ...args], {
    cwd,
    maxBuffer: MAX_OUTPUT,
    ...(input === undefined ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input, stdio: ['pipe', 'pipe', 'pipe'] }),
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  if (result.error) throw new GitError('GIT_FAILED', `cannot run git: ${result.error.message}`);
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.toString('utf8').trim() };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/**
 * Splits the output of `git cat-file --batch`: for each requested object, `<oid> blob <size>\n`,
 * the content and `\n`, or `<name> missing\n` (also `ambiguous`, or a non-blob type).
 */
function parseBatch(out: Buffer, names: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  let at = 0;
  for (const name of names) {
    const eol = out.indexOf(10, at);
    if (eol < 0) break;
    const header = out.toString('utf8', at, eol).split(' ');
    at = eol + 1;
    if (header.length !== 3 || !/^\d+$/.test(header[2]!)) continue;
    const size = Number(header[2]);
    if (header[1] === 'blob') texts.set(name, out.toString('utf8', at, at + size));
    at += size + 1;
  }
  return texts;
}

/** Paths `git cat-file --batch` can take on one input line. */
function batchable(path: string): boolean {
  return !path.includes('\n') && !path.includes('\r');
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

  /** The texts of several files of a commit, through one `git cat-file --batch`; absent files are left out. */
  readFiles(commit: string, paths: readonly string[]): Map<string, string> {
    const wanted = paths.filter(batchable);
    if (wanted.length === 0) return new Map();
    const out = run(this.root, ['cat-file', '--batch'], wanted.map((p) => `${commit}:${p}\n`).join(''));
    if (!out.ok) throw new GitError('GIT_FAILED', `git cat-file failed: ${firstLine(out.stderr)}`);
    return parseBatch(out.stdout, wanted);
  }

  /**
   * A reader of the files of one commit for a contract made of many files: the first file read
   * in a folder brings every YAML/JSON file under that folder in one `git ls-tree` and one
   * `git cat-file --batch`, so a contract of thousands of files costs a few git processes, not
   * one `git show` per file. Paths are repository-relative; undefined for a file the commit lacks.
   */
  blobReader(commit: string): (path: string) => string | undefined {
    const texts = new Map<string, string>();
    const listed = new Set<string>();
    return (path) => {
      const known = texts.get(path);
      if (known !== undefined) return known;
      const slash = path.lastIndexOf('/');
      const folder = slash < 0 ? '.' : path.slice(0, slash);
      if (listed.has(folder)) return undefined;
      listed.add(folder);
      const files = this.listFiles(commit, folder).filter((p) => CONTRACT_FILE.test(p) && !texts.has(p));
      if (!files.includes(path)) files.push(path);
      for (const [file, text] of this.readFiles(commit, files)) texts.set(file, text);
      return texts.get(path) ?? (batchable(path) ? undefined : this.readFile(commit, path));
    };
  }
}

/** Files a contract may be made of (what blobReader fetches in bulk). */
const CONTRACT_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads files of `ref` in the repository containing `cwd`, by repository-relative path, through
 * GitRepository.blobReader (for `git:REF:PATH` arguments). Throws GitError when `cwd` is not in a
 * repository or `ref` names no commit; the reader throws for a file the commit lacks.
 */
export function gitBlobReader(cwd: string, ref: string): (path: string) => string {
  const repo = GitRepository.discover(cwd);
  const read = repo.blobReader(repo.commit(ref));
  return (path) => {
    const text = read(path);
    if (text === undefined) throw new GitError('GIT_FAILED', `${ref}:${path}: no such file`);
    return text;
  };
}
