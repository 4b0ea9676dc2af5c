/**
 * Which rate and which quota apply to a caller of an operation: the most specific level that
 * defines each wins (as Envoy's per-route config does), and the level also decides what the
 * counter is shared by.
 */
import type { LimitsConfig, OperationLimitsConfig, PlanConfig, QuotaConfig, RateConfig, RateLimitConfig } from './schema.js';

/** Seconds of a rate or burst window unit. */
const UNIT_SECONDS: Record<RateConfig['burstPer'], number> = { second: 1, minute: 60, hour: 3600 };

/** A rate as the limiter counts it, with the scope its counters are shared by. */
export interface ResolvedRate {
  limit: number;
  windowSeconds: number;
  burst: number;
  burstWindowSeconds: number;
  scope: string;
}

/** A quota with the scope its counters are shared by. */
export interface ResolvedQuota extends QuotaConfig {
  scope: string;
}

/** What applies to one caller of one operation (either may be absent: nothing to count). */
export interface ResolvedLimits {
  rate: ResolvedRate | undefined;
  quota: ResolvedQuota | undefined;
}

/** Where the limits of an operation can come from. */
export interface LimitSources {
  apiId: string;
  /** `apis[].rateLimit`. */
  api: RateLimitConfig | undefined;
  plans: ReadonlyMap<string, PlanConfig>;
}

/** One operation: the key its own counters go under, its config override and its contract extension. */
export interface OperationSources {
  key: string;
  config: OperationLimitsConfig | undefined;
  contract: OperationLimitsConfig | undefined;
}

/** A candidate level: the limits it defines and the scope of its counters. */
interface Level {
  limits: LimitsConfig | undefined;
  scope: string;
}

function rateOf(rate: RateConfig, scope: string): ResolvedRate {
  return { limit: rate.limit, windowSeconds: UNIT_SECONDS[rate.per], burst: rate.burst, burstWindowSeconds: UNIT_SECONDS[rate.burstPer], scope };
}

/**
 * Resolves the limits of a caller with plan `planId` (undefined: no plan) on one operation.
 * Levels, most specific first, each component (rate, quota) taken from the first that has it:
 *  1. the operation's override for the plan (config `operations.<id>.plans.<plan>`, then the
 *     contract's `x-accord-rate-limit.plans.<plan>`), counted per operation;
 *  2. the operation's override for every caller (config, then contract), counted per operation;
 *  3. the API's override of the plan (`apis[].rateLimit.plans.<plan>`), counted per API;
 *  4. the plan itself, counted per API, or across APIs when the plan is `sharedAcrossApis`;
 *  5. for a caller without a plan only: the API's default (`points`/`windowSeconds`/`burst`,
 *     `quota`), counted per API.
 * Config wins over the contract at the same level: an operator can correct a published contract.
 */
export function resolveLimits(sources: LimitSources, op: OperationSources, planId: string | undefined): ResolvedLimits {
  const { apiId, api } = sources;
  const opScope = `${apiId}/${op.key}`;
  const levels: Level[] = [];
  if (planId !== undefined) {
    levels.push({ limits: op.config?.plans?.[planId], scope: opScope }, { limits: op.contract?.plans?.[planId], scope: opScope });
  }
  levels.push({ limits: op.config, scope: opScope }, { limits: op.contract, scope: opScope });
  if (planId !== undefined) {
    const plan = sources.plans.get(planId);
    levels.push({ limits: api?.plans?.[planId], scope: apiId }, { limits: plan, scope: plan?.sharedAcrossApis ? '*' : apiId });
  }
  let rate: ResolvedRate | undefined;
  let quota: ResolvedQuota | undefined;
  for (const level of levels) {
    if (!rate && level.limits?.rate) rate = rateOf(level.limits.rate, level.scope);
    if (!quota && level.limits?.quota) quota = { ...level.limits.quota, scope: level.scope };
  }
  if (planId === undefined && api) {
    if (!rate && api.points !== undefined && api.windowSeconds !== undefined) {
      rate = { limit: api.points, windowSeconds: api.windowSeconds, burst: api.burst, burstWindowSeconds: api.burstWindowSeconds, scope: apiId };
    }
    if (!quota && api.quota) quota = { ...api.quota, scope: apiId };
  }
  return { rate, quota };
}
