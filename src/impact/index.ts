/**
 * Consumer-impact analysis: a proposed contract change judged by who it would break, from the
 * usage records of the gateway. The registry gives the diff, the recorder the usage, the join the report.
 */
import type { RegistryService } from '../registry/registry-service.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import { buildContractIndex } from './contract-index.js';
import { impactReport, type ConsumerContact, type ImpactReport } from './impact-report.js';
import { windowEnding } from './impact-window.js';

export { impactReport, isAffecting, type AffectedConsumer, type ConsumerContact, type Evidence, type ImpactChange, type ImpactCoverage, type ImpactReport } from './impact-report.js';
export { DEFAULT_WINDOW, MAX_WINDOW_DAYS, parseWindowDays, windowEnding, type ImpactWindow } from './impact-window.js';
export { buildContractIndex, type ContractIndex } from './contract-index.js';

/** What an impact request names: the API, its registered base, and a registered version or a proposed document. */
export interface ImpactRequest {
  readonly api: string;
  readonly base: string;
  readonly revision: { readonly version: string } | { readonly document: string };
  readonly windowDays: number;
}

/** The report, or why there is none. */
export type ImpactResult =
  | { readonly kind: 'report'; readonly report: ImpactReport }
  | { readonly kind: 'not-found'; readonly version: string }
  | { readonly kind: 'invalid'; readonly detail: string; readonly pointer?: string; readonly line?: number };

/** Runs the diff in the registry and joins it with the usage records of the window ending `now`. */
export async function computeImpact(
  deps: { readonly registry: RegistryService; readonly usage: Pick<UsageRecorder, 'query'>; readonly consumers: readonly ConsumerContact[] },
  request: ImpactRequest,
  now: number,
): Promise<ImpactResult> {
  const comparison = await deps.registry.compare(request.api, request.base, request.revision);
  if (comparison.kind !== 'diff') return comparison;
  const window = windowEnding(now, request.windowDays);
  const usage = await deps.usage.query({ api: request.api, since: window.since });
  const report = impactReport({
    api: request.api,
    base: request.base,
    revision: comparison.revisionVersion,
    findings: comparison.findings,
    usage,
    window: request.windowDays,
    now,
    consumers: deps.consumers,
    operationIndex: buildContractIndex(comparison.base, comparison.revision),
  });
  return { kind: 'report', report };
}
