/** Loads a contract for lint with the shared loader (Spectral is not loaded here: a command can start the parse first). */
import { dirname, resolve } from 'node:path';
import { fileReader, loadOpenApi, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { readTextFile } from '../../contracts/read-text-file.js';
import { SourceError, type SourceDocument } from '../../contracts/source.js';
import { loadInBackground, loadSoon } from '../load-in-background.js';

function readText(file: string, path: string): string {
  try {
    return readTextFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new SourceError('SOURCE_UNREADABLE', file, 'is a directory, not a file');
    if (code === 'ENOENT') throw new SourceError('SOURCE_NOT_FOUND', file, 'file not found');
    throw new SourceError('SOURCE_UNREADABLE', file, `cannot read file (${code ?? 'error'})`);
  }
}

/** A contract loaded for lint: what the shared loader made of it, and where it lives. */
export interface LintInput {
  /** The file as the caller named it (errors name it so). */
  readonly file: string;
  /** Its absolute path: Spectral resolves relative `$ref`s from it and names it in findings. */
  readonly path: string;
  readonly document: OpenApiDocument;
}

/**
 * Loads `file` (or `text`, named `file`, whose relative `$ref`s resolve from the file's folder)
 * with the shared contract loader, so lint refuses exactly what the gateway and diff refuse,
 * before Spectral sees a byte: a syntax error, a document that is not OpenAPI 3.0/3.1, a file past
 * the parser's limits (nesting, an alias bomb), `$ref`s nesting deeper than any reader can walk.
 * Every file the `$ref`s reach is loaded and checked too. Throws SourceError or ContractError.
 * `source`, `boundsChecked`: the file as parseSource parsed it already, and whether its `$ref`
 * bounds were found to hold (loadForLintInBackground).
 */
export function loadForLint(file: string, text?: string, source?: SourceDocument, boundsChecked?: boolean): LintInput {
  const path = resolve(file);
  const document = loadOpenApi(file, {
    ...(source === undefined ? { text: text ?? readText(file, path) } : { source, boundsChecked }),
    reader: fileReader,
    joinPath: (from, ref) => resolve(dirname(resolve(from)), decodeURIComponent(ref)),
  });
  return { file, path, document };
}

/** loadForLint(file), with the file parsed on a worker thread when it is large (load-in-background.ts). */
export function loadForLintInBackground(file: string): Promise<LintInput> {
  // loadOpenApi with a reader hands the parser the file name as given.
  return loadInBackground(file, file, (source, boundsChecked) => loadForLint(file, undefined, source, boundsChecked));
}

/**
 * loadForLint(file) when the file is parsed on this thread (throwing at once for an unusable
 * contract), or a promise of it when it is parsed on a worker thread (load-in-background.ts).
 */
export function loadForLintSoon(file: string): LintInput | Promise<LintInput> {
  return loadSoon(file, file, (source, boundsChecked) => loadForLint(file, undefined, source, boundsChecked));
}
