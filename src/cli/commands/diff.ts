/** `accord diff BASE REVISION`: breaking changes between two versions of a contract, from files or git. */
import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';
import type { Command } from 'commander';
import { loadOpenApi, type OpenApiDocument } from '../../contracts/openapi-document.js';
import { isAtLeast, type Finding, type Severity } from '../../governance/findings.js';
import { DEFAULT_LIMITS, DiffBudget, DiffBudgetExceeded, diffContracts } from '../../governance/diff/index.js';
import { gitBlobReader } from '../../governance/check/git-repository.js';
import { loadOpenApiInBackground } from '../../governance/load-in-background.js';
import type { Ruleset } from '../../governance/lint/index.js';
import { severityOf } from '../../governance/lint/spectral-findings.js';
import { RulesetError } from '../../governance/lint/ruleset-error.js';
import { CHECKS } from '../../governance/rules/index.js';
import { FORMATS, isFormat, renderFindings } from '../formatters/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.js';

const GIT_PREFIX = 'git:';
const FAIL_ON = ['error', 'warn'] as const;

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/**
 * Loads `git:REF:PATH` from the current repository. PATH is taken relative to the working
 * directory (as a user types it); relative `$ref`s resolve inside the same tree at the same REF.
 */
function loadFromGit(spec: string): OpenApiDocument {
  const rest = spec.slice(GIT_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) throw new UsageError(`${spec}: expected git:REF:PATH`);
  const ref = rest.slice(0, colon);
  const path = rest.slice(colon + 1);
  let prefix: string;
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    prefix = git(['rev-parse', '--show-prefix']).trim();
  } catch {
    throw new UsageError(`${spec}: '${ref}' is not a commit in this git repository`);
  }
  const inTree = (file: string): string => file.slice(GIT_PREFIX.length + ref.length + 1);
  const name = `${GIT_PREFIX}${ref}:${posix.normalize(posix.join(prefix, path))}`;
  return loadOpenApi(name, {
    reader: ((read) => (file: string) => read(inTree(file)))(gitBlobReader(process.cwd(), ref)),
    joinPath: (from, target) => `${GIT_PREFIX}${ref}:${posix.normalize(posix.join(posix.dirname(inTree(from)), decodeURIComponent(target)))}`,
  });
}

function load(spec: string): OpenApiDocument {
  return spec.startsWith(GIT_PREFIX) ? loadFromGit(spec) : loadOpenApi(spec);
}

interface DiffFlags {
  format: string;
  failOn: string;
  ruleset?: string;
  expand: boolean;
  flatten: boolean;
  maxNodes: string;
  timeout: string;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got '${value}'`);
  return n;
}

/** Registers `diff`. */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('report changes between two versions of an OpenAPI contract (exit 1 when a change at or above --fail-on is found)')
    .argument('<base>', 'the earlier version: a file, or git:REF:PATH')
    .argument('<revision>', 'the later version: a file, or git:REF:PATH')
    .option('--format <format>', `output format (${FORMATS.join(', ')})`, 'text')
    .option('--fail-on <severity>', 'lowest severity that fails: error (breaking) or warn (possibly breaking)', 'error')
    .option('--ruleset <file>', 'Spectral ruleset whose rules switch diff checks off or re-level them (e.g. rulesets/oasdiff-levels.yaml)')
    .option('--expand', 'report a change of a shared schema once per operation and place that reaches it, instead of once with the list it affects', false)
    .option('--no-flatten', 'compare schemas as written: no merging of allOf, unwrapping of one-member compositions or enum/oneOf equivalence')
    .option('--max-nodes <n>', 'stop with exit 2 after visiting this many schema nodes', String(DEFAULT_LIMITS.maxNodes))
    .option('--timeout <seconds>', 'stop with exit 2 after this many seconds of comparing', String(DEFAULT_LIMITS.timeoutMs / 1000))
    .action(async (baseSpec: string, revisionSpec: string, opts: DiffFlags) => {
      if (!isFormat(opts.format)) throw new UsageError(`unknown --format '${opts.format}' (one of ${FORMATS.join(', ')})`);
      if (!(FAIL_ON as readonly string[]).includes(opts.failOn)) throw new UsageError(`unknown --fail-on '${opts.failOn}' (one of ${FAIL_ON.join(', ')})`);
      const failOn = opts.failOn as Severity;
      const budget = new DiffBudget({ maxNodes: positive('--max-nodes', opts.maxNodes), timeoutMs: positive('--timeout', opts.timeout) * 1000 });
      let ruleset: Ruleset | undefined;
      // Spectral (and its bundler) load only for a ruleset: they cost ~0.6 s of startup, a
      // third of a large diff, and without a ruleset every check keeps its own severity.
      const rulesets = opts.ruleset === undefined ? undefined : await import('../../governance/lint/ruleset-for-diff.js');
      try {
        ruleset = opts.ruleset === undefined || rulesets === undefined ? undefined : await rulesets.loadRuleset(opts.ruleset);
      } catch (error) {
        if (error instanceof RulesetError) throw new UsageError(error.describe());
        throw error;
      }
      // A large revision file parses on a second thread while the base loads here; a problem with
      // the base is still reported first.
      const revisionSoon = revisionSpec.startsWith(GIT_PREFIX) ? undefined : loadOpenApiInBackground(revisionSpec);
      const base = load(baseSpec);
      const revision = revisionSoon === undefined ? load(revisionSpec) : await revisionSoon;
      let findings: Finding[];
      try {
        findings = diffContracts(base, revision, { budget, expand: opts.expand, flatten: opts.flatten });
      } catch (error) {
        if (error instanceof DiffBudgetExceeded) throw new UsageError(error.message);
        throw error;
      }
      if (ruleset && rulesets) findings = rulesets.applyRulesetToDiff(ruleset, findings);
      // Formats that describe their rules (SARIF, JUnit) get the checks that fired, not all ~1,000.
      const fired = new Set(findings.map((f) => f.id));
      // A ruleset's level is the check's level (`breaking` follows it: oasdiff-levels makes security additions info).
      const levelOf = (id: string, fallback: Severity): Severity => {
        const rule = ruleset && Object.prototype.hasOwnProperty.call(ruleset.rules, id) ? ruleset.rules[id] : undefined;
        return rule ? severityOf(rule.severity) : fallback;
      };
      const rules = CHECKS.filter((c) => fired.has(c.id)).map((c) => ({ id: c.id, severity: levelOf(c.id, c.severity), description: c.description }));
      process.stdout.write(renderFindings({ tool: 'diff', findings, files: [revision.file, base.file], failThreshold: failOn, rules }, opts.format));
      process.exitCode = findings.some((f) => isAtLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_OK;
    });
}
