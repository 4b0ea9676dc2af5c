/** `accord lint SPEC`: Spectral lint of one OpenAPI document with the house ruleset or a user's. */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { isAtLeast, SEVERITIES, type Severity } from '../../governance/findings.js';
// Only what loads no Spectral, statically: the parse starts before Spectral loads (see the action).
import type { Ruleset } from '../../governance/lint/index.js';
import { isDiffCheckRule } from '../../governance/lint/diff-checks-ruleset.js';
import { loadForLintSoon } from '../../governance/lint/load-for-lint.js';
import { RulesetError } from '../../governance/lint/ruleset-error.js';
import { RULE_FAILED_META, severityOf } from '../../governance/lint/spectral-findings.js';
import { FORMATS, renderFindings, type Format, type RuleMeta } from '../formatters/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.js';

interface LintFlags {
  ruleset?: string;
  format: Format;
  failSeverity: Severity;
}

/** The enabled lint rules of a ruleset (and lint-rule-failed), for formats that describe their rules (SARIF, JUnit). */
function lintRuleMetadata(ruleset: Ruleset): RuleMeta[] {
  const rules: RuleMeta[] = [];
  for (const [id, rule] of Object.entries(ruleset.rules)) {
    if (!rule.enabled || isDiffCheckRule(rule)) continue;
    const meta: RuleMeta = { id, severity: severityOf(Number(rule.severity)), description: rule.description ?? rule.message ?? id };
    if (rule.documentationUrl) meta.helpUri = rule.documentationUrl;
    rules.push(meta);
  }
  // Not a rule of the ruleset: what a lint reports when one of its rules stops with an error.
  rules.push({ ...RULE_FAILED_META });
  return rules;
}

/** Registers `lint`. */
export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('lint an OpenAPI document with Spectral and the house rules (exit 0 pass, 1 findings at or above --fail-severity, 2 unusable input)')
    .argument('<spec>', 'OpenAPI 3.0/3.1 document (YAML or JSON)')
    .option('--ruleset <file>', 'Spectral ruleset (default: the bundled rulesets/accord.yaml, which a ruleset can extend)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('text'))
    .addOption(new Option('--fail-severity <severity>', 'lowest severity that fails').choices([...SEVERITIES]).default('error'))
    .action(async (spec: string, flags: LintFlags) => {
      // The contract first: parsed here (and refused at once when it cannot be read safely) or, a
      // large file with a core to spare, on a second thread while the ruleset loads; either way a
      // contract's problem is reported rather than the ruleset's. SourceError and ContractError
      // (unreadable, not YAML/JSON, not OpenAPI) reach cli.ts: exit 2.
      const contract = loadForLintSoon(spec);
      // Spectral and the ruleset load here, while a large contract parses on a second thread.
      const { lintDocument, loadRuleset } = await import('../../governance/lint/index.js');
      let ruleset: Ruleset | undefined;
      let rulesetError: unknown;
      try {
        ruleset = await loadRuleset(flags.ruleset);
      } catch (error) {
        rulesetError = error;
      }
      const input = await contract;
      if (ruleset === undefined) {
        if (rulesetError instanceof RulesetError) throw new UsageError(rulesetError.describe());
        throw rulesetError;
      }
      const findings = await lintDocument(ruleset, input);
      const report = { tool: 'lint' as const, findings, files: [resolve(spec)], failThreshold: flags.failSeverity, rules: lintRuleMetadata(ruleset) };
      process.stdout.write(renderFindings(report, flags.format));
      process.exitCode = findings.some((finding) => isAtLeast(finding.severity, flags.failSeverity)) ? EXIT_FINDINGS : EXIT_OK;
    });
}
