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
export type ParsedMessage = { ok: true; text: string; format: 'yaml' | 'json'; data: unknown; boundsChecked: boolean } | { ok: false };

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
  message = { ok: true, text: source.text, format: source.format, data: source.data, boundsChecked: local };
} catch {
  message = { ok: false };
}
parentPort?.postMessage(message);
