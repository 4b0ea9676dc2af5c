/** Loads an OpenAPI 3.0/3.1 document and the files its `$ref`s point to, and follows references. */
import { dirname, resolve as resolvePath, isAbsolute } from 'node:path';
import { parseSource, SourceError, type SourceDocument } from './source.js';
import { readTextFile } from './read-text-file.js';
import { LocatedError } from '../errors/located-error.js';
import { fromPointer, getAt, toPointer } from './json-pointer.js';
// A cycle of imports, harmless: the bounds check is called only after both modules loaded.
import { checkReferenceBounds } from './reference-bounds.js';

/** A document that cannot be used as an OpenAPI contract, located by file, pointer and line. */
export class ContractError extends LocatedError {
  readonly code: 'CONTRACT_NOT_OPENAPI' | 'CONTRACT_VERSION_UNSUPPORTED' | 'CONTRACT_REF_UNRESOLVED' | 'CONTRACT_INVALID' | 'CONTRACT_TOO_COMPLEX' | 'CONTRACT_UNCLASSIFIED';
  declare readonly pointer: string;

  constructor(code: ContractError['code'], file: string, pointer: string, message: string, line?: number) {
    super('ContractError', file, message, pointer, line);
    this.code = code;
  }
}

/** Reads the text of a file; files are plain paths, or whatever a custom reader (git) understands. */
export type TextReader = (file: string) => string;

/** Reads from the local file system. */
export const fileReader: TextReader = (file) => readTextFile(file);

/** Where a resolved value lives: the file and the JSON pointer inside it. */
export interface Location {
  file: string;
  pointer: string;
}

/** A value after following every `$ref` on the way, with where it was found. */
export interface Resolved<T = unknown> extends Location {
  value: T;
}

/** Plain JSON object. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A loaded OpenAPI document with the files it references. */
export class OpenApiDocument {
  readonly file: string;
  readonly openapi: string;
  readonly majorMinor: '3.0' | '3.1';
  readonly data: JsonObject;
  readonly source: SourceDocument;
  private readonly files = new Map<string, SourceDocument>();
  /** Resolved references by the file they are written in, then by the `$ref` string. */
  private readonly resolvedRefs = new Map<string, Map<string, Resolved>>();
  private readonly reader: TextReader;
  private readonly joinPath: (from: string, ref: string) => string;

  constructor(source: SourceDocument, reader: TextReader, joinPath: (from: string, ref: string) => string) {
    this.source = source;
    this.file = source.file;
    this.reader = reader;
    this.joinPath = joinPath;
    this.files.set(source.file, source);
    const data = source.data;
    if (!isObject(data)) {
      throw new ContractError('CONTRACT_NOT_OPENAPI', source.file, '', 'not an OpenAPI document: top level is not a mapping', 1);
    }
    const version = data.openapi;
    if (typeof version !== 'string') {
      const hint = typeof data.swagger === 'string' ? ' (Swagger 2.0 is not supported; convert it to OpenAPI 3)' : '';
      throw new ContractError('CONTRACT_NOT_OPENAPI', source.file, '/openapi', `not an OpenAPI document: no "openapi" version field${hint}`, 1);
    }
    const m = /^3\.(0|1)(\.\d+)?(-.+)?$/.exec(version);
    if (!m) {
      throw new ContractError('CONTRACT_VERSION_UNSUPPORTED', source.file, '/openapi', `OpenAPI ${version} is not supported (3.0.x and 3.1.x are)`, source.lineOf('/openapi'));
    }
    if (data.paths !== undefined && !isObject(data.paths)) {
      throw new ContractError('CONTRACT_NOT_OPENAPI', source.file, '/paths', '"paths" must be a mapping', source.lineOf('/paths'));
    }
    if (data.paths === undefined && m[1] === '0') {
      throw new ContractError('CONTRACT_NOT_OPENAPI', source.file, '/paths', 'OpenAPI 3.0 requires "paths"', 1);
    }
    this.openapi = version;
    this.majorMinor = m[1] === '0' ? '3.0' : '3.1';
    this.data = data;
  }

