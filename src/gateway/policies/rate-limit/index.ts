/**
 * The rate-limit policy: plans (rate with burst, calendar quota), the API's default limits, and
 * per-API and per-operation overrides, counted with rate-limiter-flexible behind a LimiterStore
 * and announced in the IETF `RateLimit-Policy` and `RateLimit` fields
 * (draft-ietf-httpapi-ratelimit-headers-11).
 */
import type { ServerResponse } from 'node:http';
import type { LimiterStore } from './stores/limiter-store.js';
import { memoryLimiterStore } from './stores/memory-store.js';
import type { RateLimitConfig } from './schema.js';
import type { Policy, RequestStep } from '../../pipeline/policy.js';
import type { CompiledOperation } from '../../../contracts/compile/types.js';
import { ZoneCalendar } from './calendar-window.js';
import { createLimitSet, type LimitSet, type LimitSetDependencies } from './limit-set.js';
import { resolveLimits, type LimitSources, type ResolvedLimits } from './resolve-limits.js';
import { createExtensionReader, RATE_LIMIT_EXTENSION, type ExtensionReader } from './contract-extension.js';
import type { LimitPolicyName } from './ratelimit-fields.js';

export { rateLimitSchema, planSchema, type RateLimitConfig, type PlanConfig } from './schema.js';
export type { LimiterStore, LimiterSpec } from './stores/limiter-store.js';
export { memoryLimiterStore } from './stores/memory-store.js';
export { checkRateLimits } from './check-config.js';
export type { LimitPolicyName } from './ratelimit-fields.js';

/**
 * A compiled rate limit. `consume(key, res)` counts one request of `key`: it resolves once the
 * RateLimit fields are set on `res`, or rejects with RATE_LIMITED/QUOTA_EXCEEDED (carrying them and Retry-After).
 */
export interface RateLimit {
  consume(key: string, res: ServerResponse): Promise<void>;
}

/**
 * The counter key of a request: `c:<consumer id>` for an authenticated consumer, `a:<address>`
 * for an anonymous caller. The two namespaces cannot meet whatever a token's claims say.
 */
export function rateLimitKey(consumerId: string | undefined, clientIp: string): string {
  return consumerId !== undefined ? `c:${consumerId}` : `a:${clientIp}`;
}

/**
 * Builds the API default limits of one API (callers without a plan), as the policy does; for
 * tests and tools. `store` keeps the counters (this process's memory unless given).
 */
export function createRateLimit(apiId: string, config: RateLimitConfig, store: LimiterStore = memoryLimiterStore(), now: () => number = Date.now): RateLimit {
  const resolved = resolveLimits({ apiId, api: config, plans: new Map() }, { key: '', config: undefined, contract: undefined }, undefined);
  const set = compile(apiId, resolved, config.legacyHeaders, { store, now }, new Map());
  return set ?? { consume: () => Promise.resolve() };
}

function compile(apiId: string, resolved: ResolvedLimits, legacyHeaders: boolean, deps: LimitSetDependencies, calendars: Map<string, ZoneCalendar>): LimitSet | undefined {
  if (!resolved.rate && !resolved.quota) return undefined;
  let quota;
  if (resolved.quota) {
    const zone = resolved.quota.timeZone;
    let calendar = calendars.get(zone);
    if (!calendar) {
      calendar = new ZoneCalendar(zone);
      calendars.set(zone, calendar);
    }
    quota = { limit: resolved.quota.limit, unit: resolved.quota.per, calendar, scope: resolved.quota.scope };
  }
  return createLimitSet(apiId, { rate: resolved.rate, quota, legacyHeaders }, deps);
}

/** What one API's versions share: compiled limit sets by their resolved spec, calendars, the extension reader. */
interface ApiLimits {
  sources: LimitSources;
  planIds: readonly string[];
  sets: Map<string, LimitSet | undefined>;
  calendars: Map<string, ZoneCalendar>;
  readExtension: ExtensionReader;
  deps: LimitSetDependencies;
}

/** The limit set of each caller's plan on one operation ('' = no plan), shared between equal specs. */
function operationTable(limits: ApiLimits, op: CompiledOperation, legacyHeaders: boolean): Map<string, LimitSet | undefined> {
  const contract = limits.readExtension(op.extensions.get(RATE_LIMIT_EXTENSION));
  const key = op.operationId ?? `${op.method} ${op.pathTemplate}`;
  const config = op.operationId !== undefined ? limits.sources.api?.operations?.[op.operationId] : undefined;
  const table = new Map<string, LimitSet | undefined>();
  for (const planId of ['', ...limits.planIds]) {
    const resolved = resolveLimits(limits.sources, { key, config, contract }, planId === '' ? undefined : planId);
    const specKey = JSON.stringify(resolved);
    if (!limits.sets.has(specKey)) limits.sets.set(specKey, compile(limits.sources.apiId, resolved, legacyHeaders, limits.deps, limits.calendars));
    table.set(planId, limits.sets.get(specKey));
  }
  return table;
}

/** The rate-limit policy: the limits of the caller's plan (or the API default), per consumer or client address. */
export const rateLimit: Policy = {
  name: 'rate-limit',
  create(scope, deps) {
    const { api, config } = scope;
    const store = deps.limiterStore ?? memoryLimiterStore();
    const limits = scope.perApi<ApiLimits>('rate-limit', () => {
      const plans = new Map(config.plans.map((p) => [p.id, p]));
      const onLimitRejected = deps.onLimitRejected;
      const onRejected = onLimitRejected ? (policy: LimitPolicyName) => onLimitRejected(api.id, policy) : undefined;
      return {
        sources: { apiId: api.id, api: api.rateLimit, plans },
        // Only plans some consumer names can reach a request.
        planIds: [...new Set(config.consumers.flatMap((c) => (c.plan !== undefined && plans.has(c.plan) ? [c.plan] : [])))],
        sets: new Map(),
        calendars: new Map(),
        readExtension: createExtensionReader(new Set(plans.keys())),
        deps: { store, now: deps.now ?? Date.now, onRejected },
      };
    });
    const legacyHeaders = api.rateLimit?.legacyHeaders ?? false;
    return {
      operation(op) {
        const table = operationTable(limits, op, legacyHeaders);
        const sets = new Set(table.values());
        if (sets.size === 1) {
          // Every caller gets the same limits (or none): no plan to look up per request.
          const only = table.get('');
          if (!only) return undefined;
          const request: RequestStep = (ctx) => only.consume(rateLimitKey(ctx.consumerId, ctx.clientIp), ctx.res);
          return { request };
        }
        const request: RequestStep = (ctx) => {
          const set = table.get(ctx.consumer?.plan ?? '');
          if (set) return set.consume(rateLimitKey(ctx.consumerId, ctx.clientIp), ctx.res);
        };
        return { request };
      },
    };
  },
};
