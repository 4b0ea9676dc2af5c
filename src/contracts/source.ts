/** Reads YAML or JSON files into plain data and keeps a map from JSON pointers to source lines. */
import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { load as loadYaml, CORE_SCHEMA, types as yamlTypes, YAMLException, type Type } from 'js-yaml';
import { fromPointer } from './json-pointer.js';
import { readTextFile } from './read-text-file.js';
import { LocatedError } from '../errors/located-error.js';

// js-yaml 4.3 has these; its published typings (4.0.x) predate them.
declare module 'js-yaml' {
  export const types: { merge: Type };
  interface LoadOptions {
    /** Deepest nesting of collections (default 100). */
    maxDepth?: number;
    /** Most keys merge keys may copy in one load (default 10000; -1 for no limit). */
    maxTotalMergeKeys?: number;
  }
}

/** Why a source could not be read; `file`, `line` and `pointer` locate the problem where known. */
export class SourceError extends LocatedError {
  readonly code: 'SOURCE_NOT_FOUND' | 'SOURCE_UNREADABLE' | 'SOURCE_SYNTAX' | 'SOURCE_NOT_OBJECT' | 'SOURCE_TOO_COMPLEX';

  constructor(code: SourceError['code'], file: string, message: string, line?: number, pointer?: string) {
    super('SourceError', file, message, pointer, line);
    this.code = code;
  }
}

/** A parsed YAML/JSON file. `data` is the plain value; `lineOf` maps a JSON pointer to a 1-based line. */
export interface SourceDocument {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  readonly format: 'yaml' | 'json';
  lineOf(pointer: string): number | undefined;
}

/**
 * Deepest nesting of mappings and sequences a source may have: js-yaml's own limit, applied to
 * JSON too so that every reader (and every recursive walk after it) sees the same bound.
 */
export const MAX_NESTING = 100;

/** Most nodes a YAML document may hold once its aliases are expanded, at least. */
export const MIN_ALIAS_BUDGET = 1_000_000;

/** Expanded aliases may multiply the nodes written by at most this factor (beyond MIN_ALIAS_BUDGET). */
export const ALIAS_EXPANSION_FACTOR = 10;

/** Most keys YAML merge keys (`<<`) may copy in one document (js-yaml counts and stops). */
export const MAX_MERGED_KEYS = 1_000_000;

// YAML 1.2 core schema (dates and other non-JSON types stay strings, as OpenAPI expects) plus
// merge keys, which Spectral's reader and most YAML tools expand: every reader must agree.
const YAML_SCHEMA = CORE_SCHEMA.extend({ implicit: [yamlTypes.merge] });

function looksLikeJson(file: string, text: string): boolean {
  if (file.endsWith('.json')) return true;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

/** 1-based line of a character offset, by binary search over line starts. */
function lineAtOffset(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  // indexOf scans natively: several times faster than a charCodeAt loop over a 5 MB text.
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The mapping key written at column `col` of `line` (plain, single- or double-quoted), if any. */
function keyAt(line: string, col: number): string | undefined {
  const first = line.charCodeAt(col);
  let key: string;
  let end: number;
  if (first === 34 /* " */) {
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(line.slice(col));
    if (!m) return undefined;
    try {
      key = JSON.parse(m[0]) as string;
    } catch {
      return undefined;
    }
    end = col + m[0].length;
  } else if (first === 39 /* ' */) {
    const m = /^'((?:[^']|'')*)'/.exec(line.slice(col));
    if (!m) return undefined;
    key = m[1]!.replace(/''/g, "'");
    end = col + m[0].length;
  } else {
    let i = col;
    for (;;) {
      i = line.indexOf(':', i);
      if (i < 0) return undefined;
      const after = line.charCodeAt(i + 1);
      if (Number.isNaN(after) || after === 32 || after === 13) break;
      i++;
    }
    key = line.slice(col, i).trimEnd();
    end = i;
  }
  if (line.charCodeAt(end) !== 58 /* : */) return undefined;
  const after = line.charCodeAt(end + 1);
  return Number.isNaN(after) || after === 32 || after === 13 ? key : undefined;
}

