/** `accord check`: the CI gate over a git repository (changed contracts: lint, diff, versioning policy). */
import { Option, type Command } from 'commander';
import { isAtLeast, type Severity } from '../../governance/findings.js';
import { GitError, POLICY_RULES, runCheck } from '../../governance/check/index.js';
import { diffContracts } from '../../governance/diff/index.js';
import { lintDocument, loadRuleset, RulesetError, type Ruleset } from '../../governance/lint/index.js';
import { applyRulesetToDiff } from '../../governance/lint/diff-rules.js';
import { RULE_FAILED_META, severityOf } from '../../governance/lint/spectral-findings.js';
import { CHECKS } from '../../governance/rules/index.js';
import { FORMATS, renderFindings, type Format, type RuleMeta } from '../formatters/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.js';
import { adminUrl } from '../admin-request.js';
import { usageGateClient } from '../usage-gate-client.js';

/** The gate fails on errors: lint errors, breaking changes and every policy violation. */
const FAIL_THRESHOLD: Severity = 'error';

interface CheckFlags {
  base?: string;
  contracts: string;
  ruleset?: string;
  format: Format;
  adminUrl?: string;
}

/**
 * Metadata of every rule the report may name: the policy rules, the diff checks at their default
 * severity, then the ruleset's enabled lint rules (with their documentation links).
 */
function ruleMetadata(ruleset: Ruleset): RuleMeta[] {
  const rules: RuleMeta[] = [...POLICY_RULES, ...CHECKS.map((c) => ({ id: c.id, severity: c.severity, description: c.description }))];
  const known = new Set(rules.map((r) => r.id));
  for (const [id, rule] of Object.entries(ruleset.rules)) {
    if (!rule.enabled || known.has(id)) continue;
    const meta: RuleMeta = { id, severity: severityOf(Number(rule.severity)), description: rule.description ?? id };
    if (rule.documentationUrl) meta.helpUri = rule.documentationUrl;
    rules.push(meta);
  }
  // Not a rule of the ruleset: what a lint reports when one of its rules stops with an error.
  rules.push({ ...RULE_FAILED_META });
  return rules;
}

/** Registers `check`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('CI gate: lint every contract changed since a git ref, diff it against its previous version, enforce versioning (exit 0 pass, 1 findings, 2 unusable)')
    .option('--base <ref>', 'git ref to compare with, as CI does (REF...HEAD plus uncommitted changes); default origin/main if it exists, else HEAD~1')
    .option('--contracts <dir>', 'contracts folder, laid out <api>/<version>.yaml|.yml|.json', 'contracts')
    .option('--ruleset <file>', 'Spectral ruleset for lint and diff severities (default: the bundled ruleset)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('--admin-url <url>', "ask a running gateway's registry (bearer token from ACCORD_TOKEN) whether its block-if-used policy accepts breaking changes within a major, and name the consumers they would break")
    .action(async (flags: CheckFlags) => {
      const now = new Date();
      const judgeBreaking = flags.adminUrl !== undefined ? usageGateClient(adminUrl(flags.adminUrl)) : undefined;
      if (judgeBreaking && !process.env.ACCORD_TOKEN) throw new UsageError('--admin-url needs ACCORD_TOKEN: export a token of the API owner or with scope accord:admin');
      let ruleset: Ruleset;
      let result;
      try {
        ruleset = await loadRuleset(flags.ruleset);
        result = await runCheck(
          { cwd: process.cwd(), base: flags.base, contractsDir: flags.contracts },
          {
            lint: (contract) => lintDocument(ruleset, { file: contract.file, path: contract.file, document: contract }),
            diff: (base, revision) => applyRulesetToDiff(ruleset, diffContracts(base, revision, { now })),
            ...(judgeBreaking ? { judgeBreaking } : {}),
          },
        );
      } catch (error) {
        if (error instanceof GitError) throw new UsageError(error.message);
        if (error instanceof RulesetError) throw new UsageError(error.describe());
        throw error;
      }
      const report = { tool: 'check' as const, findings: result.findings, files: result.files, failThreshold: FAIL_THRESHOLD, rules: ruleMetadata(ruleset) };
      process.stdout.write(renderFindings(report, flags.format, { cwd: result.root }));
      process.exitCode = result.findings.some((f) => isAtLeast(f.severity, FAIL_THRESHOLD)) ? EXIT_FINDINGS : EXIT_OK;
    });
}
