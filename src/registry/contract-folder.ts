/** The contract files of a `contracts/` folder laid out as `<api>/<version>.yaml`, in registration order. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareSemVer, parseContractPath } from '../governance/check/contract-version.js';

/** One contract file of the folder. */
export interface ContractFolderEntry {
  readonly api: string;
  readonly version: string;
  /** Absolute or `dir`-joined path of the file. */
  readonly path: string;
}

/** Why a folder cannot be read as contracts. */
export class ContractFolderError extends Error {}

/**
 * Every `<api>/<version>.(yaml|yml|json)` under `dir`, by API then oldest version first (each
 * version is governed against the one before it). Other files are ignored.
 */
export function listContractFiles(dir: string): ContractFolderEntry[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    throw new ContractFolderError(`${dir}: not a folder`);
  }
  const files = entries.map((p) => parseContractPath(p.split('\\').join('/'), '')).filter((f) => f !== undefined);
  files.sort((a, b) => (a.api !== b.api ? (a.api < b.api ? -1 : 1) : compareSemVer(a.version, b.version)));
  return files.map((f) => ({ api: f.api, version: f.version.text, path: join(dir, f.path) }));
}
