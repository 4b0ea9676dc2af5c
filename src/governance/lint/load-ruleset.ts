/** Loads a Spectral ruleset file (the bundled default when none is given) and turns every failure into a located RulesetError. */
// First: Spectral's runner is to load the modern build of nimma (modern-nimma.ts).
import './modern-nimma.js';
import './native-aggregate-error.js';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ruleset, type RulesetDefinition } from '@stoplight/spectral-core';
// The runtime is CommonJS: its named exports are not visible to ESM, the default import is.
import spectralRuntime from '@stoplight/spectral-runtime';
import { defaultRulesetModulePath, defaultRulesetPath } from './default-ruleset.js';
import { guardRuleFunctions } from './guarded-rule-functions.js';
import { memoiseRuleFunctions } from './memoised-rule-functions.js';
import { locateInChain, readRulesetChain, type RulesetFile } from './ruleset-chain.js';
import { RulesetError } from './ruleset-error.js';

interface PathError {
  message: string;
  path: ReadonlyArray<string | number>;
}

function hasPath(error: unknown): error is PathError {
  return error instanceof Error && Array.isArray((error as Partial<PathError>).path);
}

/** The located errors Spectral throws: an AggregateError of validation errors, each with a path. */
function validationErrorsOf(error: unknown): PathError[] {
  if (error instanceof AggregateError) return error.errors.filter(hasPath);
  return hasPath(error) ? [error] : [];
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Maps whatever bundling or validating threw to a RulesetError naming the file, pointer and line. */
function toRulesetError(error: unknown, file: string, chain: RulesetFile[]): RulesetError {
  const located = validationErrorsOf(error);
  const first = located[0];
  if (first !== undefined) {
    const at = locateInChain(chain, file, first.path);
    const more = located.length > 1 ? ` (and ${located.length - 1} more)` : '';
    // Spectral says only "Function is not defined"; the name is what the user needs.
    const message = first.message === 'Function is not defined' && typeof at.value === 'string'
      ? `function ${at.value} is not defined (declare it under functions, or use a Spectral core function)`
      : firstLine(first.message);
    return new RulesetError('RULESET_INVALID', at.file, at.pointer, `${message}${more}`, at.line);
  }
  if (error instanceof ReferenceError) {
    // "Cannot extend non-existing rule: "name"": an override of a rule no extended ruleset defines.
    const name = /rule: "(.*)"$/.exec(error.message)?.[1];
    if (name !== undefined) {
      const at = locateInChain(chain, file, ['rules', name]);
      return new RulesetError('RULESET_INVALID', at.file, at.pointer, `rule ${name} is not defined by this ruleset or any it extends`, at.line);
    }
  }
  if (error instanceof Error) {
    // Rollup reports a broken function file with its location.
    const loc = (error as Error & { loc?: { file?: string; line?: number } }).loc;
    if (loc?.file) return new RulesetError('RULESET_INVALID', loc.file, '', firstLine(error.message), loc.line);
    return new RulesetError('RULESET_INVALID', file, '', firstLine(error.message));
  }
  return new RulesetError('RULESET_INVALID', file, '', String(error));
}

/**
 * The bundled ruleset, `rulesets/accord.yaml`, from the module generated from it
 * (rulesets/accord-default.js, what Spectral's migrator makes of the YAML): built as
 * bundleAndLoadRuleset builds it (recommended severities, accord.yaml as its source), without
 * bundling.
 */
async function loadDefaultRuleset(): Promise<Ruleset> {
  const module = (await import(pathToFileURL(defaultRulesetModulePath()).href)) as { default: RulesetDefinition };
  const ruleset = withoutSchemaValidation(() => new Ruleset(module.default, { severity: 'recommended', source: defaultRulesetPath() }));
  memoiseRuleFunctions(ruleset);
  guardRuleFunctions(ruleset);
  return ruleset;
}

/** The part of spectral-core's validation/assertions module replaced here. */
interface RulesetAssertions {
  assertValidRuleset: (...args: unknown[]) => void;
}

/**
 * Runs `build` with Spectral's ruleset schema validation (assertValidRuleset) switched off. Only
 * for the bundled default ruleset: before validating its first ruleset Spectral compiles the
 * ruleset JSON schema with Ajv (~0.2-0.4 s of every lint), and this ruleset is generated and
 * known valid (test/unit/lint-default-ruleset.test.ts validates it, and compares it with what
 * bundling accord.yaml gives, validation included). The validation is a pure check (no defaults
 * filled in). The module is spectral-core's own file, which its Ruleset calls through at each
 * call; when it is not where expected the ruleset is built with validation, as before.
 */
function withoutSchemaValidation<T>(build: () => T): T {
  let assertions: RulesetAssertions | undefined;
  try {
    const require = createRequire(import.meta.url);
    const candidate = require(join(dirname(require.resolve('@stoplight/spectral-core')), 'ruleset', 'validation', 'assertions.js')) as Partial<RulesetAssertions>;
    if (typeof candidate.assertValidRuleset === 'function') assertions = candidate as RulesetAssertions;
  } catch {
    assertions = undefined;
  }
  if (assertions === undefined) return build();
  const assert = assertions.assertValidRuleset;
  assertions.assertValidRuleset = () => undefined;
  try {
    return build();
  } finally {
    assertions.assertValidRuleset = assert;
  }
}

/**
 * Loads a ruleset: `path` (YAML, JSON or JavaScript, relative to the working directory), or the
 * bundled `rulesets/accord.yaml`. Custom function options are validated against their schemas
 * here. spectral:oas's example and enum checks are memoised per document (memoised-rule-functions.ts),
 * and every rule function is guarded: one that throws is reported, not fatal (guarded-rule-functions.ts).
 * Throws RulesetError with the file, pointer and line of the first problem.
 */
export async function loadRuleset(path?: string): Promise<Ruleset> {
  if (path === undefined) return loadDefaultRuleset();
  const file = resolve(path);
  try {
    const chain = readRulesetChain(file);
    try {
      // The bundler (with Rollup) loads only for a ruleset file: a third of a second.
      const { bundleAndLoadRuleset } = await import('@stoplight/spectral-ruleset-bundler/with-loader');
      const ruleset = await bundleAndLoadRuleset(file, { fs, fetch: spectralRuntime.fetch });
      memoiseRuleFunctions(ruleset);
      guardRuleFunctions(ruleset);
      return ruleset;
    } catch (error) {
      throw toRulesetError(error, file, chain);
    }
  } catch (error) {
    // Name the user's own file as they typed it; files it extends keep their absolute paths.
    if (error instanceof RulesetError && path !== undefined && error.file === file && path !== file) {
      throw new RulesetError(error.code, path, error.pointer, error.message, error.line);
    }
    throw error;
  }
}