  /** The parsed source of a file this document references (loaded on first use). */
  sourceOf(file: string): SourceDocument {
    const cached = this.files.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = this.reader(file);
    } catch {
      throw new SourceError('SOURCE_NOT_FOUND', file, 'referenced file not found');
    }
    const doc = parseSource(text, file);
    this.files.set(file, doc);
    return doc;
  }

  /** Line of a pointer in a file of this document set. */
  lineOf(file: string, pointer: string): number | undefined {
    const src = this.files.get(file);
    return src?.lineOf(pointer);
  }

  /**
   * Resolves one `$ref` string found in `fromFile` at `fromPointer`.
   * Throws ContractError CONTRACT_REF_UNRESOLVED when the target does not exist.
   */
  resolveRef(ref: string, fromFile: string, fromPointerHint = ''): Resolved {
    // A large contract repeats a few hundred references tens of thousands of times; each lookup
    // parses the pointer and walks the data. Only successes are remembered (an error names the
    // place of the `$ref`), and each caller gets its own copy of the result.
    // Two levels rather than one key joining file and reference: a joined key is a new string to
    // flatten and hash at every one of those lookups.
    let inFile = this.resolvedRefs.get(fromFile);
    const known = inFile?.get(ref);
    if (known !== undefined) return { ...known };
    const resolved = this.resolveRefOnce(ref, fromFile, fromPointerHint);
    if (inFile === undefined) {
      inFile = new Map();
      this.resolvedRefs.set(fromFile, inFile);
    }
    inFile.set(ref, resolved);
    return { ...resolved };
  }

  private resolveRefOnce(ref: string, fromFile: string, fromPointerHint: string): Resolved {
    const hash = ref.indexOf('#');
    const filePart = hash >= 0 ? ref.slice(0, hash) : ref;
    const fragment = hash >= 0 ? ref.slice(hash) : '';
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
      throw new ContractError('CONTRACT_REF_UNRESOLVED', fromFile, fromPointerHint, `remote $ref not supported: ${ref}`, this.lineOf(fromFile, fromPointerHint));
    }
    const file = filePart === '' ? fromFile : this.joinPath(fromFile, filePart);
    let src: SourceDocument;
    try {
      src = this.sourceOf(file);
    } catch (error) {
      if (error instanceof SourceError && error.code !== 'SOURCE_NOT_FOUND') throw error;
      throw new ContractError('CONTRACT_REF_UNRESOLVED', fromFile, fromPointerHint, `$ref "${ref}": file ${filePart} not found`, this.lineOf(fromFile, fromPointerHint));
    }
    let segments: string[];
    try {
      segments = fromPointer(fragment);
    } catch {
      throw new ContractError('CONTRACT_REF_UNRESOLVED', fromFile, fromPointerHint, `$ref "${ref}" is not a JSON pointer`, this.lineOf(fromFile, fromPointerHint));
    }
    const value = getAt(src.data, segments);
    if (value === undefined) {
      throw new ContractError('CONTRACT_REF_UNRESOLVED', fromFile, fromPointerHint, `$ref "${ref}" points at nothing`, this.lineOf(fromFile, fromPointerHint));
    }
    return { value, file, pointer: toPointer(segments) };
  }

  /**
   * Follows `$ref` chains starting at a value (a `$ref` to a `$ref` …) until a non-reference.
   * A cycle of pure references is reported as CONTRACT_REF_UNRESOLVED.
   */
  deref<T = unknown>(value: unknown, file: string, pointer: string): Resolved<T> {
    if (!isObject(value) || typeof value.$ref !== 'string') return { value: value as T, file, pointer };
    // Most references name a non-reference: one lookup, without the set that catches a cycle.
    const first = this.resolveRef(value.$ref, file, pointer + '/$ref');
    if (!isObject(first.value) || typeof first.value.$ref !== 'string') return first as Resolved<T>;
    let current: Resolved = { value, file, pointer };
    const seen = new Set<string>();
    while (isObject(current.value) && typeof current.value.$ref === 'string') {
      const key = `${current.file}#${current.pointer}`;
      if (seen.has(key)) {
        throw new ContractError('CONTRACT_REF_UNRESOLVED', file, pointer, 'circular $ref chain', this.lineOf(file, pointer));
      }
      seen.add(key);
      current = this.resolveRef(current.value.$ref, current.file, current.pointer + '/$ref');
    }
    return current as Resolved<T>;
  }

  /** Every file this document has loaded so far (the root first). */
  loadedFiles(): string[] {
    return [...this.files.keys()];
  }
}

function fsJoin(from: string, ref: string): string {
  return isAbsolute(ref) ? ref : resolvePath(dirname(from), decodeURIComponent(ref));
}

/**
 * Loads an OpenAPI document from a file (or from text with a virtual file name and a reader for
 * the files it references), with every file its `$ref`s reach. Throws SourceError for an
 * unreadable or invalid file, or one past the parser's limits (nesting, alias expansion), and
 * ContractError when the document is not OpenAPI 3.0/3.1 or nests, `$ref`s followed, deeper than
 * MAX_RESOLVED_DEPTH. Every reader (gateway, diff, lint, check) loads through here, so all apply
 * the same limits. `source`: the file as parseSource parsed it already (in a worker thread);
 * `boundsChecked`: that thread found the `$ref` bounds held, every reference being local.
 */
export function loadOpenApi(
  file: string,
  options: { text?: string; reader?: TextReader; joinPath?: (from: string, ref: string) => string; source?: SourceDocument; boundsChecked?: boolean } = {},
): OpenApiDocument {
  const reader = options.reader ?? fileReader;
  const name = options.reader ? file : resolvePath(file);
  if (options.source !== undefined) {
    // Parsed already (by parseSource, in a worker thread): the same checks from here on, but the
    // bounds when the worker checked them on a document whose references are all local.
    const parsed = new OpenApiDocument(options.source, reader, options.joinPath ?? fsJoin);
    if (options.boundsChecked !== true) checkReferenceBounds(parsed);
    return parsed;
  }
  let text = options.text;
  if (text === undefined) {
    try {
      text = reader(name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') throw new SourceError('SOURCE_UNREADABLE', file, 'is a directory, not a file');
      throw new SourceError('SOURCE_NOT_FOUND', file, 'file not found');
    }
  }
  const doc = new OpenApiDocument(parseSource(text, name), reader, options.joinPath ?? fsJoin);
  checkReferenceBounds(doc);
  return doc;
}
