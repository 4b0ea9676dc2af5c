/** Contract file names of the layout `<dir>/<api>/<version>.yaml|.yml|.json` and the semver order of their versions. */
import { posix } from 'node:path';

/** A parsed semantic version (build metadata has no place in a file name, so none is read). */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  text: string;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Parses `1.2.3` or `2.0.0-beta.1`; undefined for anything else. */
export function parseSemVer(text: string): SemVer | undefined {
  const m = SEMVER.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split('.') : [], text };
}

function compareIdentifiers(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer 2.0.0 precedence: negative when `a` < `b`, 0 when equal, positive when `a` > `b`. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  // A pre-release sorts before its release.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const c = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (c !== 0) return c;
  }
  return a.prerelease.length - b.prerelease.length;
}

/** One contract file of the layout, by its path relative to the repository root. */
export interface ContractFile {
  path: string;
  api: string;
  version: SemVer;
}

const EXTENSION = /\.(ya?ml|json)$/;

/**
 * Reads `<dir>/<api>/<version>.<ext>` from a repository-relative path; undefined for any other
 * file under the directory (shared fragments that contracts `$ref`, READMEs …).
 */
export function parseContractPath(path: string, dir: string): ContractFile | undefined {
  const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
  if (!path.startsWith(prefix)) return undefined;
  const parts = path.slice(prefix.length).split('/');
  if (parts.length !== 2) return undefined;
  const [api, name] = parts as [string, string];
  const ext = EXTENSION.exec(name);
  if (!ext || api === '') return undefined;
  const version = parseSemVer(name.slice(0, ext.index));
  return version ? { path, api, version } : undefined;
}

/** The highest version of `file.api` lower than `file.version` among `candidates`. */
export function previousVersion(file: ContractFile, candidates: Iterable<ContractFile>): ContractFile | undefined {
  let best: ContractFile | undefined;
  for (const candidate of candidates) {
    if (candidate.api !== file.api || compareSemVer(candidate.version, file.version) >= 0) continue;
    if (!best || compareSemVer(candidate.version, best.version) > 0) best = candidate;
  }
  return best;
}

/** Joins a relative `$ref` file part onto the repository-relative path of the file that holds it. */
export function joinRepoPath(from: string, ref: string): string {
  return posix.normalize(posix.join(posix.dirname(from), decodeURIComponent(ref)));
}
