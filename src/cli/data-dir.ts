/** Where Accord keeps local state (file registry, dev issuer keys): `--data-dir`, else ACCORD_DATA_DIR, else `.accord/`. */
import { resolve } from 'node:path';

/**
 * Resolves the data directory to an absolute path: the flag wins, then the ACCORD_DATA_DIR
 * environment variable, then `.accord` under the working directory. An empty value counts as unset.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const chosen = flag || env.ACCORD_DATA_DIR || '.accord';
  return resolve(cwd, chosen);
}
