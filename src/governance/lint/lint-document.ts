/** Lints one OpenAPI document with a loaded ruleset and returns Findings. */
// First: Spectral's runner is to load the modern build of nimma (modern-nimma.ts).
import './modern-nimma.js';
import './native-aggregate-error.js';
// Spectral's schema function compiles each distinct schema once per run (compiled-validator-cache.ts).
import './compiled-validator-cache.js';
import { Document, Spectral, type Ruleset } from '@stoplight/spectral-core';
// CommonJS: the default import carries the parsers (named imports are not visible to ESM).
import Parsers from '@stoplight/spectral-parsers';
import { findDuplicateKey } from '../../contracts/compile/json-duplicate-keys.js';
import type { Finding } from '../findings.js';
import { houseRun } from './house-rules.js';
import { loadForLint, type LintInput } from './load-for-lint.js';
import { createLocalRefResolver } from './local-ref-resolver.js';
import { collectingRuleFailures } from './guarded-rule-functions.js';
import { findingOf, findingsOfFailures } from './spectral-findings.js';

// Loading is its own module, without Spectral: a command can start parsing before Spectral loads.
export { loadForLint, loadForLintInBackground, type LintInput } from './load-for-lint.js';

type SpectralOptions = NonNullable<ConstructorParameters<typeof Spectral>[0]>;
type SpectralParser = typeof Parsers.Yaml | typeof Parsers.Json;
type SpectralParse = ReturnType<SpectralParser['parse']>;
type SpectralPath = Parameters<SpectralParser['getLocationForJsonPath']>[1];

/**
 * The document as Spectral reads it, named by its absolute path: the data the shared loader
 * already parsed, with Spectral's own parse of the text made only when a finding needs a
 * location (Spectral's ParsedDocument input). Parsing a 5 MB contract a second time costs
 * ~0.6 s, and a contract without findings never needs it. Locations come from Spectral's parser
 * as before, so lines and columns stay what they were.
 *
 * The loader's data is what Spectral's parser would produce, with two exceptions handled by
 * giving Spectral the text to parse itself, as before: a JSON text with a repeated member name
 * (JSON.parse keeps the last silently, Spectral reports it), and a JSON text that is not strict
 * JSON (the loader read it as YAML).
 */
function spectralDocument(input: LintInput): Parameters<Spectral['run']>[0] {
  const { text, format, data } = input.document.source;
  const parser: SpectralParser = format === 'json' ? Parsers.Json : Parsers.Yaml;
  if (format === 'json' && findDuplicateKey(Buffer.from(text)) !== undefined) return new Document(text, Parsers.Json, input.path);
  let parsed: SpectralParse | undefined;
  return {
    parsed: { data, diagnostics: [] },
    source: input.path,
    getLocationForJsonPath: (_parsed: unknown, path: SpectralPath, closest?: boolean) => {
      parsed ??= parser.parse(text);
      // Called exactly as Spectral's Document calls it (the YAML wrapper ignores `closest`).
      return (parser.getLocationForJsonPath as (result: SpectralParse, path: SpectralPath, closest?: boolean) => ReturnType<SpectralParser['getLocationForJsonPath']>)(parsed, path, closest);
    },
  } as unknown as Parameters<Spectral['run']>[0];
}

/**
 * Lints a contract (a file name, or what loadForLint returned) with `ruleset`. Throws SourceError
 * when the file cannot be read or parsed and ContractError when it is not a usable OpenAPI
 * 3.0/3.1 document; everything else comes back as findings, in Spectral's order, followed by a
 * `lint-rule-failed` finding for each rule that stopped with an error on a value.
 */
export async function lintDocument(ruleset: Ruleset, contract: string | LintInput, text?: string): Promise<Finding[]> {
  const input = typeof contract === 'string' ? loadForLint(contract, text) : contract;
  // Local references are resolved from the loader's data (local-ref-resolver.ts); documents that
  // reference other files or URLs go to Spectral's own resolver.
  const spectral = new Spectral({ resolver: createLocalRefResolver() as unknown as SpectralOptions['resolver'] });
  // Spectral runs spectral:oas and the user's rules; the house rules run in one pass of their own
  // over the document Spectral resolved (house-rules.ts), with results merged as Spectral's.
  const run = houseRun(ruleset);
  spectral.setRuleset(run.spectral);
  // A rule function that throws is reported, not fatal (guarded-rule-functions.ts).
  const { value: results, failures } = await collectingRuleFailures(async () => run.complete(await spectral.run(spectralDocument(input))));
  const findings = results.map((result) => findingOf(result, input.path));
  if (failures.length === 0) return findings;
  const { source } = input.document;
  return [...findings, ...findingsOfFailures(failures, input.path, (pointer) => source.lineOf(pointer))];
}
