/** Cross-field checks of apis[].upstream and versions[].targets that the JSON Schema cannot express. */
import { upstreamUrlProblem } from '../../config/upstream-url.js';
import type { TargetConfig, UpstreamConfig } from './schema.js';

/** A problem at a path relative to the checked object. */
export interface UpstreamIssue {
  at: Array<string | number>;
  message: string;
}

/** Problems of a list of targets: unusable URLs and the same URL twice. */
export function checkTargets(targets: readonly TargetConfig[]): UpstreamIssue[] {
  const issues: UpstreamIssue[] = [];
  const seen = new Set<string>();
  targets.forEach((target, k) => {
    const problem = upstreamUrlProblem(target.url);
    if (problem) {
      issues.push({ at: [k, 'url'], message: problem });
      return;
    }
    const key = new URL(target.url).href.replace(/\/+$/, '');
    if (seen.has(key)) issues.push({ at: [k, 'url'], message: `target ${target.url} is listed twice (raise its weight instead)` });
    seen.add(key);
  });
  return issues;
}

/** Problems of an API's upstream settings. */
export function checkUpstream(upstream: UpstreamConfig): UpstreamIssue[] {
  const issues: UpstreamIssue[] = [];
  if (upstream.targets !== undefined) {
    if (upstream.url !== undefined) issues.push({ at: ['targets'], message: 'set url (one target) or targets (several), not both' });
    for (const issue of checkTargets(upstream.targets)) issues.push({ at: ['targets', ...issue.at], message: issue.message });
  }
  // A per-attempt deadline at or beyond the total one could never fire: its retry would be a dead letter.
  if (upstream.connectTimeoutMs !== undefined && upstream.connectTimeoutMs >= upstream.timeoutMs) {
    issues.push({ at: ['connectTimeoutMs'], message: `must be less than upstream.timeoutMs (${upstream.timeoutMs}): the total deadline includes every attempt` });
  }
  if (upstream.firstByteTimeoutMs !== undefined && upstream.firstByteTimeoutMs >= upstream.timeoutMs) {
    issues.push({ at: ['firstByteTimeoutMs'], message: `must be less than upstream.timeoutMs (${upstream.timeoutMs}): the total deadline includes every attempt` });
  }
  const retries = upstream.retries;
  if (retries && retries.backoffMaxMs < retries.backoffBaseMs) {
    issues.push({ at: ['retries', 'backoffMaxMs'], message: `must not be less than retries.backoffBaseMs (${retries.backoffBaseMs})` });
  }
  const check = upstream.healthCheck;
  if (check && check.timeoutMs >= check.intervalMs) {
    issues.push({ at: ['healthCheck', 'timeoutMs'], message: `must be less than healthCheck.intervalMs (${check.intervalMs}): one check at a time per target` });
  }
  return issues;
}
