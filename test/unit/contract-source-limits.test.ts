/** The contract loader's limits: what passes just inside them, what is refused just outside, with code, file and cause. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadOpenApi } from '../../src/contracts/openapi-document.js';
import { MAX_RESOLVED_DEPTH } from '../../src/contracts/reference-bounds.js';
import { MAX_NESTING, parseSource, SourceError } from '../../src/contracts/source.js';
import { aliasBomb, deepJson, deepYaml, refChain } from '../support/hostile-contracts.js';

/** The error `run` throws, as {name, code, message}; undefined when it throws nothing. */
function refusal(run: () => unknown): { name: string; code: string; message: string } | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    const e = error as Error & { code: string };
    return { name: e.name, code: e.code, message: e.message };
  }
}

const load = (text: string, file = 'contract.yaml') => () => loadOpenApi(file, { text, reader: () => text });

/** A contract whose 20 operations share one anchored error response through aliases: ordinary use. */
function sharedAnchors(): string {
  let text = 'openapi: 3.0.3\ninfo: {title: anchors, version: 1.0.0}\nx-errors: &errors\n  "404": {description: not found}\n  "500": {description: failed}\npaths:\n';
  for (let i = 0; i < 20; i++) text += `  /r${i}:\n    get:\n      responses:\n        <<: *errors\n        "200": {description: ok}\n`;
  return text;
}

describe('contract loader limits', () => {
  const scenarios: Array<{ name: string; run: () => unknown; refused?: { name: string; code: string; message: RegExp } }> = [
    { name: `YAML nested ${MAX_NESTING - 4} deep inside the document passes`, run: load(deepYaml(MAX_NESTING - 4)) },
    { name: 'YAML nested 101 levels is refused', run: load(deepYaml(MAX_NESTING)), refused: { name: 'SourceError', code: 'SOURCE_TOO_COMPLEX', message: /^nesting deeper than 100 levels \(the parser's limit\)$/ } },
    { name: `JSON nested ${MAX_NESTING - 1} deep inside the document passes`, run: load(deepJson(MAX_NESTING - 1), 'contract.json') },
    { name: 'JSON nested 101 levels is refused', run: load(deepJson(MAX_NESTING), 'contract.json'), refused: { name: 'SourceError', code: 'SOURCE_TOO_COMPLEX', message: /^nesting deeper than 100 levels \(the parser's limit\)$/ } },
    { name: 'anchors and merge keys shared by 20 operations pass', run: load(sharedAnchors()) },
    { name: 'an alias bomb is refused', run: load(aliasBomb()), refused: { name: 'SourceError', code: 'SOURCE_TOO_COMPLEX', message: /^YAML aliases expand \d+ nodes to 4\.90e\+8, over the budget of 1000000/ } },
    { name: 'a chain of 900 $refs passes', run: load(refChain(900)) },
    {
      name: `a chain of ${MAX_RESOLVED_DEPTH + 100} $refs is refused`,
      run: load(refChain(MAX_RESOLVED_DEPTH + 100)),
      refused: { name: 'ContractError', code: 'CONTRACT_TOO_COMPLEX', message: /^nesting with \$refs followed is deeper than 1000 levels here/ },
    },
    {
      name: 'a recursive schema (a $ref cycle) passes',
      run: load('openapi: 3.0.3\ninfo: {title: tree, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: "#/components/schemas/Node"}}\n'),
    },
  ];
  for (const s of scenarios) {
    it(s.name, () => {
      const got = refusal(s.run);
      if (s.refused === undefined) {
        assert.equal(got, undefined);
        return;
      }
      assert.ok(got, 'refused');
      assert.equal(got.name, s.refused.name);
      assert.equal(got.code, s.refused.code);
      assert.match(got.message, s.refused.message);
    });
  }

  // S{n-1000} is the first schema of the chain with more than 1000 levels below it; past twice
  // the bound the chain is also too long for the quick recursive check, and the located walk names it.
  const chains = [
    { length: MAX_RESOLVED_DEPTH + 100, pointer: '/components/schemas/S100', line: 115 },
    { length: 5 * MAX_RESOLVED_DEPTH, pointer: '/components/schemas/S4000', line: 4015 },
  ];
  for (const c of chains) {
    it(`a chain of ${c.length} $refs is refused at ${c.pointer}, line ${c.line}`, () => {
      try {
        load(refChain(c.length))();
        assert.fail('not refused');
      } catch (error) {
        const e = error as Error & { code?: string; pointer?: string; line?: number; file?: string };
        assert.deepEqual({ code: e.code, file: e.file, pointer: e.pointer, line: e.line }, { code: 'CONTRACT_TOO_COMPLEX', file: 'contract.yaml', pointer: c.pointer, line: c.line });
      }
    });
  }

  it('a refusal names the file and the line where the nesting passes the limit', () => {
    try {
      parseSource(deepYaml(MAX_NESTING), 'deep.yaml');
      assert.fail('not refused');
    } catch (error) {
      assert.ok(error instanceof SourceError);
      assert.equal(error.describe(), "deep.yaml:4: nesting deeper than 100 levels (the parser's limit)");
    }
  });
});
