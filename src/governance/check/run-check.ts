/**
 * The CI gate: finds the contracts changed since a git ref, lints each, diffs each against its
 * previous version and applies the versioning policy. Pure orchestration: lint and diff come in.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ContractError, loadOpenApi, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { readSource, SourceError } from '../../contracts/source.js';
import type { Finding } from '../findings.js';
import { joinRepoPath, parseContractPath, previousVersion, type ContractFile } from './contract-version.js';
import { GitError, GitRepository, type ChangedPath } from './git-repository.js';
import { refClosure, sameClosure } from './ref-closure.js';
import { acceptBreakingChange, allowsBreakingChange, breakingWithoutMajor, checkInfoVersion, editedInPlace } from './versioning-policy.js';

/** What the gate runs on each contract; the command wires the real linter and diff engine. */
export interface CheckEngines {
  /** Lints one contract of the work tree, as the gate loaded it (parsed once, shared with the diff). */
  lint(contract: OpenApiDocument): Promise<Finding[]>;
  /** Diffs two versions, with the ruleset's severity overrides already applied. */
  diff(base: OpenApiDocument, revision: OpenApiDocument): Finding[];
  /**
   * The registry's usage gate (`--admin-url`), asked about a new version with breaking changes
   * within its major: its findings, and whether the API's policy accepts them. Undefined when
   * the API's policy is not usage-aware (the versioning rule then applies as without a gate).
   */
  judgeBreaking?(change: BreakingChangeQuestion): Promise<BreakingChangeAnswer | undefined>;
}

/** A new version with breaking changes within its major. */
export interface BreakingChangeQuestion {
  readonly file: ContractFile;
  readonly previous: ContractFile;
  readonly revision: OpenApiDocument;
}

/** The usage gate's answer: accepted (with why), or refused with its findings (who uses what, or why that is unknown). */
export type BreakingChangeAnswer = { readonly accepted: true; readonly note: string } | { readonly accepted: false; readonly findings: readonly Finding[] };

export interface CheckOptions {
  /** Where the command runs; the repository is the one containing it. */
  cwd: string;
  /** Git ref to compare with; default `origin/main` if it exists, else `HEAD~1`. */
  base?: string;
  /** Contracts folder, relative to `cwd` (or absolute). */
  contractsDir: string;
}

export interface CheckResult {
  /** Repository root: report paths are shown relative to it. */
  root: string;
  /** The ref compared with, as resolved (`origin/main`, `HEAD~1`, the `--base` value, or `(none)`). */
  baseRef: string;
  /** The merge base the changes were taken from, undefined when HEAD has no parent. */
  baseCommit?: string;
  /** Absolute paths of the contracts checked. */
  files: string[];
  findings: Finding[];
}

/** Which commit changes are counted from, following CI's `git diff BASE...HEAD`. */
function resolveBase(repo: GitRepository, requested: string | undefined): { label: string; commit?: string } {
  const head = repo.tryCommit('HEAD');
  if (!head) throw new GitError('GIT_REF_UNKNOWN', 'the repository has no commit yet (HEAD)');
  let label: string;
  let commit: string | undefined;
  if (requested !== undefined) {
    label = requested;
    commit = repo.commit(requested);
  } else if ((commit = repo.tryCommit('origin/main'))) {
    label = 'origin/main';
  } else if ((commit = repo.tryCommit('HEAD~1'))) {
    label = 'HEAD~1';
  } else {
    // A first commit: every contract in it is new.
    return { label: '(none)' };
  }
  const mergeBase = repo.mergeBase(commit, head);
  if (!mergeBase) throw new GitError('GIT_REF_UNKNOWN', `${label} and HEAD have no common ancestor`);
  return { label, commit: mergeBase };
}

