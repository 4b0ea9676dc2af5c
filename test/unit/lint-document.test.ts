/** lintDocument: Spectral results as Findings (lines, pointers, operations, files), text input, and unusable documents. */
import { deepStrictEqual, ok } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ContractError } from '../../src/contracts/openapi-document.js';
import { SourceError } from '../../src/contracts/source.js';
import { lintDocument, loadRuleset, severityOf, type Ruleset } from '../../src/governance/lint/index.js';
import { operationAt } from '../../src/governance/lint/spectral-findings.js';
import { LINT_FIXTURES } from './fixtures/lint/lint-fixture.js';

const DOCUMENTS = join(LINT_FIXTURES, 'documents');

describe('lintDocument', () => {
  let ruleset: Ruleset;
  before(async () => {
    ruleset = await loadRuleset();
  });

  it('maps a result to a Finding: rule ID, severity, 1-based line and column, pointer, operation', async () => {
    const findings = await lintDocument(ruleset, join(DOCUMENTS, 'json-document.json'));
    deepStrictEqual(
      findings.filter((f) => f.id === 'accord-path-no-trailing-slash' || f.id === 'operation-tags'),
      [
        {
          id: 'accord-path-no-trailing-slash',
          severity: 'error',
          message: 'path /orders/ ends with a slash',
          source: 'lint',
          location: { file: join(DOCUMENTS, 'json-document.json'), line: 5, column: 17, pointer: '/paths/~1orders~1' },
        },
        {
          id: 'operation-tags',
          severity: 'warn',
          message: 'Operation must have non-empty "tags" array.',
          source: 'lint',
          location: { file: join(DOCUMENTS, 'json-document.json'), line: 6, column: 14, pointer: '/paths/~1orders~1/get' },
          operation: 'GET /orders/',
        },
      ],
    );
  });

  it('places a problem inside a referenced file in that file', async () => {
    const findings = await lintDocument(ruleset, join(DOCUMENTS, 'external-ref.yaml'));
    deepStrictEqual(
      findings.filter((f) => f.id === 'accord-problem-json-errors'),
      [
        {
          id: 'accord-problem-json-errors',
          severity: 'warn',
          message: '500 response declares application/json, not application/problem+json',
          source: 'lint',
          location: { file: join(DOCUMENTS, 'parts', 'responses.yaml'), line: 1, column: 13, pointer: '/ServerError' },
        },
      ],
    );
  });

  it('lints text under a file name, resolving relative $refs from that name', async () => {
    const text = readFileSync(join(DOCUMENTS, 'external-ref.yaml'), 'utf8');
    const fromText = await lintDocument(ruleset, join(DOCUMENTS, 'not-on-disk.yaml'), text);
    const fromFile = await lintDocument(ruleset, join(DOCUMENTS, 'external-ref.yaml'));
    const strip = (findings: typeof fromFile) => findings.map((f) => ({ ...f, location: { ...f.location, file: f.location.file.replace('not-on-disk.yaml', 'external-ref.yaml') } }));
    deepStrictEqual(strip(fromText), fromFile);
  });
});

interface Unusable {
  name: string;
  file: string;
  expected: { type: 'SourceError' | 'ContractError'; code: string; line: number | undefined; message: string };
}

const UNUSABLE: Unusable[] = [
  { name: 'missing file', file: 'nope.yaml', expected: { type: 'SourceError', code: 'SOURCE_NOT_FOUND', line: undefined, message: 'file not found' } },
  { name: 'a directory', file: 'parts', expected: { type: 'SourceError', code: 'SOURCE_UNREADABLE', line: undefined, message: 'is a directory, not a file' } },
  { name: 'invalid YAML, with its line', file: 'syntax-error.yaml', expected: { type: 'SourceError', code: 'SOURCE_SYNTAX', line: 5, message: 'invalid YAML: missed comma between flow collection entries' } },
  { name: 'invalid JSON, with its line', file: 'syntax-error.json', expected: { type: 'SourceError', code: 'SOURCE_SYNTAX', line: 4, message: "invalid JSON: Expected property name or '}' in JSON at position 90" } },
  { name: 'YAML that is not OpenAPI', file: 'not-openapi.yaml', expected: { type: 'ContractError', code: 'CONTRACT_NOT_OPENAPI', line: 1, message: 'not an OpenAPI document: no "openapi" version field' } },
  { name: 'Swagger 2.0', file: 'swagger.yaml', expected: { type: 'ContractError', code: 'CONTRACT_NOT_OPENAPI', line: 1, message: 'not an OpenAPI document: no "openapi" version field (Swagger 2.0 is not supported; convert it to OpenAPI 3)' } },
  { name: 'an unsupported OpenAPI version', file: 'openapi-2.yaml', expected: { type: 'ContractError', code: 'CONTRACT_VERSION_UNSUPPORTED', line: 1, message: 'OpenAPI 2.0.0 is not supported (3.0.x and 3.1.x are)' } },
  { name: 'a scalar document', file: 'scalar.yaml', expected: { type: 'ContractError', code: 'CONTRACT_NOT_OPENAPI', line: 1, message: 'not an OpenAPI document: top level is not a mapping' } },
];

describe('lintDocument rejects unusable input', () => {
  let ruleset: Ruleset;
  before(async () => {
    ruleset = await loadRuleset();
  });

  for (const scenario of UNUSABLE) {
    it(scenario.name, async () => {
      const file = join(DOCUMENTS, scenario.file);
      const error = await lintDocument(ruleset, file).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      ok(error instanceof SourceError || error instanceof ContractError, `unexpected ${String(error)}`);
      deepStrictEqual({ type: error.name, code: error.code, file: error.file, line: error.line, message: error.message }, { ...scenario.expected, file });
    });
  }
});

describe('result mapping', () => {
  const SEVERITIES: Array<[number, string]> = [[0, 'error'], [1, 'warn'], [2, 'info'], [3, 'hint'], [7, 'error']];
  for (const [level, severity] of SEVERITIES) {
    it(`Spectral severity ${level} is ${severity}`, () => deepStrictEqual(severityOf(level), severity));
  }

  const PATHS: Array<[string, Array<string | number>, string | undefined]> = [
    ['inside an operation', ['paths', '/orders/{id}', 'delete', 'responses', '204'], 'DELETE /orders/{id}'],
    ['the operation itself', ['paths', '/orders', 'get'], 'GET /orders'],
    ['a path-level parameter', ['paths', '/orders', 'parameters', 0], undefined],
    ['a path key', ['paths', '/orders'], undefined],
    ['a component', ['components', 'schemas', 'Order'], undefined],
  ];
  for (const [name, path, operation] of PATHS) {
    it(`operation of ${name}`, () => deepStrictEqual(operationAt(path), operation));
  }
});
