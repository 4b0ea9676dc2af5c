/**
 * Worker thread of load-in-background.ts: reads one contract file (`path`), parses it with the
 * shared parser (parseSource, naming the file `name`) and posts the text and data back. Any
 * failure posts `{ ok: false }`: the main thread then loads the file itself, so that it throws
 * exactly what a plain load throws.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parseSource } from '../contracts/source.js';

/** What the main thread receives. */
export type ParsedMessage = { ok: true; text: string; format: 'yaml' | 'json'; data: unknown } | { ok: false };

const { path, name } = workerData as { path: string; name: string };
let message: ParsedMessage;
try {
  const source = parseSource(readFileSync(path, 'utf8'), name);
  message = { ok: true, text: source.text, format: source.format, data: source.data };
} catch {
  message = { ok: false };
}
parentPort?.postMessage(message);
