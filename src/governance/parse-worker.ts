/**
 * Worker thread of load-in-background.ts: reads one contract file (`path`), parses it with the
 * shared parser (parseSource, naming the file `name`) and posts the text and data back. Any
 * failure posts `{ ok: false }`: the main thread then loads the file itself, so that it throws
 * exactly what a plain load throws.
 */
import { dirname, resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { fileReader, OpenApiDocument } from '../contracts/openapi-document.js';
import { checkReferenceBounds } from '../contracts/reference-bounds.js';
import { readTextFile } from '../contracts/read-text-file.js';
import { parseSource } from '../contracts/source.js';

/**
 * What the main thread receives. `boundsChecked`: the document is OpenAPI and its `$ref` bounds
 * (checkReferenceBounds) hold, all its references being local (the outcome then depends on the
 * data alone, not on how the main thread reads other files).
 */
export type ParsedMessage =
  | { ok: true; text: string; format: 'yaml' | 'json'; data: unknown; boundsChecked: boolean }
  | { ok: true; text: string; format: 'yaml' | 'json'; json: string; boundsChecked: boolean }
  | { ok: false };

/**
 * Whether JSON.parse(JSON.stringify(data)) gives `data` back: no node reached twice (a YAML alias
 * shares its anchor's node, which JSON would copy once per alias) and no number JSON cannot write
 * (NaN and infinities become null, -0 becomes 0). The parsers give only plain objects, arrays,
 * strings, numbers, booleans and null, and a YAML text can hold an alias only where it has a `*`.
 */
function survivesJson(data: unknown, format: 'yaml' | 'json', text: string): boolean {
  if (format === 'yaml' && text.includes('*')) return false;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || Object.is(value, -0)) return false;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      for (let i = 0; i < keys.length; i++) stack.push(record[keys[i]!]);
    }
  }
  return true;
}

const { path, name } = workerData as { path: string; name: string };
let message: ParsedMessage;
try {
  const source = parseSource(readTextFile(path), name);
  let local = true;
  const reader = (file: string): string => {
    local = false;
    return fileReader(file);
  };
  // Throws for a document that is not OpenAPI or past the bounds: the main thread's load says so.
  checkReferenceBounds(new OpenApiDocument(source, reader, (from, ref) => resolve(dirname(from), ref)));
  // Data as JSON text when that round-trips: the main thread's JSON.parse of a 5 MB contract's
  // data takes ~30 ms, the structured clone's deserialising of it ~90 ms, on the thread that waits.
  message = survivesJson(source.data, source.format, source.text)
    ? { ok: true, text: source.text, format: source.format, json: JSON.stringify(source.data), boundsChecked: local }
    : { ok: true, text: source.text, format: source.format, data: source.data, boundsChecked: local };
} catch {
  message = { ok: false };
}
parentPort?.postMessage(message);
