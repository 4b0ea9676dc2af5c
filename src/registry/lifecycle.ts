/**
 * Lifecycle changes of registered versions: published -> deprecated (sunset date, successor)
 * -> retired, by an owner or, once the sunset has passed, automatically.
 */
import type { Actor, VersionCaller, VersionRecord } from './model.js';
import type { ChangeOutcome, RegistryStore } from './store/registry-store.js';

/** A deprecation: when the version stops being served, and what replaces it. */
export interface Deprecation {
  /** ISO 8601 instant; must be in the future. */
  readonly sunset?: string;
  /** A registered version of the same API. */
  readonly successor?: string;
}

/** Why a lifecycle request cannot be applied, in words for the caller. */
export type LifecycleResult = ChangeOutcome | { readonly kind: 'invalid'; readonly detail: string };

/** Deprecates a published (or re-deprecates a deprecated) version, with an optional sunset and successor; `consumers`: who still calls it (audited). */
export async function deprecateVersion(store: RegistryStore, api: string, version: string, deprecation: Deprecation, actor: Actor, now: Date = new Date(), consumers?: readonly VersionCaller[]): Promise<LifecycleResult> {
  if (deprecation.sunset !== undefined) {
    const sunset = Date.parse(deprecation.sunset);
    if (Number.isNaN(sunset)) return { kind: 'invalid', detail: `sunset "${deprecation.sunset}" is not an ISO 8601 date-time` };
    if (sunset <= now.getTime()) return { kind: 'invalid', detail: `sunset ${deprecation.sunset} is not in the future (retire the version instead)` };
  }
  if (deprecation.successor !== undefined) {
    if (deprecation.successor === version) return { kind: 'invalid', detail: 'a version cannot succeed itself' };
    const successor = await store.get(api, deprecation.successor);
    if (!successor) return { kind: 'invalid', detail: `successor ${api} ${deprecation.successor} is not registered` };
    if (successor.status === 'retired') return { kind: 'invalid', detail: `successor ${api} ${deprecation.successor} is retired` };
  }
  const sunset = deprecation.sunset !== undefined ? new Date(deprecation.sunset).toISOString() : undefined;
  const at = now.toISOString();
  return store.change(
    { api, version, from: ['published', 'deprecated'], patch: { status: 'deprecated', deprecatedAt: at, sunset, successor: deprecation.successor } },
    { at, actor, action: 'deprecate', api, version, sunset, successor: deprecation.successor, trigger: 'manual', ...(consumers ? { consumers } : {}) },
  );
}

/** What the audit entry of a retirement records besides the change: who still called it, and why it was forced. */
export interface RetirementRecord {
  readonly consumers?: readonly VersionCaller[];
  /** Set when an owner retired a version still in use (`force`). */
  readonly overrideReason?: string;
}

/** Retires a version: from now on the gateway answers 410 VERSION_RETIRED. */
export function retireVersion(store: RegistryStore, api: string, version: string, actor: Actor, now: Date = new Date(), trigger: 'manual' | 'sunset' = 'manual', record: RetirementRecord = {}): Promise<ChangeOutcome> {
  const at = now.toISOString();
  return store.change(
    { api, version, from: ['published', 'deprecated'], patch: { status: 'retired', retiredAt: at } },
    { at, actor, action: 'retire', api, version, trigger, ...(record.overrideReason !== undefined ? { overrideReason: record.overrideReason } : {}), ...(record.consumers ? { consumers: record.consumers } : {}) },
  );
}

/** The system actor of automatic retirements. */
export const SUNSET_ACTOR: Actor = Object.freeze({ provider: 'accord', subject: 'sunset' });

/** A version retired at its sunset, and who still called it. */
export interface SunsetRetirement {
  readonly record: VersionRecord;
  readonly consumers: readonly VersionCaller[];
}

/**
 * Retires every deprecated version whose sunset has passed, in use or not: the sunset is the
 * owner's announced decision. `callers` (when usage is recorded) names who still called each one.
 */
export async function retireSunsetVersions(store: RegistryStore, now: Date = new Date(), callers?: (v: VersionRecord) => Promise<readonly VersionCaller[]>): Promise<SunsetRetirement[]> {
  const retired: SunsetRetirement[] = [];
  for (const v of await store.list()) {
    if (v.status !== 'deprecated' || v.sunset === undefined || Date.parse(v.sunset) > now.getTime()) continue;
    const consumers = callers ? await callers(v) : undefined;
    const outcome = await retireVersion(store, v.api, v.version, SUNSET_ACTOR, now, 'sunset', consumers ? { consumers } : {});
    if (outcome.kind === 'changed') retired.push({ record: outcome.record, consumers: consumers ?? [] });
  }
  return retired;
}