/** Contract files of the layout present in the work tree under `dir` (repository-relative). */
function workTreeContracts(root: string, dir: string): ContractFile[] {
  const out: ContractFile[] = [];
  const abs = join(root, dir);
  for (const api of readdirSync(abs, { withFileTypes: true })) {
    if (!api.isDirectory()) continue;
    for (const entry of readdirSync(join(abs, api.name), { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = parseContractPath(`${dir}/${api.name}/${entry.name}`, dir);
      if (file) out.push(file);
    }
  }
  return out;
}

function toRepoPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** Runs the gate. Throws GitError or UsageError-worthy errors (SourceError, ContractError) for unusable input. */
export async function runCheck(options: CheckOptions, engines: CheckEngines): Promise<CheckResult> {
  const repo = GitRepository.discover(options.cwd);
  const root = repo.root;
  const dirAbs = isAbsolute(options.contractsDir) ? options.contractsDir : resolve(options.cwd, options.contractsDir);
  const dir = toRepoPath(root, dirAbs);
  if (dir.startsWith('..') || isAbsolute(dir)) throw new SourceError('SOURCE_NOT_FOUND', options.contractsDir, 'contracts folder is outside the git repository');
  if (!existsSync(dirAbs) || !statSync(dirAbs).isDirectory()) throw new SourceError('SOURCE_NOT_FOUND', options.contractsDir, 'contracts folder not found');

  const base = resolveBase(repo, options.base);
  const baseCommit = base.commit;
  const baseName = baseCommit ? baseCommit.slice(0, 12) : '';
  const gitPrefix = `git:${baseName}:`;
  const baseLabel = baseCommit ? `${base.label} (${baseName})` : base.label;

  const changed: ChangedPath[] = repo.changedSince(baseCommit, dir);
  const basePaths = new Set(baseCommit ? repo.listFiles(baseCommit, dir) : []);
  const baseContracts = [...basePaths].map((p) => parseContractPath(p, dir)).filter((f): f is ContractFile => f !== undefined);
  const headContracts = workTreeContracts(root, dir);
  const headPaths = new Set(headContracts.map((f) => f.path));

  const loadHead = (path: string): OpenApiDocument => loadOpenApi(join(root, path));
  // One reader for every base version: a contract of many files is read in a few git processes.
  const readBase = baseCommit ? repo.blobReader(baseCommit) : undefined;
  const loadBase = (path: string): OpenApiDocument => {
    const pathOf = (file: string): string => file.slice(gitPrefix.length);
    const reader = (file: string): string => {
      const text = readBase!(pathOf(file));
      if (text === undefined) throw new SourceError('SOURCE_NOT_FOUND', file, 'file not found');
      return text;
    };
    return loadOpenApi(gitPrefix + path, { reader, joinPath: (from, ref) => gitPrefix + joinRepoPath(pathOf(from), ref) });
  };
  const headKey = (file: string): string => toRepoPath(root, file);
  const baseKey = (file: string): string => file.slice(gitPrefix.length);

  // Contracts to check: changed contract files, and contracts whose $refs reach a changed fragment.
  const present = changed.filter((c) => c.status !== 'D');
  for (const change of present) refuseUnclassified(root, change.path, dir);
  const candidates = new Map<string, ContractFile>();
  for (const change of present) {
    const file = parseContractPath(change.path, dir);
    if (file && headPaths.has(file.path)) candidates.set(file.path, file);
  }
  const changedFragments = new Set(changed.filter((c) => !parseContractPath(c.path, dir)).map((c) => c.path));
  const headClosures = new Map<string, Map<string, string>>();
  if (changedFragments.size > 0) {
    for (const file of headContracts) {
      if (candidates.has(file.path)) continue;
      const closure = refClosure(loadHead(file.path), headKey);
      headClosures.set(file.path, closure);
      if ([...closure.keys()].some((k) => changedFragments.has(k))) candidates.set(file.path, file);
    }
  }

  const findings: Finding[] = [];
  const files: string[] = [];
  for (const file of [...candidates.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const revision = loadHead(file.path);
    files.push(revision.file);
    findings.push(...(await engines.lint(revision)));
    findings.push(...checkInfoVersion(file, revision));

    const placed = (diffFindings: Finding[]): Finding[] => diffFindings.map((f) => placeInRevision(f, revision));
    if (basePaths.has(file.path)) {
      // The same path existed at the base: a published version, which must not change.
      const previousDoc = loadBase(file.path);
      const edited = !sameClosure(headClosures.get(file.path) ?? refClosure(revision, headKey), refClosure(previousDoc, baseKey));
      if (edited) findings.push(editedInPlace(file, revision, baseLabel));
      findings.push(...placed(engines.diff(previousDoc, revision)));
      continue;
    }
    // A new version: compared with the highest lower version of the same API, in the work tree
    // or, when that was deleted or renamed away, at the base.
    const previous = previousVersion(file, [...headContracts, ...baseContracts.filter((f) => !headPaths.has(f.path))]);
    if (!previous) continue;
    const previousDoc = headPaths.has(previous.path) ? loadHead(previous.path) : loadBase(previous.path);
    const diffFindings = engines.diff(previousDoc, revision);
    const breaking = diffFindings.filter((f) => f.severity === 'error').length;
    const answer = breaking > 0 && !allowsBreakingChange(previous, file) && engines.judgeBreaking ? await engines.judgeBreaking({ file, previous, revision }) : undefined;
    if (allowsBreakingChange(previous, file)) {
      findings.push(...placed(diffFindings.map((f) => acceptBreakingChange(f, file))));
    } else if (answer?.accepted) {
      findings.push(...placed(diffFindings.map((f) => (f.severity === 'error' ? { ...f, severity: 'warn' as const, message: `${f.message} (${answer.note})` } : f))));
    } else if (answer) {
      // As at registration: who uses the change (or why that is unknown) replaces "needs a new major".
      findings.push(...answer.findings, ...placed(diffFindings));
    } else {
      if (breaking > 0) findings.push(breakingWithoutMajor(file, previous, revision, breaking));
      findings.push(...placed(diffFindings));
    }
  }
  return { root, baseRef: base.label, ...(baseCommit ? { baseCommit } : {}), files, findings };
}

const DATA_FILE = /\.(ya?ml|json)$/i;

/**
 * A changed file under the contracts folder that is an OpenAPI document but not at
 * `<dir>/<api>/<semver>.<ext>` could be neither linted against its predecessor nor versioned:
 * the gate refuses it rather than pass it unseen. Other files (shared fragments a contract
 * `$ref`s, READMEs) are not contracts and pass here. Throws ContractError CONTRACT_UNCLASSIFIED.
 */
function refuseUnclassified(root: string, path: string, dir: string): void {
  if (!DATA_FILE.test(path) || parseContractPath(path, dir) !== undefined) return;
  const file = join(root, path);
  const data = readSource(file).data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
  if (!('openapi' in data) && !('swagger' in data)) return;
  const layout = `${dir === '' || dir === '.' ? '' : `${dir}/`}<api>/<semver>.yaml`;
  throw new ContractError(
    'CONTRACT_UNCLASSIFIED',
    path,
    '',
    `an OpenAPI contract the gate cannot classify: expected the layout ${layout} (or .yml, .json), a semantic version as the file name, e.g. 1.0.0.yaml`,
  );
}

/**
 * A change found only in the older version (a removal) is shown on the contract being checked,
 * at the nearest existing ancestor of its pointer, with the old place kept as `baseLocation`:
 * the report then lists every finding under the file the pull request changes.
 */
function placeInRevision(finding: Finding, revision: OpenApiDocument): Finding {
  if (revision.loadedFiles().includes(finding.location.file)) return finding;
  const line = revision.lineOf(revision.file, finding.location.pointer);
  const location = line === undefined ? { file: revision.file, pointer: finding.location.pointer } : { file: revision.file, line, pointer: finding.location.pointer };
  return { ...finding, location, baseLocation: finding.baseLocation ?? finding.location };
}
