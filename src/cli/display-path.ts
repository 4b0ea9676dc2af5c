/** Paths as a person at the terminal reads them: relative to the working directory when inside it. */
import { isAbsolute, relative } from 'node:path';

/** `file` relative to `cwd` when it lies inside it, else unchanged. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
