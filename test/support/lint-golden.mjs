// Lints every lint fixture document and the real contracts (Stripe's, the OpenAPI Initiative's)
// with the bundled ruleset, and every lint fixture document with each user ruleset that extends,
// re-levels, switches off or redefines house rules, and prints (or writes) the findings, so that a
// change to how lint runs can be proven to leave them identical
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
const REAL = join(ROOT, 'test', 'integration', 'fixtures', 'real');
export const GOLDEN = join(FIXTURES, 'golden-findings.json');

/** User rulesets (under the fixtures' rulesets folder) each lint fixture document is also linted with. */
const USER_RULESETS = ['overrides.yaml', 'custom-options.yaml', 'version-forms.yaml'];

/** YAML/JSON files under `dir`, except rulesets, referenced parts and the golden file. */
function documentsUnder(dir) {
  const out = [];
  const walk = (at) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'rulesets' && name !== 'parts') walk(path);
      } else if (/\.(ya?ml|json)$/.test(name) && name !== 'golden-findings.json') out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** Every lint fixture document, then every real contract. */
export function fixtureDocuments() {
  return [...documentsUnder(FIXTURES), ...documentsUnder(REAL)];
}

function findingsOf(findings) {
  return findings.map((f) => ({
    id: f.id,
    severity: f.severity,
    message: f.message,
    file: relative(FIXTURES, f.location.file).split('\\').join('/'),
    line: f.location.line,
    column: f.location.column,
    pointer: f.location.pointer,
    ...(f.operation === undefined ? {} : { operation: f.operation }),
  }));
}

async function lintAll(lint, ruleset, files, prefix, results) {
  for (const file of files) {
    const key = `${prefix}${relative(FIXTURES, file).split('\\').join('/')}`;
    try {
      results[key] = findingsOf(await lint.lintDocument(ruleset, file));
    } catch (error) {
      results[key] = { refused: error.name, code: error.code };
    }
  }
}

/**
 * The findings (or the refusal) of every fixture document with the bundled ruleset, keyed by its
 * path relative to the lint fixtures folder, and of every lint fixture document with each user
 * ruleset, keyed `rulesets/NAME | PATH`.
 */
export async function lintFixtures(dist = join(ROOT, 'dist')) {
  const lint = await import(pathToFileURL(join(dist, 'governance', 'lint', 'index.js')).href);
  const results = {};
  await lintAll(lint, await lint.loadRuleset(), fixtureDocuments(), '', results);
  for (const name of USER_RULESETS) {
    const ruleset = await lint.loadRuleset(join(FIXTURES, 'rulesets', name));
    await lintAll(lint, ruleset, documentsUnder(FIXTURES), `rulesets/${name} | `, results);
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