/**
 * The lines of a text by their offsets: a line's string is made only when a key is read from it
 * (splitting a 5 MB contract into lines makes ~140,000 strings, most never read).
 */
class TextLines {
  private readonly starts: number[];
  readonly length: number;

  constructor(private readonly text: string) {
    this.starts = computeLineStarts(text);
    this.length = this.starts.length;
  }

  /** Offset just past line `i` (its line feed, or the text's end). */
  private endOf(i: number): number {
    return i + 1 < this.starts.length ? this.starts[i + 1]! - 1 : this.text.length;
  }

  /** Column of the first non-space character of line `i`, or -1 for a blank or comment-only line. */
  indent(i: number): number {
    const start = this.starts[i]!;
    const end = this.endOf(i);
    let at = start;
    while (at < end && this.text.charCodeAt(at) === 32) at++;
    if (at === end) return -1;
    const c = this.text.charCodeAt(at);
    return c === 35 /* # */ || c === 13 ? -1 : at - start;
  }

  /** Whether line `i` holds `prefix` at column `col` (`prefix` has no line feed). */
  startsWith(i: number, prefix: string, col: number): boolean {
    const at = this.starts[i]! + col;
    return at + prefix.length <= this.endOf(i) && this.text.startsWith(prefix, at);
  }

  /** The character code at column `col` of line `i` (NaN past its end). */
  charCodeAt(i: number, col: number): number {
    const at = this.starts[i]! + col;
    return at < this.endOf(i) ? this.text.charCodeAt(at) : NaN;
  }

  lineLength(i: number): number {
    return this.endOf(i) - this.starts[i]!;
  }

  line(i: number): string {
    return this.text.slice(this.starts[i]!, this.endOf(i));
  }
}

/** A block node: its members start at column `col`, on line `line` or after it. */
interface BlockNode {
  line: number;
  col: number;
}

/**
 * Line lookup for YAML by scanning block-style indentation, on demand. A YAML CST would be exact
 * but costs about 7x more than parsing the data (seconds on a 5 MB contract), and lines are only
 * needed for the few findings that get reported. Flow collections and multi-line scalars stop the
 * walk: the line of the nearest enclosing key is returned.
 */
function yamlLineLookup(text: string): (pointer: string) => number | undefined {
  let lines: TextLines | undefined;
  const keyIndex = new Map<string, Map<string, number>>();
  const childOf = (keyLine: number, keyCol: number): BlockNode | undefined => {
    const all = lines!;
    for (let i = keyLine + 1; i < all.length; i++) {
      const ind = all.indent(i);
      if (ind < 0) continue;
      if (ind > keyCol) return { line: i, col: ind };
      // A block sequence may sit at the same column as its key.
      if (ind === keyCol && all.startsWith(i, '- ', ind)) return { line: i, col: ind };
      return undefined;
    }
    return undefined;
  };
  return (pointer) => {
    let segments: string[];
    try {
      segments = fromPointer(pointer);
    } catch {
      return undefined;
    }
    lines ??= new TextLines(text);
    const all = lines;
    let first = 0;
    while (first < all.length && all.indent(first) < 0) first++;
    let node: BlockNode | undefined = { line: first, col: first < all.length ? all.indent(first) : 0 };
    let found = 1;
    for (const seg of segments) {
      if (!node) return found;
      const { line: start, col } = node;
      let next: BlockNode | undefined;
      let matched = false;
      const isSequence = start < all.length && all.startsWith(start, '- ', col);
      if (isSequence) {
        const wanted = Number(seg);
        let index = -1;
        for (let i = start; i < all.length; i++) {
          const ind = i === start ? col : all.indent(i);
          if (ind < 0) continue;
          if (ind < col) break;
          if (ind === col && all.startsWith(i, '-', ind)) {
            index++;
            if (index === wanted) {
              matched = true;
              found = i + 1;
              let c = ind + 1;
              while (all.charCodeAt(i, c) === 32) c++;
              next = c < all.lineLength(i) ? { line: i, col: c } : childOf(i, ind);
              break;
            }
          }
        }
      } else {
        const regionKey = `${start}:${col}`;
        let keys = keyIndex.get(regionKey);
        if (!keys) {
          // Index the whole mapping once: later pointers into it are O(1).
          keys = new Map<string, number>();
          for (let i = start; i < all.length; i++) {
            const ind = i === start ? col : all.indent(i);
            if (ind < 0) continue;
            if (ind < col) break;
            // A compact block sequence of an earlier key sits at this column: not a key of ours.
            if (ind !== col || (i > start && all.startsWith(i, '- ', ind))) continue;
            const key = keyAt(all.line(i), col);
            if (key !== undefined && !keys.has(key)) keys.set(key, i);
          }
          keyIndex.set(regionKey, keys);
        }
        const i = keys.get(seg);
        if (i !== undefined) {
          matched = true;
          found = i + 1;
          next = childOf(i, col);
          const rest = all.line(i).slice(col).replace(/^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|.*?):(\s+|$)/, '');
          // A value on the key's own line (a scalar or a flow collection) has no block members.
          if (rest !== '' && !rest.startsWith('#') && !/^[|>]/.test(rest)) next = undefined;
        }
      }
      if (!matched) return found;
      node = next;
    }
    return found;
  };
}

