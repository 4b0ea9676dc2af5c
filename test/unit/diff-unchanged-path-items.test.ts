/**
 * The diff leaves out path items that are the same in both versions with everything their `$ref`s
 * reach (src/governance/diff/unchanged-path-items.ts): which items count as unchanged, and that
 * leaving them out changes no finding, including the findings that do not need a change (an
 * invalid x-stability-level) and the one that asks about every operation (document-level
 * security inherited).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadOpenApi, type OpenApiDocument } from '../../src/contracts/openapi-document.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import { UnchangedPathItems } from '../../src/governance/diff/unchanged-path-items.js';

const NOW = new Date('2026-06-01T00:00:00Z');

type Json = Record<string, unknown>;

function load(name: string, document: Json): OpenApiDocument {
  return loadOpenApi(name, { text: JSON.stringify(document) });
}

function contract(paths: Json, schemas: Json = {}, extra: Json = {}): Json {
  return { openapi: '3.0.3', info: { title: 't', version: '1.0.0' }, paths, components: { schemas }, ...extra };
}

function respondsWith(schema: Json, operation: Json = {}): Json {
  return { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } }, ...operation } };
}

/** The unchanged paths of a pair, by key. */
function unchangedPaths(base: Json, revision: Json): string[] {
  const items = new UnchangedPathItems(load('base.json', base), load('revision.json', revision));
  return Object.keys(base.paths as Json).filter((key) => items.unchanged('paths', key));
}

const NODE = { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } };

