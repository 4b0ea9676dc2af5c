/**
 * Loading a large contract with its parse on a worker thread (src/governance/load-in-background.ts)
 * gives what the plain load gives: the same document (data, file name, format, lines) or the same
 * error. The worker runs from the build (dist/), as the CLI runs it: `npm test` builds first.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { OpenApiDocument } from '../../src/contracts/openapi-document.js';
import type { LintInput } from '../../src/governance/lint/lint-document.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist');

interface Loaders {
  loadOpenApi(file: string): OpenApiDocument;
  loadOpenApiInBackground(file: string): Promise<OpenApiDocument>;
  loadForLint(file: string): LintInput;
  loadForLintInBackground(file: string): Promise<LintInput>;
}

async function loaders(): Promise<Loaders> {
  const background = (await import(pathToFileURL(join(DIST, 'governance', 'load-in-background.js')).href)) as Pick<Loaders, 'loadOpenApiInBackground'> & {
    backgroundPolicy: { ignoreLoad: boolean };
  };
  // The worker runs whatever else the machine is doing (it otherwise waits for a spare core).
  background.backgroundPolicy.ignoreLoad = true;
  const document = (await import(pathToFileURL(join(DIST, 'contracts', 'openapi-document.js')).href)) as Pick<Loaders, 'loadOpenApi'>;
  const lint = (await import(pathToFileURL(join(DIST, 'governance', 'lint', 'lint-document.js')).href)) as Pick<Loaders, 'loadForLint' | 'loadForLintInBackground'>;
  return { ...background, ...document, ...lint };
}

/** A valid OpenAPI 3.0 YAML text of more than 512 KiB (the size from which the parse moves to a worker). */
function largeYaml(tail = ''): string {
  const lines = ['openapi: 3.0.3', 'info:', '  title: Large', '  version: 1.0.0', 'paths:'];
  for (let i = 0; lines.join('\n').length < 700 * 1024; i++) {
    lines.push(`  /items${i}:`, '    get:', `      operationId: get${i}`, '      responses:', "        '200':", `          description: item ${i} ${'x'.repeat(60)}`);
    lines.push('          content:', '            application/json:', '              schema:', "                $ref: '#/components/schemas/Item'");
  }
  lines.push('components:', '  schemas:', '    Item: &item', '      type: object', '    Copy: *item');
  return `${lines.join('\n')}\n${tail}`;
}

/** Schemas Chain0 … Chain{n} under `components` (appended after largeYaml's), each a `$ref` to the next. */
function deepChain(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`    Chain${i}: { $ref: '#/components/schemas/Chain${i + 1}' }`);
  lines.push(`    Chain${n}: { type: string }`);
  return `${lines.join('\n')}\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'accord-load-in-background-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** What a load gives, comparably: the document's data, names, format and a few lines, or the error's name, code, message and line. */
async function outcome(load: () => OpenApiDocument | Promise<OpenApiDocument>): Promise<unknown> {
  try {
    const doc = await load();
    const pointers = ['/paths', '/paths/~1items3/get/responses/200', '/components/schemas/Copy', '/nowhere'];
    return { file: doc.file, format: doc.source.format, text: doc.source.text, data: doc.data, lines: pointers.map((p) => doc.source.lineOf(p)) };
  } catch (error) {
    const e = error as Error & { code?: string; line?: number; file?: string };
    return { name: e.name, code: e.code, message: e.message, line: e.line, file: e.file };
  }
}

describe('load in background', async () => {
  const l = await loaders();
  write('part.yaml', 'Part: { type: object }\n');
  const cases: Record<string, string> = {
    'a large YAML contract': write('large.yaml', largeYaml()),
    // No alias: the data comes back from the worker as JSON text.
    'a large YAML contract without aliases': write('plain.yaml', largeYaml().replace('    Item: &item', '    Item:').replace('    Copy: *item', '    Copy: { type: object }')),
    // Numbers JSON cannot carry: the data comes back by structured clone.
    'a large YAML contract with infinities, NaN and -0': write('numbers.yaml', largeYaml().replace('    Item: &item', '    Item:').replace('    Copy: *item', '    Copy: { type: number, x-values: [.inf, -.inf, .nan, -0, -0.0, 0] }')),
    'a large JSON contract with a byte-order mark': write('large.json', `\ufeff${JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, 'x-pad': 'y'.repeat(600 * 1024) })}`),
    'a large file with a YAML syntax error at the end': write('broken.yaml', largeYaml('bad: [unclosed\n')),
    'a large YAML file that is not OpenAPI': write('not-openapi.yaml', largeYaml().replace('openapi: 3.0.3', 'swagger: "2.0"')),
    'a large file with a $ref to nothing': write('dangling.yaml', largeYaml().replace("'#/components/schemas/Item'", "'#/components/schemas/Nope'")),
    'a large file whose $refs nest past the bound': write('deep.yaml', largeYaml(deepChain(1100))),
    'a large file with a $ref to another file': write('external.yaml', largeYaml().replace("'#/components/schemas/Item'", "'./part.yaml#/Part'")),
    'a file that does not exist': join(dir, 'missing.yaml'),
  };
  for (const [name, file] of Object.entries(cases)) {
    it(`${name}: loadOpenApi`, async () => {
      assert.deepEqual(await outcome(() => l.loadOpenApiInBackground(file)), await outcome(() => l.loadOpenApi(file)));
    });
    it(`${name}: loadForLint, by a relative name`, async () => {
      const named = relative(process.cwd(), file);
      const lint = async (load: () => LintInput | Promise<LintInput>): Promise<unknown> => outcome(async () => (await load()).document);
      assert.deepEqual(await lint(() => l.loadForLintInBackground(named)), await lint(() => l.loadForLint(named)));
    });
  }
  it('the large YAML contract keeps the aliased node shared, as the parser made it', async () => {
    const doc = await l.loadOpenApiInBackground(cases['a large YAML contract']!);
    const schemas = (doc.data.components as { schemas: Record<string, unknown> }).schemas;
    assert.equal(schemas.Copy, schemas.Item);
  });
});
