/** Renders rulesets/accord-default.js: rulesets/accord.yaml as the JavaScript module Spectral's migrator makes of it, with imports relative to the module. */
import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { migrateRuleset } from '@stoplight/spectral-ruleset-migrator';
import { defaultRulesetPath } from '../../src/governance/lint/default-ruleset.js';

const HEADER = `// GENERATED FILE, DO NOT EDIT. Source: rulesets/accord.yaml, migrated by Spectral's ruleset migrator.
// Regenerate: npm run docs:rules (test/unit/lint-default-ruleset.test.ts fails when this file is out of date).
//
// \`accord lint\` and \`accord check\` load the default ruleset from this module, so that they need not
// bundle accord.yaml with Rollup on every run (a third of a second before any contract is read).
// A ruleset of your own extends accord.yaml, as before.
`;

/*
 * The migrator imports spectral:oas from the package's index, which loads the AsyncAPI and Arazzo
 * rulesets too (their JSON schemas and functions: ~0.2 s of every lint). The OpenAPI ruleset's
 * own module is the same object (the index re-exports it), so the module imports only that.
 */
const OAS_IMPORT = 'import {oas} from "@stoplight/spectral-rulesets";';
const OAS_ONLY_IMPORT = 'import oasModule from "@stoplight/spectral-rulesets/dist/oas/index.js";\nconst oas = oasModule.default;';

/** The module text: the migrator's ESM output for accord.yaml, its absolute imports of files beside accord.yaml made relative. */
export async function renderDefaultRulesetModule(): Promise<string> {
  const source = defaultRulesetPath();
  const code = await migrateRuleset(source, { fs: fs as never, format: 'esm' });
  const folder = `${dirname(source)}/`;
  const relative = code.split(`from "${folder}`).join('from "./');
  const oasOnly = relative.split(OAS_IMPORT).join(OAS_ONLY_IMPORT);
  if (oasOnly === relative) throw new Error(`the migrator no longer writes ${OAS_IMPORT}: update OAS_IMPORT`);
  return `${HEADER}${oasOnly.endsWith('\n') ? oasOnly : `${oasOnly}\n`}`;
}

/** Where the module lives. */
export const DEFAULT_RULESET_MODULE = join(dirname(defaultRulesetPath()), 'accord-default.js');
