/** Cross-field checks of plans and rate limits: unique plan ids, known time zones, overrides naming declared plans. */
import type { ConfigCheck, ConfigCheckIssue } from '../../pipeline/config-check.js';
import { isTimeZone } from './calendar-window.js';
import type { LimitsConfig, OperationLimitsConfig } from './schema.js';

/**
 * Issues of one limits block at `at`: an unknown time zone, and (with `plans`) overrides of plans
 * that are not declared. Shared with the check of the contract's x-accord-rate-limit.
 */
export function limitsIssues(limits: OperationLimitsConfig | LimitsConfig, at: Array<string | number>, plans: ReadonlySet<string> | undefined): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  if (limits.quota && !isTimeZone(limits.quota.timeZone)) {
    issues.push({ at: [...at, 'quota', 'timeZone'], message: `unknown time zone "${limits.quota.timeZone}" (an IANA name such as Europe/Paris, or UTC)` });
  }
  const overrides = 'plans' in limits ? limits.plans : undefined;
  for (const [id, override] of Object.entries(overrides ?? {})) {
    if (plans && !plans.has(id)) issues.push({ at: [...at, 'plans', id], message: `unknown plan "${id}" (declared: ${[...plans].join(', ') || 'none'})` });
    issues.push(...limitsIssues(override, [...at, 'plans', id], undefined));
  }
  return issues;
}

/** Issues of plans[] and apis[].rateLimit, checked after the schema. */
export const checkRateLimits: ConfigCheck = (config) => {
  const issues: ConfigCheckIssue[] = [];
  const plans = new Map<string, number>();
  config.plans.forEach((plan, i) => {
    const first = plans.get(plan.id);
    if (first !== undefined) issues.push({ at: ['plans', i, 'id'], message: `duplicate plan id "${plan.id}" (also plans/${first})` });
    else plans.set(plan.id, i);
    issues.push(...limitsIssues(plan, ['plans', i], undefined));
  });
  const ids = new Set(plans.keys());
  config.apis.forEach((api, i) => {
    const limit = api.rateLimit;
    if (!limit) return;
    const at = ['apis', i, 'rateLimit'];
    issues.push(...limitsIssues({ quota: limit.quota, plans: limit.plans }, at, ids));
    for (const [operationId, operation] of Object.entries(limit.operations ?? {})) {
      issues.push(...limitsIssues(operation, [...at, 'operations', operationId], ids));
    }
  });
  return issues;
};
