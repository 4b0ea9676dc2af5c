/** Plans and rate-limit configuration errors (config file and the contract's x-accord-rate-limit), located by file, pointer and line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { ContractError } from '../../src/contracts/openapi-document.js';
import { buildRouteTable } from '../../src/gateway/pipeline/build-routes.js';
import { createLogger } from '../../src/observability/logger.js';
import { configDir as writeConfigDir, configIssues } from '../support/config-dir.js';

const CONTRACT = `openapi: 3.1.0
info: {title: t, version: 1.0.0}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200': {description: ok}
`;

const API = `apis:
  - id: orders
    basePath: /orders
    versions:
      - version: 1.0.0
        upstream: http://127.0.0.1:4011
`;

const configDir = (yaml: string, contract = CONTRACT): string => writeConfigDir(yaml, contract);
const issuesOf = (yaml: string): Array<{ pointer: string; line: number | undefined; message: string }> => configIssues(yaml, CONTRACT).map(({ pointer, line, message }) => ({ pointer, line, message }));

describe('plans configuration', () => {
  it('accepts plans, a consumer naming one, and overrides, with defaults applied', () => {
    const loaded = loadConfig(
      configDir(`version: 1
plans:
  - id: gold
    rate: {limit: 100, per: minute}
    quota: {limit: 10000, per: day, timeZone: Europe/Paris}
consumers:
  - id: acme
    plan: gold
${API}    rateLimit:
      plans:
        gold: {quota: {limit: 5, per: month}}
      operations:
        listItems: {rate: {limit: 1, per: second, burst: 2}}
`),
    );
    const plan = loaded.config.plans[0]!;
    assert.deepEqual(plan, { id: 'gold', rate: { limit: 100, per: 'minute', burst: 0, burstPer: 'minute' }, quota: { limit: 10000, per: 'day', timeZone: 'Europe/Paris' }, sharedAcrossApis: false });
    assert.deepEqual(loaded.config.apis[0]!.rateLimit!.plans!.gold!.quota, { limit: 5, per: 'month', timeZone: 'UTC' });
    assert.equal(loaded.config.consumers[0]!.plan, 'gold');
  });

  const cases: Array<{ name: string; yaml: string; expect: Array<{ pointer: string; line: number; message: RegExp }> }> = [
    {
      name: 'a consumer naming an unknown plan',
      yaml: `version: 1\nplans:\n  - id: gold\nconsumers:\n  - id: acme\n    plan: platinum\n${API}`,
      expect: [{ pointer: '/consumers/0/plan', line: 6, message: /^unknown plan "platinum" \(declared: gold\)$/ }],
    },
    {
      name: 'a plan with an unknown time zone',
      yaml: `version: 1\nplans:\n  - id: gold\n    quota:\n      limit: 10\n      per: day\n      timeZone: Europe/Atlantis\n${API}`,
      expect: [{ pointer: '/plans/0/quota/timeZone', line: 7, message: /^unknown time zone "Europe\/Atlantis"/ }],
    },
    {
      name: 'two plans with one id',
      yaml: `version: 1\nplans:\n  - id: gold\n  - id: gold\n${API}`,
      expect: [{ pointer: '/plans/1/id', line: 4, message: /^duplicate plan id "gold" \(also plans\/0\)$/ }],
    },
    {
      name: 'an API overriding a plan that does not exist, and an operation quota in an unknown zone',
      yaml: `version: 1\n${API}    rateLimit:\n      plans:\n        silver: {rate: {limit: 1, per: second}}\n      operations:\n        listItems:\n          quota: {limit: 1, per: day, timeZone: Mars/Olympus}\n`,
      expect: [
        { pointer: '/apis/0/rateLimit/plans/silver', line: 10, message: /^unknown plan "silver" \(declared: none\)$/ },
        { pointer: '/apis/0/rateLimit/operations/listItems/quota/timeZone', line: 13, message: /^unknown time zone "Mars\/Olympus"/ },
      ],
    },
    {
      name: 'a rate per hour (rates are per second or minute)',
      yaml: `version: 1\nplans:\n  - id: gold\n    rate: {limit: 10, per: hour}\n${API}`,
      expect: [{ pointer: '/plans/0/rate/per', line: 4, message: /^must be one of "second", "minute"$/ }],
    },
    {
      name: 'points without windowSeconds',
      yaml: `version: 1\n${API}    rateLimit:\n      points: 10\n`,
      expect: [{ pointer: '/apis/0/rateLimit', line: 8, message: /windowSeconds/ }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const issues = issuesOf(c.yaml);
      assert.equal(issues.length, c.expect.length, JSON.stringify(issues));
      c.expect.forEach((e, i) => {
        assert.equal(issues[i]!.pointer, e.pointer);
        assert.equal(issues[i]!.line, e.line, `line of ${e.pointer}`);
        assert.match(issues[i]!.message, e.message);
      });
    });
  }
});

describe('x-accord-rate-limit in the contract', () => {
  const withExtension = (extension: string): string => CONTRACT.replace("      operationId: listItems\n", `      operationId: listItems\n      x-accord-rate-limit:\n${extension}`);
  const build = (extension: string): void => {
    const loaded = loadConfig(configDir(`version: 1\nplans:\n  - id: gold\n${API}`, withExtension(extension)));
    buildRouteTable(loaded, { logger: createLogger({ level: 'silent' }), authenticator: undefined, dryRun: true }).close();
  };
  const cases: Array<{ name: string; extension: string; pointer: string; line: number; message: string }> = [
    { name: 'a misspelt property', extension: '        rate: {limit: 5, per: minute}\n        qouta: {limit: 5, per: day}\n', pointer: '/paths/~1items/get/x-accord-rate-limit/qouta', line: 9, message: 'x-accord-rate-limit: unknown property "qouta"' },
    { name: 'a limit that is not an integer', extension: '        rate:\n          limit: many\n          per: minute\n', pointer: '/paths/~1items/get/x-accord-rate-limit/rate/limit', line: 9, message: 'x-accord-rate-limit: must be integer' },
    { name: 'an unknown time zone', extension: '        quota:\n          limit: 5\n          per: month\n          timeZone: Nowhere/City\n', pointer: '/paths/~1items/get/x-accord-rate-limit/quota/timeZone', line: 11, message: 'x-accord-rate-limit: unknown time zone "Nowhere/City" (an IANA name such as Europe/Paris, or UTC)' },
    { name: 'an override of an undeclared plan', extension: '        plans:\n          bronze: {rate: {limit: 1, per: second}}\n', pointer: '/paths/~1items/get/x-accord-rate-limit/plans/bronze', line: 9, message: 'x-accord-rate-limit: unknown plan "bronze" (declared: gold)' },
    { name: 'not a mapping', extension: '        - 5\n', pointer: '/paths/~1items/get/x-accord-rate-limit', line: 7, message: 'x-accord-rate-limit: must be object' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(
        () => build(c.extension),
        (error: unknown) => {
          assert.ok(error instanceof ContractError, String(error));
          assert.equal(error.code, 'CONTRACT_INVALID');
          assert.ok(error.file.endsWith(join('contracts', 'orders', '1.0.0.yaml')), error.file);
          assert.deepEqual({ pointer: error.pointer, line: error.line, message: error.message }, { pointer: c.pointer, line: c.line, message: c.message });
          return true;
        },
      );
    });
  }

  it('without limits anywhere (plans declared but no consumer names one), the policy adds no step', () => {
    const loaded = loadConfig(configDir(`version: 1\nplans:\n  - id: gold\n    rate: {limit: 1, per: second}\n${API}`));
    const table = buildRouteTable(loaded, { logger: createLogger({ level: 'silent' }), authenticator: undefined, dryRun: true });
    const found = table.served[0]!.operations.match('GET', ['items'], ['items'], 0);
    table.close();
    assert.deepEqual(found.route.policies, ['request-validation']);
  });

  it('a valid extension builds, and the operation gets the rate-limit step', () => {
    const loaded = loadConfig(configDir(`version: 1\n${API}`, withExtension('        rate: {limit: 5, per: minute}\n')));
    const table = buildRouteTable(loaded, { logger: createLogger({ level: 'silent' }), authenticator: undefined, dryRun: true });
    const found = table.served[0]!.operations.match('GET', ['items'], ['items'], 0);
    table.close();
    assert.deepEqual(found.route.policies, ['rate-limit', 'request-validation']);
  });
});