/**
 * Line lookup for JSON: JSON.parse is far faster than a YAML CST on large files, so lines are
 * found on demand by scanning for the key of each segment from the parent's position.
 */
function jsonLineLookup(text: string, lineStarts: number[]): (pointer: string) => number | undefined {
  return (pointer) => {
    let segments: string[];
    try {
      segments = fromPointer(pointer);
    } catch {
      return undefined;
    }
    let offset = 0;
    for (const seg of segments) {
      const key = JSON.stringify(seg) + ':';
      const keySpaced = JSON.stringify(seg) + ' :';
      let at = text.indexOf(key, offset);
      if (at < 0) at = text.indexOf(keySpaced, offset);
      if (at < 0) break;
      offset = at + 1;
    }
    return lineAtOffset(lineStarts, offset === 0 ? 0 : offset - 1);
  };
}

/**
 * Offset where JSON text nests deeper than MAX_NESTING, or -1. A scan of the text, before
 * JSON.parse: V8 parses deep JSON, but every recursive walk after it would overflow the stack.
 */
function jsonTooDeepAt(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return -1;
}

/**
 * Nodes (mappings, sequences and scalars) of `data` as written, and once every YAML alias is
 * expanded. js-yaml shares an anchor's node with every alias to it, so both are counted over that
 * shared graph, one visit per distinct mapping or sequence: linear in the text, whatever the
 * expansion. (Counts are floats: a bomb's expansion may pass 2^53 harmlessly.)
 */
function aliasExpansion(data: object): { written: number; expanded: number } {
  const sizes = new Map<object, number>();
  let written = 0;
  // Iterative post-order walk, [node, children pushed?]: nesting is bounded, but cheaply so.
  const stack: Array<[object, boolean]> = [[data, false]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const node = top[0];
    if (sizes.has(node)) {
      stack.pop();
      continue;
    }
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    if (!top[1]) {
      top[1] = true;
      for (const child of children) {
        if (child !== null && typeof child === 'object' && !sizes.has(child)) stack.push([child, false]);
      }
      continue;
    }
    stack.pop();
    let size = 1;
    written += 1;
    for (const child of children) {
      if (child !== null && typeof child === 'object') size += sizes.get(child) ?? 0;
      else {
        size += 1;
        written += 1;
      }
    }
    sizes.set(node, size);
  }
  return { written, expanded: sizes.get(data) ?? 1 };
}

