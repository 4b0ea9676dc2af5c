/**
 * Every reader of a contract sees the same data: the shared loader (diff, check, gateway, lint's
 * gate) and Spectral's parser (lint rules) agree on YAML merge keys and on a leading byte-order mark.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// CommonJS: the default import carries the parsers.
import Parsers from '@stoplight/spectral-parsers';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { parseSource } from '../../src/contracts/source.js';
import { diffContracts } from '../../src/governance/diff/index.js';
import { runCli } from '../support/cli.js';

const MERGED = `openapi: 3.0.3
info: {title: merge, version: 1.0.0}
x-errors: &errors
  '404': {description: not found}
  '500': {description: failed}
paths:
  /a:
    get:
      operationId: getA
      responses:
        <<: *errors
        '200': {description: ok}
`;
const UNMERGED = MERGED.replace('        <<: *errors\n', '');
const BOM = '\ufeff';
const JSON_DOC = '{"openapi":"3.0.3","info":{"title":"bom","version":"1.0.0"},"paths":{}}\n';

describe('readers agree: YAML merge keys', () => {
  it('the loader expands a merge key into the mapping, as Spectral does', () => {
    const ours = parseSource(MERGED, 'merged.yaml').data;
    const spectral = Parsers.Yaml.parse(MERGED).data;
    assert.deepEqual(ours, spectral);
    assert.deepEqual(Object.keys((ours as { paths: Record<string, { get: { responses: object } }> }).paths['/a']!.get.responses).sort(), ['200', '404', '500']);
  });
  it('a key written beside a merge key wins over the merged one', () => {
    const data = parseSource('base: &b {a: 1, b: 2}\nmerged:\n  <<: *b\n  b: 3\n', 'x.yaml').data;
    assert.deepEqual(data, { base: { a: 1, b: 2 }, merged: { a: 1, b: 3 } });
  });
  it('diff reports the responses a removed merge key took away', () => {
    const findings = diffContracts(loadOpenApi('base.yaml', { text: MERGED, reader: () => MERGED }), loadOpenApi('revision.yaml', { text: UNMERGED, reader: () => UNMERGED }));
    assert.deepEqual(
      findings.map((f) => [f.id, f.message]),
      [
        ['response-non-success-status-removed', 'removed the response status 404'],
        ['response-non-success-status-removed', 'removed the response status 500'],
      ],
    );
  });
});

describe('readers agree: a leading byte-order mark', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-bom-'));
    writeFileSync(join(dir, 'bom.json'), BOM + JSON_DOC);
    writeFileSync(join(dir, 'plain.json'), JSON_DOC);
    writeFileSync(join(dir, 'bom.yaml'), BOM + MERGED);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const scenarios: Array<{ name: string; text: string; file: string }> = [
    { name: 'JSON', text: BOM + JSON_DOC, file: 'bom.json' },
    { name: 'YAML', text: BOM + MERGED, file: 'bom.yaml' },
  ];
  for (const s of scenarios) {
    it(`the loader reads ${s.name} with a byte-order mark as without`, () => {
      const parsed = parseSource(s.text, s.file);
      assert.deepEqual(parsed.data, parseSource(s.text.slice(1), s.file).data);
      assert.equal(parsed.text.charCodeAt(0), s.text.charCodeAt(1));
    });
  }
  it('diff reads JSON with a byte-order mark (no change against the same document without one)', () => {
    const run = runCli(['diff', 'plain.json', 'bom.json', '--format', 'json'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { breaking: false, changes: [] });
  });
  it('lint reads JSON with a byte-order mark: the same findings as without', () => {
    const withBom = runCli(['lint', 'bom.json', '--format', 'json'], { cwd: dir });
    const without = runCli(['lint', 'plain.json', '--format', 'json'], { cwd: dir });
    assert.equal(withBom.stderr, '');
    assert.equal(withBom.status, without.status);
    const strip = (out: string): unknown => (JSON.parse(out) as { findings: Array<{ location: { file: string } }> }).findings.map((f) => ({ ...f, location: { ...f.location, file: '' } }));
    assert.deepEqual(strip(withBom.stdout), strip(without.stdout));
  });
});
