/**
 * The local `$ref` resolver lint gives Spectral must produce exactly what Spectral's own resolver
 * (@stoplight/json-ref-resolver) produces: the resolved tree, the reference map that places
 * findings, the graph that tells which components are used, and the errors that become
 * `invalid-ref` findings. Compared on every fixture document, the real contracts and a table of
 * hand-made edge cases (cycles, references to an ancestor, through a reference, missing targets).
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
// CommonJS: the default import carries the resolver.
import spectralRefResolver from '@stoplight/spectral-ref-resolver';
import { loadForLint } from '../../src/governance/lint/lint-document.js';
import { createLocalRefResolver, type ResolveOutcome } from '../../src/governance/lint/local-ref-resolver.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

function documents(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...documents(path));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(path);
  }
  return out;
}

/** What Spectral reads of a resolution, in a comparable form. */
function observable(outcome: ResolveOutcome, root: string): unknown {
  const graph = outcome.graph as unknown as { overallOrder(): string[]; getNodeData(node: string): { refMap: Record<string, string> } };
  return {
    result: outcome.result,
    refMap: outcome.refMap,
    rootRefMap: graph.getNodeData(root).refMap,
    nodes: [...graph.overallOrder()].sort(),
    errors: outcome.errors.map((e) => ({ code: e.code, message: e.message, path: e.path, uriStack: e.uriStack })),
  };
}

async function compare(file: string, text?: string): Promise<void> {
  let input;
  try {
    input = loadForLint(file, text);
  } catch {
    return; // refused before lint: nothing reaches Spectral
  }
  const opts = { baseUri: input.path };
  // Ours first: Spectral's resolver freezes the data it is given.
  const ours = await createLocalRefResolver().resolve(input.document.data, opts);
  const theirs = (await spectralRefResolver.createHttpAndFileResolver().resolve(input.document.data, opts)) as unknown as ResolveOutcome;
  const root = (theirs.runner as { root: string }).root;
  assert.deepStrictEqual(observable(ours, root), observable(theirs, root));
}

const EDGE_CASES: Record<string, string> = {
  'a schema that refers to itself': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        next: { $ref: '#/components/schemas/Node' }
        children: { type: array, items: { $ref: '#/components/schemas/Node' } }
`,
  'two schemas that refer to each other, used from an operation': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/A' } } }
components:
  schemas:
    A: { type: object, properties: { b: { $ref: '#/components/schemas/B' } } }
    B: { type: object, properties: { a: { $ref: '#/components/schemas/A' } } }
`,
  'a reference to an ancestor of itself': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths: {}
components:
  schemas:
    Tree: { type: object, properties: { sub: { $ref: '#/components/schemas/Tree' }, up: { $ref: '#/components' } } }
`,
  'a reference to nothing, and one that is not a pointer': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      parameters: [{ $ref: '#/components/parameters/Missing' }, { $ref: '#nope' }]
      responses: { '200': { $ref: '#/components/responses/Missing' } }
`,
  'a reference through a reference, and a chain of references': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      responses:
        '200': { $ref: '#/components/responses/Alias' }
        '201':
          description: through
          content: { $ref: '#/components/responses/Alias/content' }
components:
  responses:
    Alias: { $ref: '#/components/responses/Real' }
    Real: { description: real, content: { application/json: { schema: { $ref: '#/components/schemas/C' } } } }
  schemas:
    C: { $ref: '#/components/schemas/D' }
    D: { $ref: '#/components/schemas/E' }
    E: { type: string, description: end }
`,
  'names that need escaping, references with siblings, array targets and the root': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get:
      parameters: [{ $ref: '#/paths/~1a~1{id}/parameters/0' }]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/a~1b~0c', description: sibling }
        '400': { description: x, content: { application/json: { schema: { $ref: '#/components/schemas/50%25' } } } }
        '404': { description: y, content: { application/json: { schema: { $ref: '#/components/schemas/with space' } } } }
      x-whole: { $ref: '#' }
components:
  schemas:
    a/b~c: { type: integer }
    50%: { type: number }
    with space: { type: boolean }
`,
  'a reference placed under a key holding % (a place whose pointer does not parse back to its path)': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /rate:
    get:
      responses:
        '200': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
components:
  schemas:
    Item: { type: object, properties: { next: { $ref: '#/components/schemas/Item' }, share: { $ref: '#/components/schemas/Share' } } }
    Share: { type: object, properties: { '100%': { $ref: '#/components/schemas/Item' } } }
`,
  'references inside referenced schemas, nested several levels (stems that are targets themselves)': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      responses:
        '200': { $ref: '#/components/responses/Ok' }
        '201': { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/A/properties/b' } } } }
components:
  responses:
    Ok: { description: ok, content: { application/json: { schema: { $ref: '#/components/schemas/A' } } } }
  schemas:
    A: { type: object, properties: { b: { $ref: '#/components/schemas/B' }, self: { $ref: '#/components/schemas/A' } } }
    B: { type: object, properties: { c: { $ref: '#/components/schemas/C' }, up: { $ref: '#/components/schemas/A/properties/b' } } }
    C: { type: array, items: { $ref: '#/components/schemas/A' } }
`,
  'a reference to another file (left to Spectral)': `
openapi: 3.0.3
info: { title: t, version: 1.0.0 }
paths:
  /a:
    get:
      responses: { '200': { $ref: './missing-part.yaml#/Ok' } }
`,
};

describe('the local $ref resolver gives what Spectral resolves', () => {
  describe('hand-made edge cases', () => {
    for (const [name, text] of Object.entries(EDGE_CASES)) {
      it(name, () => compare(join(ROOT, 'test', 'unit', 'fixtures', 'lint', 'edge.yaml'), text));
    }
  });
  describe('fixture documents and real contracts', () => {
    const files = [...documents(join(ROOT, 'test', 'unit', 'fixtures')), ...documents(join(ROOT, 'test', 'integration', 'fixtures', 'real'))];
    for (const file of files) it(relative(ROOT, file), () => compare(file));
  });
});
