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
import { acceptBreakingChange, allowsBreakingChange, BREAKING_WITHOUT_MAJOR, breakingWithoutMajor, checkInfoVersion } from '../governance/check/versioning-policy.js';
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
  /** The diff's findings, as placed in `findings`, when they are breaking changes within one major (else empty). */
  readonly breakingWithinMajor: readonly Finding[];
}

function verdictOf(findings: Finding[], breakingWithinMajor: readonly Finding[]): GateVerdict {
  const blockingFindings = findings.filter((f) => isAtLeast(f.severity, BLOCKING_SEVERITY));
  const warnings = findings.filter((f) => f.severity === 'warn').length;
  return {
    findings,
    blocking: blockingFindings.length > 0,
    summary: { errors: blockingFindings.length, warnings, blocking: [...new Set(blockingFindings.map((f) => f.id))].slice(0, 50) },
    breakingWithinMajor,
  };
}

/** Whether only the breaking changes within the major (and the versioning rule they raise) block: nothing else a usage gate cannot waive. */
export function blockedOnlyByBreakingChanges(verdict: GateVerdict): boolean {
  if (verdict.breakingWithinMajor.length === 0) return false;
  const waivable = new Set(verdict.breakingWithinMajor);
  return !verdict.findings.some((f) => isAtLeast(f.severity, BLOCKING_SEVERITY) && !waivable.has(f) && f.id !== BREAKING_WITHOUT_MAJOR);
}

/**
 * The verdict once a usage gate accepted the breaking changes within the major: they drop to
 * `warn` with `why` appended, and the versioning rule they raised goes.
 */
export function acceptUnusedBreakingChanges(verdict: GateVerdict, why: string): GateVerdict {
  const waivable = new Set(verdict.breakingWithinMajor);
  const findings = verdict.findings
    .filter((f) => f.id !== BREAKING_WITHOUT_MAJOR)
    .map((f) => (waivable.has(f) && f.severity === 'error' ? { ...f, severity: 'warn' as const, message: `${f.message} (${why})` } : f));
  return verdictOf(findings, []);
}

/** Runs lint, diff and the versioning policy. Never throws for findings: they are results. */
export async function runGovernanceGate(ruleset: Ruleset, gate: GateInput, now: Date = new Date()): Promise<GateVerdict> {
  const { candidate, previous } = gate;
  const findings: Finding[] = [...checkInfoVersion(candidate.file, candidate.input.document), ...(await lintDocument(ruleset, candidate.input))];
  let withinMajor: Finding[] = [];
  if (previous) {
    const changes = applyRulesetToDiff(ruleset, diffContracts(previous.document, candidate.input.document, { now }));
    const breaking = changes.filter((c) => c.severity === 'error').length;
    if (allowsBreakingChange(previous.file, candidate.file)) {
      findings.push(...changes.map((c) => acceptBreakingChange(c, candidate.file)));
    } else {
      findings.push(...changes);
      if (breaking > 0) {
        findings.push(breakingWithoutMajor(candidate.file, previous.file, candidate.input.document, breaking));
        withinMajor = changes;
      }
    }
  }
  return verdictOf(findings, withinMajor);
}
