/**
 * The governance a version must pass to be published: the same lint and diff as `accord check`,
 * with the same versioning policy (a breaking change needs a new major), run on a registered
 * document rather than a file in git.
 */
import type { Ruleset } from '@stoplight/spectral-core';
import type { OpenApiDocument } from '../contracts/openapi-document.js';
import { isAtLeast, type Finding } from '../governance/findings.js';
import { diffContracts } from '../governance/diff/index.js';
import { applyRulesetToDiff, lintDocument, type LintInput } from '../governance/lint/index.js';
import type { ContractFile } from '../governance/check/contract-version.js';
import { acceptBreakingChange, allowsBreakingChange, breakingWithoutMajor, checkInfoVersion } from '../governance/check/versioning-policy.js';
import { BLOCKING_SEVERITY, type GovernanceSummary } from './model.js';

/** The document being registered and the version it follows, if any. */
export interface GateInput {
  readonly candidate: { file: ContractFile; input: LintInput };
  readonly previous?: { file: ContractFile; document: OpenApiDocument };
}

/** Every finding, and whether any blocks publication. */
export interface GateVerdict {
  readonly findings: readonly Finding[];
  readonly blocking: boolean;
  readonly summary: GovernanceSummary;
}

/** Runs lint, diff and the versioning policy. Never throws for findings: they are results. */
export async function runGovernanceGate(ruleset: Ruleset, gate: GateInput, now: Date = new Date()): Promise<GateVerdict> {
  const { candidate, previous } = gate;
  const findings: Finding[] = [...checkInfoVersion(candidate.file, candidate.input.document), ...(await lintDocument(ruleset, candidate.input))];
  if (previous) {
    const changes = applyRulesetToDiff(ruleset, diffContracts(previous.document, candidate.input.document, { now }));
    const breaking = changes.filter((c) => c.severity === 'error').length;
    if (allowsBreakingChange(previous.file, candidate.file)) {
      findings.push(...changes.map((c) => acceptBreakingChange(c, candidate.file)));
    } else {
      findings.push(...changes);
      if (breaking > 0) findings.push(breakingWithoutMajor(candidate.file, previous.file, candidate.input.document, breaking));
    }
  }
  const blockingFindings = findings.filter((f) => isAtLeast(f.severity, BLOCKING_SEVERITY));
  const warnings = findings.filter((f) => f.severity === 'warn').length;
  return {
    findings,
    blocking: blockingFindings.length > 0,
    summary: { errors: blockingFindings.length, warnings, blocking: [...new Set(blockingFindings.map((f) => f.id))].slice(0, 50) },
  };
}
