/**
 * Who still calls a contract version: the consumers in the usage records of a window, with their
 * calls, last call and operations. What a deprecation records and a retirement is refused over.
 */
import type { VersionCaller } from '../registry/model.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { UsageReport } from '../usage/usage-record.js';
import { windowEnding } from './impact-window.js';

/** The consumers of `api` `version` in the records (anonymous calls included: someone calls it), most calls first. */
export function versionCallers(usage: UsageReport, api: string, version: string, since: string): VersionCaller[] {
  const byConsumer = new Map<string, { calls: number; lastSeen: string; operations: Set<string> }>();
  for (const r of usage.records) {
    if (r.api !== api || r.version !== version) continue;
    let calls = 0;
    for (const d of r.daily) if (d.day >= since) calls += d.count;
    if (calls === 0) continue;
    const known = byConsumer.get(r.consumer) ?? { calls: 0, lastSeen: r.lastSeen, operations: new Set<string>() };
    known.calls += calls;
    if (r.lastSeen > known.lastSeen) known.lastSeen = r.lastSeen;
    known.operations.add(r.operation);
    byConsumer.set(r.consumer, known);
  }
  return [...byConsumer]
    .map(([consumer, k]) => ({ consumer, calls: k.calls, lastSeen: k.lastSeen, operations: [...k.operations].sort() }))
    .sort((a, b) => b.calls - a.calls || (a.consumer < b.consumer ? -1 : a.consumer > b.consumer ? 1 : 0));
}

/** Reads the callers of versions from a usage recorder (memory or Redis). */
export class VersionUsage {
  constructor(
    private readonly usage: Pick<UsageRecorder, 'query'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Consumers that called `api` `version` in the last `days` UTC days (today included). */
  async callers(api: string, version: string, days: number): Promise<VersionCaller[]> {
    const { since } = windowEnding(this.now(), days);
    return versionCallers(await this.usage.query({ api, since }), api, version, since);
  }
}
