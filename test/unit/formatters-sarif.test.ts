/** SARIF output: valid against the OASIS SARIF 2.1.0 schema, with the rule metadata and locations code scanning reads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { renderFindings, type Report } from '../../src/cli/formatters/index.js';
import { CWD, ORDERS, USERS, sampleReport } from './fixtures/formatters/sample-report.js';

// The approved SARIF 2.1.0 schema (errata 01) is written in JSON Schema draft-04, hence ajv-draft-04.
// Ajv's strict mode is off because the schema itself trips it (`required` naming properties that an
// `anyOf` branch does not declare); that is a lint of the schema's style, not of our output.
const schema = JSON.parse(readFileSync(new URL('./fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: true });
addFormats(ajv);
const validate = ajv.compile(schema);

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<Record<string, unknown>> } };
    automationDetails: { id: string };
    results: Array<Record<string, unknown>>;
  }>;
}

function sarif(report: Report): SarifLog {
  return JSON.parse(renderFindings(report, 'sarif', { cwd: CWD, color: false })) as SarifLog;
}

function schemaErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const validScenarios: Array<{ name: string; report: Report }> = [
  { name: 'check report with diff, lint and policy findings', report: sampleReport('check') },
  { name: 'lint report', report: sampleReport('lint') },
  { name: 'no findings at all', report: { tool: 'diff', files: [ORDERS], findings: [], failThreshold: 'error' } },
  {
    name: 'hint severity, a file outside the repository and a path that needs percent-encoding',
    report: {
      tool: 'lint',
      files: ['/elsewhere/my api/v1.yaml'],
      failThreshold: 'hint',
      findings: [
        { id: 'tag-description', severity: 'hint', message: 'Tag has no description', source: 'lint', location: { file: '/elsewhere/my api/v1.yaml', line: 3, column: 1, pointer: '/tags/0' } },
      ],
    },
  },
];

for (const scenario of validScenarios) {
  test(`sarif validates against the SARIF 2.1.0 schema: ${scenario.name}`, () => {
    assert.deepEqual(schemaErrors(sarif(scenario.report)), []);
  });
}

test('the schema check can fail: a bad level and a zero start line are rejected', () => {
  const log = sarif(sampleReport()) as unknown as { runs: Array<{ results: Array<{ level: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }> };
  log.runs[0]!.results[0]!.level = 'fatal';
  log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
  const errors = schemaErrors(log);
  assert.ok(errors.includes('/runs/0/results/0/level must be equal to one of the allowed values'), errors.join('\n'));
  assert.ok(errors.includes('/runs/0/results/0/locations/0/physicalLocation/region/startLine must be >= 1'), errors.join('\n'));
});

test('sarif names the tool and lists rule metadata: the report rules first, then rules only findings name', () => {
  const log = sarif(sampleReport());
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'accord');
  assert.equal(run.tool.driver.version, PACKAGE_VERSION);
  assert.equal(run.automationDetails.id, 'accord/check/');
  assert.deepEqual(run.tool.driver.rules, [
    {
      id: 'request-parameter-became-required',
      shortDescription: { text: 'A request parameter became required.' },
      defaultConfiguration: { level: 'error' },
      helpUri: 'https://example.org/rules/request-parameter-became-required',
    },
    { id: 'endpoint-deprecated', shortDescription: { text: 'An operation was marked deprecated.' }, defaultConfiguration: { level: 'note' } },
    { id: 'contract-version-edited-in-place', shortDescription: { text: 'A published contract version was edited in place.' }, defaultConfiguration: { level: 'error' } },
    { id: 'endpoint-added', shortDescription: { text: 'endpoint-added' }, defaultConfiguration: { level: 'note' } },
    { id: 'operation-description', shortDescription: { text: 'operation-description' }, defaultConfiguration: { level: 'warning' } },
    { id: 'response-property-enum-value-added', shortDescription: { text: 'response-property-enum-value-added' }, defaultConfiguration: { level: 'warning' } },
  ]);
});

const resultScenarios: Array<{ name: string; ruleId: string; expected: Record<string, unknown> }> = [
  {
    name: 'a breaking change: relative, percent-encoded URI, start line, operation and the base location',
    ruleId: 'request-parameter-became-required',
    expected: {
      ruleId: 'request-parameter-became-required',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'Query parameter "limit" became required' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'contracts/orders/2.0.0.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 14 } },
          logicalLocations: [{ fullyQualifiedName: 'GET /orders/{id}', kind: 'function' }],
        },
      ],
      relatedLocations: [
        {
          id: 1,
          physicalLocation: { artifactLocation: { uri: 'contracts/orders/1.0.0.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } },
          message: { text: 'In the base version' },
        },
      ],
      properties: { source: 'diff' },
    },
  },
  {
    name: 'a lint warning with a column',
    ruleId: 'operation-description',
    expected: {
      ruleId: 'operation-description',
      ruleIndex: 4,
      level: 'warning',
      message: { text: 'Operation "description" must be present: 50% of <ops> & more,\nsee docs*' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: 'contracts/users/1.1.0.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 5, startColumn: 7 } },
          logicalLocations: [{ fullyQualifiedName: 'GET /users', kind: 'function' }],
        },
      ],
      properties: { source: 'lint' },
    },
  },
  {
    name: 'a policy finding without a line falls back to line 1 of its file',
    ruleId: 'contract-version-edited-in-place',
    expected: {
      ruleId: 'contract-version-edited-in-place',
      ruleIndex: 2,
      level: 'error',
      message: { text: 'Published version 1.1.0 was edited in place; publish the change as a new version' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'contracts/users/1.1.0.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } }],
      properties: { source: 'policy' },
    },
  },
];

for (const scenario of resultScenarios) {
  test(`sarif result: ${scenario.name}`, () => {
    const results = sarif(sampleReport()).runs[0]!.results.filter((r) => r.ruleId === scenario.ruleId);
    assert.deepEqual(results, [scenario.expected]);
  });
}

test('sarif results come in file order, then line order', () => {
  const results = sarif(sampleReport()).runs[0]!.results;
  assert.deepEqual(
    results.map((r) => r.ruleId),
    ['endpoint-deprecated', 'request-parameter-became-required', 'response-property-enum-value-added', 'endpoint-added', 'operation-description', 'contract-version-edited-in-place'],
  );
});

test('sarif percent-encodes path segments and gives files outside the working directory as absolute file URIs', () => {
  const report: Report = {
    tool: 'lint',
    files: [`${CWD}/contracts/my api/{v1}.yaml`, '/elsewhere/x.yaml'],
    failThreshold: 'error',
    findings: [
      { id: 'r', severity: 'error', message: 'm', source: 'lint', location: { file: `${CWD}/contracts/my api/{v1}.yaml`, line: 2, pointer: '/info' } },
      { id: 'r', severity: 'error', message: 'm', source: 'lint', location: { file: '/elsewhere/x.yaml', line: 2, pointer: '/info' } },
    ],
  };
  const uris = sarif(report).runs[0]!.results.map(
    (r) => (r.locations as Array<{ physicalLocation: { artifactLocation: { uri: string } } }>)[0]!.physicalLocation.artifactLocation.uri,
  );
  assert.deepEqual(uris, ['contracts/my%20api/%7Bv1%7D.yaml', 'file:///elsewhere/x.yaml']);
  assert.deepEqual(schemaErrors(sarif(report)), []);
});

test('sarif links a base location at an older commit (git:REF:PATH) to the repository path and names the commit', () => {
  const report: Report = {
    tool: 'check',
    files: [ORDERS],
    failThreshold: 'error',
    findings: [
      {
        id: 'api-path-removed-without-deprecation',
        severity: 'error',
        message: 'api path removed without deprecation',
        source: 'diff',
        location: { file: ORDERS, line: 20, pointer: '/paths' },
        baseLocation: { file: 'git:0123456789ab:contracts/orders/2.0.0.yaml', line: 31, pointer: '/paths/~1gone' },
      },
    ],
  };
  const log = sarif(report);
  assert.deepEqual(log.runs[0]!.results[0]!.relatedLocations, [
    {
      id: 1,
      physicalLocation: { artifactLocation: { uri: 'contracts/orders/2.0.0.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 31 } },
      message: { text: 'In the base version (at 0123456789ab)' },
    },
  ]);
  assert.deepEqual(schemaErrors(log), []);
});

test('sarif of a report without findings has an empty results array (a clean run closes old alerts)', () => {
  const log = sarif({ tool: 'lint', files: [USERS], findings: [], failThreshold: 'error' });
  assert.deepEqual(log.runs[0]!.results, []);
  assert.deepEqual(log.runs[0]!.tool.driver.rules, []);
});
