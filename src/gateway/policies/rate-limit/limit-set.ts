/**
 * The limits that apply to one caller of one operation: a rate (with an optional burst pool) and
 * a calendar quota, consumed in an order and with refunds that keep every counter exact.
 */
import type { ServerResponse } from 'node:http';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { GatewayError } from '../../../errors/problem.js';
import type { LimiterStore } from './stores/limiter-store.js';
import type { ZoneCalendar, CalendarPeriod } from './calendar-window.js';
import { limitItem, policyItem, secondsUntil, type LimitPolicyName } from './ratelimit-fields.js';
import type { QuotaUnit } from './schema.js';

/** A rate: `limit` per `windowSeconds`, then `burst` per `burstWindowSeconds`; counted under `scope`. */
export interface RateSpec {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly burst: number;
  readonly burstWindowSeconds: number;
  readonly scope: string;
}

/** A calendar quota: `limit` per local `unit` of `calendar`'s zone; counted under `scope`. */
export interface QuotaSpec {
  readonly limit: number;
  readonly unit: QuotaUnit;
  readonly calendar: ZoneCalendar;
  readonly scope: string;
}

/** What a limit set is built from. */
export interface LimitSetSpec {
  readonly rate: RateSpec | undefined;
  readonly quota: QuotaSpec | undefined;
  readonly legacyHeaders: boolean;
}

/** What a limit set needs from its surroundings. */
export interface LimitSetDependencies {
  readonly store: LimiterStore;
  /** The clock of calendar periods (ms since the epoch); injectable for tests. */
  readonly now: () => number;
  /** Called once per refused request with the policy that refused it. */
  readonly onRejected?: (policy: LimitPolicyName) => void;
}

/** A compiled set of limits. */
export interface LimitSet {
  /** The policies this set applies, in the order they are announced (for tests and tools). */
  readonly policies: readonly LimitPolicyName[];
  /**
   * Counts one request of `key` against every limit: resolves once the RateLimit fields are on
   * `res`, or rejects with RATE_LIMITED or QUOTA_EXCEEDED carrying them and Retry-After.
   */
  consume(key: string, res: ServerResponse): Promise<void>;
}

/**
 * How long a quota counter lives in the store: longer than any period (a day lasts at most 25 h,
 * a month 31 days and an hour), so a counter never expires while its period runs. The period's id
 * is part of the key, so the next period starts from a fresh counter at the calendar boundary.
 */
const QUOTA_COUNTER_SECONDS: Record<QuotaUnit, number> = { day: 2 * 86_400, month: 32 * 86_400 };

/**
 * A rate refund is skipped when the window it would go back to ends this soon (ms): a refund that
 * arrived after the reset would be a credit in the next window. The point is then lost for the
 * rest of a window that is ending anyway.
 */
const REFUND_MARGIN_MS = 100;

/** What the rate pools said about one admitted request. */
interface RateOutcome {
  main: RateLimiterRes;
  /** The burst pool after this request; null while it is untouched (full, no window running). */
  burst: RateLimiterRes | null | undefined;
  /** The pool this request was counted in. */
  took: 'rate' | 'burst';
  /** Date.now() when it was counted, to tell whether a refund still lands in its window. */
  at: number;
}

function isLimiterRes(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}

/**
 * Builds a limit set. The order of consumption: the rate first (its pool, then the burst pool once
 * it is spent), then the quota. A request the rate refuses never reaches the quota; a request the
 * quota refuses gives back its rate point and its own quota point, so neither counter counts a
 * refused request (the quota's period key means its refund always lands in the right period).
 * The rate goes first because its refusals are the common case and cost nothing at the quota;
 * under a race, a request can meet a rate point another request has not yet given back, and is
 * then told RATE_LIMITED with a short Retry-After instead of QUOTA_EXCEEDED: never the reverse,
 * which would send a client away until the next calendar period.
 */