describe('unchanged path items', () => {
  it('an item equal in both versions with equal components is unchanged; one reaching a changed component is not', () => {
    const schemas = { A: { type: 'string' }, B: { type: 'integer' } };
    const paths = { '/a': respondsWith({ $ref: '#/components/schemas/A' }), '/b': respondsWith({ $ref: '#/components/schemas/B' }) };
    assert.deepEqual(unchangedPaths(contract(paths, schemas), contract(paths, { ...schemas, B: { type: 'number' } })), ['/a']);
    // Members in another order are the same data.
    assert.deepEqual(unchangedPaths(contract(paths, schemas), contract(paths, { B: { type: 'integer' }, A: { type: 'string' } })), ['/a', '/b']);
  });

  it('a recursive schema: unchanged when the whole cycle is, changed when any member of it changed', () => {
    const paths = { '/tree': respondsWith({ $ref: '#/components/schemas/Tree' }), '/node': respondsWith({ $ref: '#/components/schemas/Node' }) };
    const schemas = { Tree: { type: 'object', properties: { root: { $ref: '#/components/schemas/Node' } } }, Node: NODE };
    assert.deepEqual(unchangedPaths(contract(paths, schemas), contract(paths, structuredClone(schemas))), ['/tree', '/node']);
    const changedNode = { ...schemas, Node: { ...NODE, required: ['name'] } };
    assert.deepEqual(unchangedPaths(contract(paths, schemas), contract(paths, changedNode)), []);
    // A two-member cycle whose second member changed: the first, reached first, is changed too.
    const pair = { P: { type: 'object', properties: { q: { $ref: '#/components/schemas/Q' } } }, Q: { type: 'object', properties: { p: { $ref: '#/components/schemas/P' }, n: { type: 'string' } } } };
    const pairPaths = { '/p': respondsWith({ $ref: '#/components/schemas/P' }), '/q': respondsWith({ $ref: '#/components/schemas/Q' }) };
    const changedQ = { ...pair, Q: { ...pair.Q, properties: { ...pair.Q.properties, n: { type: 'integer' } } } };
    assert.deepEqual(unchangedPaths(contract(pairPaths, pair), contract(pairPaths, changedQ)), []);
  });

  it('a discriminator mapping reaches its schemas, written as references or as bare names', () => {
    const schemas = { Cat: { type: 'object', properties: { kind: { type: 'string' } } }, Dog: { type: 'object', properties: { kind: { type: 'string' } } } };
    const changedDog = { ...schemas, Dog: { type: 'object', properties: { kind: { type: 'string' }, bark: { type: 'boolean' } }, required: ['bark'] } };
    for (const mapping of [{ cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' }, { cat: 'Cat', dog: 'Dog' }]) {
      const paths = { '/pet': respondsWith({ type: 'object', discriminator: { propertyName: 'kind', mapping } }) };
      assert.deepEqual(unchangedPaths(contract(paths, schemas), contract(paths, schemas)), ['/pet']);
      assert.deepEqual(unchangedPaths(contract(paths, schemas), contract(paths, changedDog)), []);
    }
  });

  it('nothing is left out when the OpenAPI version, jsonSchemaDialect or document-level security differ', () => {
    const paths = { '/a': respondsWith({ type: 'string' }) };
    assert.deepEqual(unchangedPaths(contract(paths), contract(paths, {}, { openapi: '3.1.0' })), []);
    assert.deepEqual(unchangedPaths(contract(paths, {}, { security: [{ key: [] }] }), contract(paths, {}, { security: [] })), []);
    const dialect = 'https://json-schema.org/draft/2020-12/schema';
    assert.deepEqual(unchangedPaths(contract(paths, {}, { openapi: '3.1.0', jsonSchemaDialect: dialect }), contract(paths, {}, { openapi: '3.1.0' })), []);
    assert.deepEqual(unchangedPaths(contract(paths, {}, { openapi: '3.1.0', jsonSchemaDialect: dialect }), contract(paths, {}, { openapi: '3.1.0', jsonSchemaDialect: dialect })), ['/a']);
  });

  it('an item with a reference that does not resolve, or with an invalid x-stability-level, is compared in full', () => {
    const broken = { '/a': respondsWith({ $ref: '#/components/schemas/Missing' }) };
    assert.deepEqual(unchangedPaths(contract(broken), contract(broken)), []);
    const invalid = { '/a': respondsWith({ type: 'string' }, { 'x-stability-level': 'gamma' }) };
    assert.deepEqual(unchangedPaths(contract(invalid), contract(invalid)), []);
  });

  it('documentation may differ: description and summary texts, externalDocs', () => {
    const paths = (text: string): Json => ({
      '/a': {
        summary: text,
        get: { description: text, externalDocs: { url: `https://docs.example.com/${text}` }, responses: { '200': { description: text, content: { 'application/json': { schema: { type: 'string', description: text } } } } } },
      },
    });
    assert.deepEqual(unchangedPaths(contract(paths('v1')), contract(paths('v2'))), ['/a']);
    // A description on one side only, too.
    const plain = { '/a': respondsWith({ type: 'string' }) };
    assert.deepEqual(unchangedPaths(contract(plain), contract({ '/a': respondsWith({ type: 'string', description: 'now documented' }) })), ['/a']);
  });

  it('but not a property, header or other name that happens to be "description", nor data that holds one', () => {
    const property = (type: string): Json => ({ '/a': respondsWith({ type: 'object', properties: { description: { type }, summary: { type: 'string' } } }) });
    assert.deepEqual(unchangedPaths(contract(property('string')), contract(property('integer'))), []);
    const docsProperty = (type: string): Json => ({ '/a': respondsWith({ type: 'object', properties: { externalDocs: { type } } }) });
    assert.deepEqual(unchangedPaths(contract(docsProperty('string')), contract(docsProperty('integer'))), []);
    const defaulted = (text: string): Json => ({ '/a': respondsWith({ type: 'object', default: { description: text } }) });
    assert.deepEqual(unchangedPaths(contract(defaulted('a')), contract(defaulted('b'))), []);
    const extension = (text: string): Json => ({ '/a': respondsWith({ type: 'string', 'x-meta': { description: text } }) });
    assert.deepEqual(unchangedPaths(contract(extension('a')), contract(extension('b'))), []);
    const header = (text: string | Json): Json => ({ '/a': { get: { responses: { '200': { description: 'ok', headers: { description: typeof text === 'string' ? { description: text, schema: { type: 'string' } } : text } } } } } });
    assert.deepEqual(unchangedPaths(contract(header('a')), contract(header('b'))), ['/a']);
    assert.deepEqual(unchangedPaths(contract(header('a')), contract(header({ schema: { type: 'integer' } }))), []);
  });

  describe('with files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-unchanged-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('an item that references another file is compared in full', () => {
      writeFileSync(join(dir, 'common.json'), JSON.stringify({ Name: { type: 'string' } }));
      const document = contract({ '/a': respondsWith({ $ref: 'common.json#/Name' }) });
      writeFileSync(join(dir, 'base.json'), JSON.stringify(document));
      writeFileSync(join(dir, 'revision.json'), JSON.stringify(document));
      const items = new UnchangedPathItems(loadOpenApi(join(dir, 'base.json')), loadOpenApi(join(dir, 'revision.json')));
      assert.equal(items.unchanged('paths', '/a'), false);
    });
  });
});

