/**
 * Bounded cost at parse: every reader (lint, diff, config validate, which is the gateway's load)
 * refuses a contract past the loader's limits with exit 2, the file and the cause, and quickly,
 * instead of running for minutes or dying with "Maximum call stack size exceeded".
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { aliasBomb, deepJson, deepYaml, refChain, refNesting } from '../support/hostile-contracts.js';

interface Hostile {
  name: string;
  file: string;
  text: string;
  /** The cause stderr must state, after the file name. */
  cause: RegExp;
}

const HOSTILE: Hostile[] = [
  { name: 'an alias bomb in an x- extension', file: 'bomb.yaml', text: aliasBomb(), cause: /bomb\.yaml: YAML aliases expand \d+ nodes to 4\.90e\+8, over the budget of 1000000/ },
  { name: 'YAML nested past the parser limit', file: 'deep.yaml', text: deepYaml(20_000), cause: /deep\.yaml:4: nesting deeper than 100 levels \(the parser's limit\)/ },
  { name: 'JSON nested past the parser limit', file: 'deep.json', text: deepJson(20_000), cause: /deep\.json:1: nesting deeper than 100 levels \(the parser's limit\)/ },
  {
    name: 'a chain of 10,000 $refs',
    file: 'chain.yaml',
    text: refChain(10_000),
    cause: /chain\.yaml:\d+ \(#\/components\/schemas\/S9000\): nesting with \$refs followed is deeper than 1000 levels here/,
  },
  {
    name: 'schemas nested 10,000 deep through $refs',
    file: 'nesting.yaml',
    text: refNesting(10_000),
    cause: /nesting\.yaml:\d+ \(#\/components\/schemas\/S\d+\/properties\/next\): nesting with \$refs followed is deeper than 1000 levels here/,
  },
];

describe('bounded cost at parse: hostile contracts are refused with exit 2, file and cause', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'accord-limits-'));
    for (const h of HOSTILE) {
      writeFileSync(join(dir, h.file), h.text);
      // A gateway configuration serving the contract, for `config validate`.
      const api = h.file.replace(/\W/g, '-');
      mkdirSync(join(dir, 'contracts', api), { recursive: true });
      writeFileSync(join(dir, 'contracts', api, `1.0.0.${h.file.endsWith('.json') ? 'json' : 'yaml'}`), h.text);
      mkdirSync(join(dir, `policies-${api}`));
      writeFileSync(
        join(dir, `policies-${api}`, 'gateway.yaml'),
        `version: 1\ncontractsDir: ../contracts\napis:\n  - id: ${api}\n    basePath: /${api}\n    versions:\n      - version: 1.0.0\n        upstream: http://127.0.0.1:1\n`,
      );
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const h of HOSTILE) {
    it(`lint refuses ${h.name}`, () => {
      const run = runCli(['lint', h.file], { cwd: dir });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`^accord: ${h.cause.source}`));
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
    });
    it(`diff refuses ${h.name}, as base and as revision`, () => {
      for (const args of [['diff', h.file, h.file], ['diff', join(import.meta.dirname, '..', '..', 'contracts', 'orders', '1.0.0.yaml'), h.file]]) {
        const run = runCli(args, { cwd: dir });
        assert.equal(run.status, 2, run.stdout + run.stderr);
        assert.match(run.stderr, new RegExp(`^accord: .*${h.cause.source}`));
      }
    });
    it(`config validate (the gateway's load) refuses ${h.name}`, () => {
      const api = h.file.replace(/\W/g, '-');
      const run = runCli(['config', 'validate', '--config', `policies-${api}`], { cwd: dir });
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`^accord: .*contracts/${api}/1\\.0\\.0\\.(yaml|json)`));
      assert.match(run.stderr, new RegExp(h.cause.source.replace(/^[a-z]+\\\.(yaml|json)/, '')));
    });
  }
});