export function createLimitSet(apiId: string, spec: LimitSetSpec, deps: LimitSetDependencies): LimitSet {
  const { rate, quota } = spec;
  const { store, now, onRejected } = deps;
  const main: RateLimiterAbstract | undefined = rate ? store.create({ keyPrefix: `rl:${rate.scope}`, points: rate.limit, durationSeconds: rate.windowSeconds }) : undefined;
  const burst: RateLimiterAbstract | undefined =
    rate && rate.burst > 0 ? store.create({ keyPrefix: `rlb:${rate.scope}`, points: rate.burst, durationSeconds: rate.burstWindowSeconds }) : undefined;
  const quotaLimiter: RateLimiterAbstract | undefined = quota
    ? store.create({ keyPrefix: `rlq:${quota.scope}:${quota.unit}:${quota.calendar.timeZone}`, points: quota.limit, durationSeconds: QUOTA_COUNTER_SECONDS[quota.unit] })
    : undefined;

  const policies: LimitPolicyName[] = [];
  if (rate) policies.push('rate');
  if (burst) policies.push('burst');
  if (quota) policies.push('quota');

  // The rate items of RateLimit-Policy never change; the quota's window is the current period's length.
  const ratePolicy = rate ? policyItem('rate', rate.limit, rate.windowSeconds) + (burst ? ', ' + policyItem('burst', rate.burst, rate.burstWindowSeconds) : '') : '';
  let policyPeriod: CalendarPeriod | undefined;
  let policyField = ratePolicy;
  const policyFieldFor = (period: CalendarPeriod | undefined): string => {
    if (!period || !quota) return ratePolicy;
    if (period !== policyPeriod) {
      policyPeriod = period;
      const item = policyItem('quota', quota.limit, Math.round((period.end - period.start) / 1000));
      policyField = ratePolicy ? `${ratePolicy}, ${item}` : item;
    }
    return policyField;
  };

  const rateDescription = rate
    ? `"rate" (${rate.limit} per ${rate.windowSeconds} s)` + (burst ? ` and "burst" (${rate.burst} per ${rate.burstWindowSeconds} s)` : '')
    : '';
  const quotaDescription = quota ? `"quota" (${quota.limit} per ${quota.unit}, ${quota.calendar.timeZone})` : '';

  /** The RateLimit items of the rate pools, `refunded` adding back the point of the pool taken. */
  const rateItems = (outcome: RateOutcome, refunded: boolean): { items: string; left: number; reset: number } => {
    const mainLeft = Math.max(0, outcome.main.remainingPoints) + (refunded && outcome.took === 'rate' ? 1 : 0);
    const mainReset = secondsUntil(outcome.main.msBeforeNext);
    let items = limitItem('rate', mainLeft, mainReset);
    if (!burst) return { items, left: mainLeft, reset: mainReset };
    if (!outcome.burst) return { items: `${items}, ${limitItem('burst', rate!.burst, undefined)}`, left: mainLeft + rate!.burst, reset: mainReset };
    const burstLeft = Math.max(0, outcome.burst.remainingPoints) + (refunded && outcome.took === 'burst' ? 1 : 0);
    const burstReset = secondsUntil(outcome.burst.msBeforeNext);
    items = `${items}, ${limitItem('burst', burstLeft, burstReset)}`;
    return { items, left: mainLeft + burstLeft, reset: Math.min(mainReset, burstReset) };
  };

  /** Headers every answer carries (admitted or refused). */
  const fields = (policy: string, items: string, legacy: { limit: number; left: number; reset: number } | undefined): Record<string, string> => {
    const headers: Record<string, string> = { 'ratelimit-policy': policy, ratelimit: items };
    if (spec.legacyHeaders && legacy) {
      headers['ratelimit-limit'] = String(legacy.limit);
      headers['ratelimit-remaining'] = String(legacy.left);
      headers['ratelimit-reset'] = String(legacy.reset);
    }
    return headers;
  };
  const rateTotal = rate ? rate.limit + (burst ? rate.burst : 0) : 0;

  /** The rate pools: resolves with what they said, or rejects with RATE_LIMITED. */
  const consumeRate = async (key: string, period: CalendarPeriod | undefined): Promise<RateOutcome> => {
    const at = Date.now();
    try {
      const mainRes = await main!.consume(key);
      // The burst pool is only read here, to announce what it still holds.
      const burstRes = burst ? await burst.get(key) : undefined;
      return { main: mainRes, burst: burstRes, took: 'rate', at };
    } catch (rejection) {
      if (!isLimiterRes(rejection)) throw rejection;
      if (burst) {
        try {
          const burstRes = await burst.consume(key);
          return { main: rejection, burst: burstRes, took: 'burst', at };
        } catch (burstRejection) {
          if (!isLimiterRes(burstRejection)) throw burstRejection;
          return refuseRate({ main: rejection, burst: burstRejection, took: 'burst', at }, period);
        }
      }
      return refuseRate({ main: rejection, burst: undefined, took: 'rate', at }, period);
    }
  };

  const refuseRate = (outcome: RateOutcome, period: CalendarPeriod | undefined): never => {
    const r = rateItems(outcome, false);
    onRejected?.(burst ? 'burst' : 'rate');
    // Retry-After is the earliest `t`: the moment one rate pool admits again. The quota was not
    // consulted, so it has no RateLimit item here (its policy is still announced).
    const headers = fields(policyFieldFor(period), r.items, { limit: rateTotal, left: 0, reset: r.reset });
    headers['retry-after'] = String(r.reset);
    throw new GatewayError('RATE_LIMITED', `rate limit ${rateDescription} spent for this caller; retry in ${r.reset} s`, { headers });
  };

  /** Gives back the rate point of a request the quota refused, unless its window is ending. */
  const refundRate = async (key: string, outcome: RateOutcome): Promise<void> => {
    const res = outcome.took === 'rate' ? outcome.main : outcome.burst;
    const limiter = outcome.took === 'rate' ? main : burst;
    if (!res || !limiter) return;
    if (res.msBeforeNext - (Date.now() - outcome.at) <= REFUND_MARGIN_MS) return;
    await limiter.reward(key, 1);
  };

  return {
    policies,
    async consume(key, response) {
      const period = quota ? quota.calendar.current(now(), quota.unit) : undefined;
      const outcome = main ? await consumeRate(key, period) : undefined;
      const r = outcome ? rateItems(outcome, false) : undefined;
      if (!quotaLimiter || !quota || !period) {
        const headers = fields(ratePolicy, r!.items, { limit: rateTotal, left: r!.left, reset: r!.reset });
        for (const name in headers) response.setHeader(name, headers[name]!);
        return;
      }
      const quotaKey = `${key}|${period.id}`;
      const quotaReset = secondsUntil(period.end - now());
      let quotaRes: RateLimiterRes;
      try {
        quotaRes = await quotaLimiter.consume(quotaKey);
      } catch (rejection) {
        if (!isLimiterRes(rejection)) throw rejection;
        // Neither counter keeps a refused request: the quota's own point, and the rate's.
        await Promise.all([quotaLimiter.reward(quotaKey, 1), outcome ? refundRate(key, outcome) : undefined]);
        onRejected?.('quota');
        const rateNow = outcome ? rateItems(outcome, true) : undefined;
        const item = limitItem('quota', 0, quotaReset);
        const headers = fields(policyFieldFor(period), rateNow ? `${rateNow.items}, ${item}` : item, { limit: quota.limit, left: 0, reset: quotaReset });
        headers['retry-after'] = String(quotaReset);
        throw new GatewayError('QUOTA_EXCEEDED', `quota ${quotaDescription} spent for this caller; it resets in ${quotaReset} s`, { headers });
      }
      const quotaLeft = Math.max(0, quota.limit - quotaRes.consumedPoints);
      const item = limitItem('quota', quotaLeft, quotaReset);
      // The draft-06 trio can describe one limit only: the nearer one.
      const legacy = r && r.left <= quotaLeft ? { limit: rateTotal, left: r.left, reset: r.reset } : { limit: quota.limit, left: quotaLeft, reset: quotaReset };
      const headers = fields(policyFieldFor(period), r ? `${r.items}, ${item}` : item, legacy);
      for (const name in headers) response.setHeader(name, headers[name]!);
    },
  };
}
