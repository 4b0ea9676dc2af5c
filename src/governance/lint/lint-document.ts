/** Lints one OpenAPI document with a loaded ruleset and returns Findings. */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Document, Spectral, type Ruleset } from '@stoplight/spectral-core';
// CommonJS: the default import carries the parsers (named imports are not visible to ESM).
import Parsers from '@stoplight/spectral-parsers';
import { fromPointer } from '../../contracts/json-pointer.js';
import { fileReader, OpenApiDocument } from '../../contracts/openapi-document.js';
import { SourceError, type SourceDocument } from '../../contracts/source.js';
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

function isJson(file: string, text: string): boolean {
  if (extname(file).toLowerCase() === '.json') return true;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

/**
 * Parses once with Spectral's parser (the same parse the lint runs on, far cheaper than a second
 * parse with a CST) and rejects what cannot be linted: a syntax error, or a document that is not
 * OpenAPI 3.0/3.1, judged by the same rules the gateway's loader applies. Errors name `file` as
 * the caller gave it; Spectral gets the absolute `path`, from which relative `$ref`s resolve.
 */
function parseForLint(file: string, path: string, text: string) {
  const json = isJson(path, text);
  const document = json ? new Document(text, Parsers.Json, path) : new Document(text, Parsers.Yaml, path);
  const syntax = document.diagnostics.find((diagnostic) => diagnostic.severity === 0);
  if (syntax !== undefined) {
    throw new SourceError('SOURCE_SYNTAX', file, `invalid ${json ? 'JSON' : 'YAML'}: ${syntax.message}`, syntax.range.start.line + 1);
  }
  const source: SourceDocument = {
    file,
    text,
    data: document.data,
    format: json ? 'json' : 'yaml',
    lineOf(pointer) {
      const range = document.getRangeForJsonPath(fromPointer(pointer), true);
      return range === undefined ? undefined : range.start.line + 1;
    },
  };
  // Throws ContractError when the document is not OpenAPI 3.0/3.1.
  new OpenApiDocument(source, fileReader, (from, ref) => resolve(dirname(from), ref));
  return document;
}

/**
 * Lints `file` (or `text`, named `file`, whose relative `$ref`s resolve from the file's folder)
 * with `ruleset`. Throws SourceError when the file cannot be read or parsed and ContractError
 * when it is not OpenAPI 3.0/3.1; everything else comes back as findings, in Spectral's order.
 */
export async function lintDocument(ruleset: Ruleset, file: string, text?: string): Promise<Finding[]> {
  const path = resolve(file);
  const document = parseForLint(file, path, text ?? readText(file, path));
  const spectral = new Spectral();
  spectral.setRuleset(ruleset);
  const results = await spectral.run(document);
  return results.map((result) => findingOf(result, path));
}
