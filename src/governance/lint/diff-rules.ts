/** Applies a Spectral ruleset's switches and severities to breaking-change findings, so diff checks are configured like lint rules. */
// First: Spectral's runner is to load the modern build of nimma (modern-nimma.ts).
import './modern-nimma.js';
import './native-aggregate-error.js';
import { getDiagnosticSeverity, type Rule, type Ruleset } from '@stoplight/spectral-core';
import type { Finding, Severity } from '../findings.js';
import { severityOf } from './spectral-findings.js';

// Spectral's level for a rule that sets no severity (DEFAULT_SEVERITY_LEVEL: warn).
const UNSET_LEVEL = 1;

/**
 * The severity a ruleset imposes on a rule, or undefined when it keeps the level it was defined
 * with: a diff check then keeps the severity the engine gave each finding (schema changes grade
 * their own findings), and only a deliberate override replaces it.
 */
function overriddenSeverity(rule: Rule): Severity | undefined {
  const defined = rule.definition.severity;
  const definedLevel = defined === undefined ? UNSET_LEVEL : getDiagnosticSeverity(defined);
  return rule.severity === definedLevel ? undefined : severityOf(rule.severity);
}

/**
 * Drops the findings whose rule the ruleset switched off (`rules: { response-optional-property-removed: off }`)
 * and re-levels those whose severity it overrode (`request-parameter-became-required: warn`).
 * Findings of IDs the ruleset does not know pass unchanged. Returns a new array in the same order.
 */
export function applyRulesetToDiff(ruleset: Ruleset, findings: readonly Finding[]): Finding[] {
  const applied: Finding[] = [];
  for (const finding of findings) {
    const rule = Object.prototype.hasOwnProperty.call(ruleset.rules, finding.id) ? ruleset.rules[finding.id] : undefined;
    if (rule === undefined) {
      applied.push(finding);
      continue;
    }
    if (!rule.enabled) continue;
    const severity = overriddenSeverity(rule);
    applied.push(severity === undefined || severity === finding.severity ? finding : { ...finding, severity });
  }
  return applied;
}