describe('leaving unchanged items out changes no finding', () => {
  const diff = (base: Json, revision: Json): Array<[string, string, string | undefined]> =>
    diffContracts(load('base.json', base), load('revision.json', revision), { now: NOW }).map((f) => [f.id, f.severity, f.operation]);

  it('an invalid x-stability-level is reported on an unchanged operation', () => {
    const paths = { '/a': respondsWith({ type: 'string' }, { 'x-stability-level': 'gamma' }), '/b': respondsWith({ type: 'string' }) };
    const found = diff(contract(paths), contract(paths));
    assert.deepEqual(found, [
      ['api-invalid-stability-level', 'error', 'GET /a'],
      ['api-invalid-stability-level', 'error', 'GET /a'],
    ]);
  });

  it('narrowed document-level security is breaking when only unchanged operations inherit it', () => {
    const paths = { '/a': respondsWith({ type: 'string' }), '/b': respondsWith({ type: 'string' }, { security: [] }) };
    const schemes = { components: { schemas: {}, securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } } };
    const found = diff(contract(paths, {}, { ...schemes, security: [{}] }), contract(paths, {}, { ...schemes, security: [{ key: [] }] }));
    assert.ok(found.some(([id, severity]) => id.startsWith('api-global-security') && severity === 'error'), JSON.stringify(found));
  });

  it('a change next to changed documentation is found, and documentation alone reports nothing', () => {
    const item = (text: string, type: string): Json => ({ '/a': respondsWith({ type: 'object', description: text, properties: { description: { type } } }) });
    assert.deepEqual(diff(contract(item('v1', 'string')), contract(item('v2', 'string'))), []);
    const found = diff(contract(item('v1', 'string')), contract(item('v2', 'integer')));
    assert.deepEqual(found.map(([id]) => id), ['response-property-type-changed']);
  });

  it('a change in a shared component is reported for every operation that reaches it, and the unchanged ones are not named', () => {
    const schemas = { Money: { type: 'object', properties: { amount: { type: 'integer' } } }, Name: { type: 'string' } };
    const paths = {
      '/price': respondsWith({ $ref: '#/components/schemas/Money' }),
      '/total': respondsWith({ type: 'object', properties: { sum: { $ref: '#/components/schemas/Money' } } }),
      '/name': respondsWith({ $ref: '#/components/schemas/Name' }),
    };
    const revised = { ...schemas, Money: { type: 'object', properties: { amount: { type: 'string' } } } };
    const findings = diffContracts(load('base.json', contract(paths, schemas)), load('revision.json', contract(paths, revised)), { now: NOW, expand: true });
    assert.deepEqual([...new Set(findings.map((f) => f.operation))].sort(), ['GET /price', 'GET /total']);
    assert.ok(findings.every((f) => f.id === 'response-property-type-changed' || f.id === 'response-body-type-changed'), JSON.stringify(findings.map((f) => f.id)));
  });
});
