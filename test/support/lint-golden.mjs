// Lints every lint fixture document with the bundled ruleset and prints (or writes) the findings,
// so that a change to how lint runs can be proven to leave them identical
// (test/unit/lint-golden.test.ts compares them with test/unit/fixtures/lint/golden-findings.json).
//
//   node test/support/lint-golden.mjs [--dist DIR] [--write]
//
// --dist: the build to lint with (default dist/ of this project); --write: rewrite the golden file.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'unit', 'fixtures', 'lint');
export const GOLDEN = join(FIXTURES, 'golden-findings.json');

/** Every fixture document: YAML/JSON files under the fixtures folder, except rulesets and referenced parts. */
export function fixtureDocuments() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'rulesets' && name !== 'parts') walk(path);
      } else if (/\.(ya?ml|json)$/.test(name) && name !== 'golden-findings.json') out.push(path);
    }
  };
  walk(FIXTURES);
  return out;
}

/** The findings (or the refusal) of every fixture document, keyed by its path under the fixtures folder. */
export async function lintFixtures(dist = join(ROOT, 'dist')) {
  const lint = await import(pathToFileURL(join(dist, 'governance', 'lint', 'index.js')).href);
  const ruleset = await lint.loadRuleset();
  const results = {};
  for (const file of fixtureDocuments()) {
    const key = relative(FIXTURES, file).split('\\').join('/');
    try {
      const findings = await lint.lintDocument(ruleset, file);
      results[key] = findings.map((f) => ({
        id: f.id,
        severity: f.severity,
        message: f.message,
        file: relative(FIXTURES, f.location.file).split('\\').join('/'),
        line: f.location.line,
        column: f.location.column,
        pointer: f.location.pointer,
        ...(f.operation === undefined ? {} : { operation: f.operation }),
      }));
    } catch (error) {
      results[key] = { refused: error.name, code: error.code };
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const distAt = args.indexOf('--dist');
  const results = await lintFixtures(distAt >= 0 ? resolve(args[distAt + 1]) : undefined);
  const text = `${JSON.stringify(results, null, 1)}\n`;
  if (args.includes('--write')) {
    writeFileSync(GOLDEN, text);
    process.stdout.write(`wrote ${GOLDEN}\n`);
  } else process.stdout.write(text);
}
