/** Lints one OpenAPI document with a loaded ruleset and returns Findings. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Document, Spectral, type Ruleset } from '@stoplight/spectral-core';
// CommonJS: the default import carries the parsers (named imports are not visible to ESM).
import Parsers from '@stoplight/spectral-parsers';
import { fileReader, loadOpenApi, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { SourceError } from '../../contracts/source.js';
import type { Finding } from '../findings.js';
import { findingOf } from './spectral-findings.js';

function readText(file: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
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
 */
export function loadForLint(file: string, text?: string): LintInput {
  const path = resolve(file);
  const document = loadOpenApi(file, {
    text: text ?? readText(file, path),
    reader: fileReader,
    joinPath: (from, ref) => resolve(dirname(resolve(from)), decodeURIComponent(ref)),
  });
  return { file, path, document };
}

/** The document as Spectral reads it: the loader's text (without a byte-order mark), named by its absolute path. */
function spectralDocument(input: LintInput): Parameters<Spectral['run']>[0] {
  const text = input.document.source.text;
  return input.document.source.format === 'json' ? new Document(text, Parsers.Json, input.path) : new Document(text, Parsers.Yaml, input.path);
}

/**
 * Lints a contract (a file name, or what loadForLint returned) with `ruleset`. Throws SourceError
 * when the file cannot be read or parsed and ContractError when it is not a usable OpenAPI
 * 3.0/3.1 document; everything else comes back as findings, in Spectral's order.
 */
export async function lintDocument(ruleset: Ruleset, contract: string | LintInput, text?: string): Promise<Finding[]> {
  const input = typeof contract === 'string' ? loadForLint(contract, text) : contract;
  const spectral = new Spectral();
  spectral.setRuleset(ruleset);
  const results = await spectral.run(spectralDocument(input));
  return results.map((result) => findingOf(result, input.path));
}
