/** The `admin` config section: defaults, `owners` and `maxDocumentBytes`, errors located by pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load-config.js';
import { OwnerIndex } from '../../src/admin/owners.js';
import { configDir, configIssues } from '../support/config-dir.js';
import type { ConfigIssue } from '../../src/config/config-error.js';

const BASE = `version: 1
devIssuer:
  enabled: true
apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
        upstream: http://127.0.0.1:4011
`;

const issuesOf = (yaml: string): ConfigIssue[] => configIssues(yaml);

describe('admin config', () => {
  it('defaults to no owners and a 5 MiB document limit', () => {
    const loaded = loadConfig(configDir(BASE));
    assert.deepEqual(loaded.config.admin.owners, []);
    assert.equal(loaded.config.admin.maxDocumentBytes, 5 * 1024 * 1024);
  });

  it('accepts owners of a trusted provider', () => {
    const loaded = loadConfig(configDir(`${BASE}admin:\n  auth:\n    providers: [dev]\n  owners:\n    - api: orders\n      provider: dev\n      subjects: [orders-team, orders-ci]\n  maxDocumentBytes: 2097152\n`));
    assert.deepEqual(loaded.config.admin.owners, [{ api: 'orders', provider: 'dev', subjects: ['orders-team', 'orders-ci'] }]);
    assert.equal(loaded.config.admin.maxDocumentBytes, 2097152);
  });

  const cases: Array<{ name: string; yaml: string; expect: Array<{ pointer: string; line: number; message: RegExp }> }> = [
    {
      name: 'an owner of a provider the admin listener does not trust',
      yaml: `${BASE}admin:\n  auth:\n    providers: [dev]\n  owners:\n    - api: orders\n      provider: corp\n      subjects: [orders-team]\n`,
      expect: [{ pointer: '/admin/owners/0/provider', line: 15, message: /"corp" is not in admin\.auth\.providers \(dev\)/ }],
    },
    {
      name: 'an owner without subjects',
      yaml: `${BASE}admin:\n  owners:\n    - api: orders\n      provider: dev\n`,
      expect: [{ pointer: '/admin/owners/0/subjects', line: 12, message: /required property "subjects"/ }],
    },
    {
      name: 'an owner of an API id that cannot be one',
      yaml: `${BASE}admin:\n  auth:\n    providers: [dev]\n  owners:\n    - api: Orders_API\n      provider: dev\n      subjects: [a]\n`,
      expect: [{ pointer: '/admin/owners/0/api', line: 14, message: /must match pattern/ }],
    },
    {
      name: 'a document limit below 1 KiB',
      yaml: `${BASE}admin:\n  maxDocumentBytes: 10\n`,
      expect: [{ pointer: '/admin/maxDocumentBytes', line: 11, message: /must be >= 1024/ }],
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      const issues = issuesOf(c.yaml);
      assert.equal(issues.length, c.expect.length, JSON.stringify(issues));
      c.expect.forEach((e, i) => {
        assert.equal(issues[i]!.pointer, e.pointer);
        assert.equal(issues[i]!.line, e.line, JSON.stringify(issues[i]));
        assert.match(issues[i]!.message, e.message);
      });
    });
  }

  it('indexes owners by provider and subject', () => {
    const index = new OwnerIndex([
      { api: 'orders', provider: 'dev', subjects: ['team-a', 'ci'] },
      { api: 'payments', provider: 'dev', subjects: ['ci'] },
      { api: 'billing', provider: 'corp', subjects: ['team-a'] },
    ]);
    assert.deepEqual([...index.apisOf('dev', 'ci')].sort(), ['orders', 'payments']);
    assert.deepEqual([...index.apisOf('dev', 'team-a')], ['orders']);
    assert.deepEqual([...index.apisOf('corp', 'ci')], []);
  });
});
