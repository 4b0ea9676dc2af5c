/** Reads YAML or JSON files into plain data and keeps a map from JSON pointers to source lines. */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node, type Document } from 'yaml';
import { fromPointer } from './json-pointer.js';

/** Why a source could not be read; `file`, `line` and `pointer` locate the problem where known. */
export class SourceError extends Error {
  readonly code: 'SOURCE_NOT_FOUND' | 'SOURCE_UNREADABLE' | 'SOURCE_SYNTAX' | 'SOURCE_NOT_OBJECT';
  readonly file: string;
  readonly line: number | undefined;
  readonly pointer: string | undefined;

  constructor(code: SourceError['code'], file: string, message: string, line?: number, pointer?: string) {
    super(message);
    this.name = 'SourceError';
    this.code = code;
    this.file = file;
    this.line = line;
    this.pointer = pointer;
  }

  /** One line for a terminal: `file:line: message`. */
  describe(): string {
    const where = this.line ? `${this.file}:${this.line}` : this.file;
    return `${where}: ${this.message}`;
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
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * Line lookup for YAML: walks the CST of the document lazily (built once on first call).
 * The line of a map member is the line of its key, which is what an editor should jump to.
 */
function yamlLineLookup(doc: Document, lineStarts: number[]): (pointer: string) => number | undefined {
  return (pointer) => {
    let segments: string[];
    try {
      segments = fromPointer(pointer);
    } catch {
      return undefined;
    }
    let node: Node | null | undefined = doc.contents as Node | null;
    let line = node?.range ? lineAtOffset(lineStarts, node.range[0]) : undefined;
    for (const seg of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
        if (!pair) return line;
        const key = pair.key as Node;
        if (key.range) line = lineAtOffset(lineStarts, key.range[0]);
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const item = node.items[Number(seg)] as Node | undefined;
        if (!item) return line;
        if (item.range) line = lineAtOffset(lineStarts, item.range[0]);
        node = item;
      } else {
        return line;
      }
    }
    return line;
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

/** Parses text as JSON or YAML. Throws SourceError with the line of a syntax error. */
export function parseSource(text: string, file: string): SourceDocument {
  const lineStarts = computeLineStarts(text);
  if (looksLikeJson(file, text)) {
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lineAtOffset(lineStarts, first.pos[0]);
    const reason = first.message.split('\n')[0] ?? 'syntax error';
    throw new SourceError('SOURCE_SYNTAX', file, `invalid YAML: ${reason}`, line);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 1000 });
  return { file, text, data, format: 'yaml', lineOf: yamlLineLookup(doc, lineStarts) };
}

/** Reads and parses a file. Throws SourceError (never a raw fs error). */
export function readSource(path: string): SourceDocument {
  const file = isAbsolute(path) ? path : resolve(path);
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new SourceError('SOURCE_UNREADABLE', path, 'is a directory, not a file');
    text = readFileSync(file, 'utf8');
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
