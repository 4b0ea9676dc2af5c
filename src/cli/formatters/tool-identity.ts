/** Name, version and home of the tool, for formats that identify their producer (SARIF, JUnit). */
import { readFileSync } from 'node:fs';

/** The producer of every report. */
export interface ToolIdentity {
  name: string;
  version: string;
}

/**
 * Reads the version from package.json, two folders above this module in both src/ and dist/,
 * so that a release never reports a stale hard-coded version.
 */
export function readToolIdentity(): ToolIdentity {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return { name: 'accord', version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
  } catch {
    return { name: 'accord', version: '0.0.0' };
  }
}
