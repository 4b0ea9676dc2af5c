/**
 * Reads the local files of a ruleset and of the rulesets it extends, strictly, before Spectral
 * bundles them: so that a syntax error, a missing extended file or a missing function file is
 * reported with its file, pointer and line, and so that Spectral's own validation errors (which
 * carry a path but no file once bundled) can be traced back to the file that holds the path.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { getAt, toPointer } from '../../contracts/json-pointer.js';
import { isObject } from '../../contracts/openapi-document.js';
import { readSource, SourceError, type SourceDocument } from '../../contracts/source.js';
import { RulesetError } from './ruleset-error.js';

/** One YAML/JSON ruleset file of a chain. */
export interface RulesetFile {
  file: string;
  source: SourceDocument;
}

const DATA_RULESET = /^\.(ya?ml|json)$/i;
// Entries Spectral resolves itself: its built-in rulesets and remote URLs.
const NOT_LOCAL = /^(spectral:|https?:\/\/)/i;

function readRulesetFile(file: string, from?: { file: string; source: SourceDocument; pointer: string; entry: string }): SourceDocument {
  try {
    const source = readSource(file);
    if (!isObject(source.data)) throw new RulesetError('RULESET_INVALID', file, '', 'a ruleset must be a mapping (an object)', 1);
    return source;
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    if (error.code === 'SOURCE_NOT_FOUND' && from) {
      throw new RulesetError('RULESET_NOT_FOUND', from.file, from.pointer, `extended ruleset ${from.entry} not found`, from.source.lineOf(from.pointer));
    }
    const code = error.code === 'SOURCE_NOT_FOUND' ? 'RULESET_NOT_FOUND' : error.code === 'SOURCE_SYNTAX' ? 'RULESET_SYNTAX' : 'RULESET_INVALID';
    const message = error.code === 'SOURCE_NOT_FOUND' ? 'ruleset file not found' : error.message;
    throw new RulesetError(code, file, '', message, error.line);
  }
}

/** The `extends` entries of a ruleset with their pointers: a string, or a list of strings and `[name, severity]` pairs. */
function extendsOf(data: Record<string, unknown>): Array<{ entry: string; pointer: string }> {
  const value = data.extends;
  if (typeof value === 'string') return [{ entry: value, pointer: '/extends' }];
  if (!Array.isArray(value)) return [];
  const entries: Array<{ entry: string; pointer: string }> = [];
  value.forEach((item: unknown, index) => {
    if (typeof item === 'string') entries.push({ entry: item, pointer: `/extends/${index}` });
    else if (Array.isArray(item) && typeof item[0] === 'string') entries.push({ entry: item[0], pointer: `/extends/${index}/0` });
  });
  return entries;
}

/** Throws when a function a ruleset declares has no file: Spectral's bundler would only warn and fail later without a location. */
function checkFunctionFiles(file: string, source: SourceDocument): void {
  const data = source.data as Record<string, unknown>;
  if (!Array.isArray(data.functions)) return;
  const dir = resolve(dirname(file), typeof data.functionsDir === 'string' ? data.functionsDir : 'functions');
  data.functions.forEach((name: unknown, index) => {
    if (typeof name !== 'string') return;
    if (!existsSync(join(dir, `${name}.js`))) {
      const pointer = `/functions/${index}`;
      throw new RulesetError('RULESET_INVALID', file, pointer, `function ${name}: file ${join(dir, `${name}.js`)} not found`, source.lineOf(pointer));
    }
  });
}

/**
 * Reads a YAML/JSON ruleset and, depth first, every local ruleset it extends (each once).
 * A JavaScript ruleset is left to Spectral. Throws RulesetError.
 */
export function readRulesetChain(file: string): RulesetFile[] {
  const chain: RulesetFile[] = [];
  const seen = new Set<string>();
  const visit = (path: string, from?: Parameters<typeof readRulesetFile>[1]): void => {
    if (seen.has(path)) return;
    seen.add(path);
    if (!DATA_RULESET.test(extname(path))) {
      if (!existsSync(path)) {
        if (from) throw new RulesetError('RULESET_NOT_FOUND', from.file, from.pointer, `extended ruleset ${from.entry} not found`, from.source.lineOf(from.pointer));
        throw new RulesetError('RULESET_NOT_FOUND', path, '', 'ruleset file not found');
      }
      return;
    }
    const source = readRulesetFile(path, from);
    chain.push({ file: path, source });
    checkFunctionFiles(path, source);
    for (const { entry, pointer } of extendsOf(source.data as Record<string, unknown>)) {
      if (NOT_LOCAL.test(entry)) continue;
      const target = isAbsolute(entry) ? entry : resolve(dirname(path), entry);
      visit(target, { file: path, source, pointer, entry });
    }
  };
  visit(file);
  return chain;
}

/**
 * The file of the chain that holds the longest prefix of `path` (the first file on a tie, i.e. the
 * one closest to the user), with the pointer of the whole path, the line of that prefix and the
 * value at the path when the whole path exists.
 */
export function locateInChain(
  chain: RulesetFile[],
  rootFile: string,
  path: ReadonlyArray<string | number>,
): { file: string; pointer: string; line: number | undefined; value: unknown } {
  const segments = path.map(String);
  const pointer = toPointer(segments);
  let best: { file: string; depth: number; source: SourceDocument } | undefined;
  for (const { file, source } of chain) {
    let depth = segments.length;
    while (depth > 0 && getAt(source.data, segments.slice(0, depth)) === undefined) depth -= 1;
    if (best === undefined || depth > best.depth) best = { file, depth, source };
  }
  if (best === undefined) return { file: rootFile, pointer, line: undefined, value: undefined };
  const line = best.source.lineOf(toPointer(segments.slice(0, best.depth)));
  return { file: best.file, pointer, line, value: best.depth === segments.length ? getAt(best.source.data, segments) : undefined };
}