/** Parses text as JSON or YAML. Throws SourceError with the line of a syntax error. */
export function parseSource(text: string, file: string): SourceDocument {
  // A byte-order mark is not content: JSON.parse would reject it, YAML readers skip it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (looksLikeJson(file, text)) {
    // Only the JSON reader uses line starts (YAML lines come from its own lookup).
    const lineStarts = computeLineStarts(text);
    const deepAt = jsonTooDeepAt(text);
    if (deepAt >= 0) {
      throw new SourceError('SOURCE_TOO_COMPLEX', file, `nesting deeper than ${MAX_NESTING} levels (the parser's limit)`, lineAtOffset(lineStarts, deepAt));
    }
    try {
      const data: unknown = JSON.parse(text);
      return { file, text, data, format: 'json', lineOf: jsonLineLookup(text, lineStarts) };
    } catch (error) {
      if (file.endsWith('.json')) {
        const m = /position (\d+)/.exec((error as Error).message);
        const line = m ? lineAtOffset(lineStarts, Number(m[1])) : undefined;
        throw new SourceError('SOURCE_SYNTAX', file, `invalid JSON: ${(error as Error).message}`, line);
      }
      // Not strict JSON: fall through to YAML, which accepts flow style.
    }
  }
  let data: unknown;
  try {
    data = loadYaml(text, { schema: YAML_SCHEMA, filename: file, maxDepth: MAX_NESTING, maxTotalMergeKeys: MAX_MERGED_KEYS });
  } catch (error) {
    if (error instanceof YAMLException) {
      const line = error.mark ? error.mark.line + 1 : undefined;
      if (error.reason.startsWith('nesting exceeded maxDepth')) {
        throw new SourceError('SOURCE_TOO_COMPLEX', file, `nesting deeper than ${MAX_NESTING} levels (the parser's limit)`, line);
      }
      if (error.reason.startsWith('merge keys exceeded')) {
        throw new SourceError('SOURCE_TOO_COMPLEX', file, `YAML merge keys (<<) copy more than ${MAX_MERGED_KEYS} keys`, line);
      }
      throw new SourceError('SOURCE_SYNTAX', file, `invalid YAML: ${error.reason}`, line);
    }
    if (error instanceof RangeError) {
      // Belt and braces: a stack overflow inside the parser is a nesting problem of the input.
      throw new SourceError('SOURCE_TOO_COMPLEX', file, `nesting too deep for the parser (${error.message})`);
    }
    throw error;
  }
  // js-yaml shares the node of an anchor with every alias to it, so parsing a "billion laughs"
  // is cheap; anything that walks the data (lint, diff, compile) would expand it. Counted here,
  // over the shared graph, only when the text can hold an alias at all.
  if (text.includes('*') && data !== null && typeof data === 'object') {
    const { written, expanded } = aliasExpansion(data);
    const budget = Math.max(MIN_ALIAS_BUDGET, ALIAS_EXPANSION_FACTOR * written);
    if (expanded > budget) {
      throw new SourceError(
        'SOURCE_TOO_COMPLEX',
        file,
        `YAML aliases expand ${written} nodes to ${expanded.toPrecision(3)}, over the budget of ${budget} (max(${MIN_ALIAS_BUDGET}, ${ALIAS_EXPANSION_FACTOR} x nodes written))`,
      );
    }
  }
  return { file, text, data, format: 'yaml', lineOf: yamlLineLookup(text) };
}

/**
 * The SourceDocument of `text` whose data was parsed by parseSource elsewhere (a worker thread):
 * the same document parseSource(text, file) returns when given the text it returned.
 */
export function sourceDocumentOf(text: string, file: string, format: 'yaml' | 'json', data: unknown): SourceDocument {
  const lineOf = format === 'json' ? jsonLineLookup(text, computeLineStarts(text)) : yamlLineLookup(text);
  return { file, text, data, format, lineOf };
}

/** Reads and parses a file. Throws SourceError (never a raw fs error). */
export function readSource(path: string): SourceDocument {
  const file = isAbsolute(path) ? path : resolve(path);
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new SourceError('SOURCE_UNREADABLE', path, 'is a directory, not a file');
    text = readTextFile(file);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SourceError('SOURCE_NOT_FOUND', path, 'file not found');
    throw new SourceError('SOURCE_UNREADABLE', path, `cannot read file (${code ?? 'error'})`);
  }
  return parseSource(text, file);
}

/** Like parseSource, but also requires the top level to be an object (a mapping). */
export function parseObjectSource(text: string, file: string): SourceDocument & { data: Record<string, unknown> } {
  const doc = parseSource(text, file);
  if (doc.data === null || typeof doc.data !== 'object' || Array.isArray(doc.data)) {
    throw new SourceError('SOURCE_NOT_OBJECT', file, 'top level must be a mapping (an object)', 1);
  }
  return doc as SourceDocument & { data: Record<string, unknown> };
}
