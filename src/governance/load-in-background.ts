/**
 * Loads a contract file with the YAML/JSON parse on a second thread, so that a command can do
 * other start-up work (loading Spectral and its ruleset, parsing the other side of a diff) while
 * the file is parsed. The result is what loadOpenApi(file) returns, or its error.
 */
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadOpenApi, type OpenApiDocument } from '../contracts/openapi-document.js';
import { sourceDocumentOf, type SourceDocument } from '../contracts/source.js';
import type { ParsedMessage } from './parse-worker.js';

/*
 * Why: parsing the 5 MB benchmark contract takes ~0.4 s and loading Spectral ~0.6 s, one after the
 * other on one core while the machine has two. The parsed data comes back as JSON text (~0.03 s
 * to parse for 5 MB) or, when JSON cannot carry it (YAML aliases, whose shared nodes must stay
 * shared; NaN, infinities, -0), by structured clone (~0.1 s), so a small file is not worth a
 * thread: below BACKGROUND_MIN_BYTES it is loaded on the calling thread, and so is any file when
 * no core is spare (coreToSpare). The worker also checks the `$ref` bounds of a document whose
 * references are all local (they depend on the data alone); everything else after the parse (the
 * OpenAPI checks, referenced files) runs on the calling thread as in loadOpenApi. When the worker fails for any reason, or finds the document unusable,
 * the file is loaded on the calling thread, which throws exactly the error a plain load throws.
 */
const BACKGROUND_MIN_BYTES = 512 * 1024;

/** Tests set `ignoreLoad` to run the worker whatever the machine's load. */
export const backgroundPolicy = { ignoreLoad: false };

/**
 * Whether a second thread can run beside this one: more than two cores, and the last minute's
 * load average leaves one mostly idle. Measured on the project's 2-core VM, quiet (load under 1),
 * on the 5 MB benchmark contract: with the worker, diff took 1.77-2.05 s wall and 2.8-3.1 s CPU,
 * without it 1.56-1.78 s and 2.2-2.6 s; lint took the same wall time either way, with 0.2 s more
 * CPU with the worker. The garbage collector's helper threads already use the second core, and
 * the worker's start-up and the hand-off of the data cost more than the overlap saves. With both
 * cores busy with other work the worker lengthened both commands. So two cores are not enough.
 */
function coreToSpare(): boolean {
  if (backgroundPolicy.ignoreLoad) return true;
  const cores = availableParallelism();
  return cores > 2 && loadavg()[0]! < cores - 1;
}

/** The worker's file beside this module's; none when running from TypeScript sources (tests under tsx). */
function workerFile(): string | undefined {
  const url = new URL('./parse-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') ? fileURLToPath(url) : undefined;
}

function parseInWorker(file: string, path: string, name: string): Promise<ParsedMessage> {
  return new Promise((done) => {
    // No execArgv: preloaded modules (--import hooks) of the command stay out of the worker.
    const worker = new Worker(file, { workerData: { path, name }, execArgv: [] });
    let settled = false;
    const settle = (message: ParsedMessage): void => {
      if (settled) return;
      settled = true;
      done(message);
    };
    worker.once('message', (message: ParsedMessage) => settle(message));
    worker.once('error', () => settle({ ok: false }));
    worker.once('exit', () => settle({ ok: false }));
  });
}

/**
 * `load()` for a local file, with the parse of a large file on a worker thread when a core is
 * spare: `load(source, boundsChecked)` is then given the file as parseSource(text, `parseName`)
 * parses it, where `load()` would parse it itself (`parseName`: the name load() gives the parser,
 * which tells JSON by the extension and names the file in errors). Otherwise `load()` runs now, on
 * this thread, and its result (or error) comes back at once rather than as a promise.
 */
export function loadSoon<T>(file: string, parseName: string, load: (source?: SourceDocument, boundsChecked?: boolean) => T): T | Promise<T> {
  const path = resolve(file);
  const worker = workerFile();
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // Unreadable: the plain load says why.
  }
  if (worker === undefined || size < BACKGROUND_MIN_BYTES || !coreToSpare()) return load();
  const loaded = parseInWorker(worker, path, parseName).then((message) =>
    message.ok ? load(sourceDocumentOf(message.text, parseName, message.format, 'json' in message ? JSON.parse(message.json) : message.data), message.boundsChecked) : load(),
  );
  // Never rejected unobserved: the caller may await other work first.
  loaded.catch(() => undefined);
  return loaded;
}

/** loadSoon as a promise in every case: an error of a load on this thread is kept for the caller's await. */
export function loadInBackground<T>(file: string, parseName: string, load: (source?: SourceDocument, boundsChecked?: boolean) => T): Promise<T> {
  let loaded: Promise<T>;
  try {
    loaded = Promise.resolve(loadSoon(file, parseName, load));
  } catch (error) {
    loaded = Promise.reject(error);
  }
  loaded.catch(() => undefined);
  return loaded;
}

/** loadOpenApi(file) for a local file, parsed on a worker thread when it is large. */
export function loadOpenApiInBackground(file: string): Promise<OpenApiDocument> {
  return loadInBackground(file, resolve(file), (source, boundsChecked) => (source === undefined ? loadOpenApi(file) : loadOpenApi(file, { source, boundsChecked })));
}
