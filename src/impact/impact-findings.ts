/**
 * An impact report as findings, for the shared formatters (SARIF for code scanning): one finding
 * per change, at the level of its impact: its own severity when it affects a consumer, `info`
 * when no consumer seen in the window is affected.
 */
import type { Finding } from '../governance/findings.js';
import { isAffecting, type ImpactReport } from './impact-report.js';
import { changeTarget } from './format-impact.js';

/**
 * `revisionFile`: the local file the proposal was read from; findings located in the proposal (the
 * registry names it `<api>/proposal.<ext>`) point at it instead.
 */
export function impactFindings(report: ImpactReport, revisionFile?: string): Finding[] {
  const proposal = new RegExp(`^${report.api.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/proposal\\.(yaml|json)$`);
  return report.changes.map((change): Finding => {
    const affected = change.consumers.filter((c) => c.evidence !== 'none');
    const who = affected.length === 0 ? 'no consumer seen in the window is affected' : `affects ${affected.map((c) => `${c.id} (${c.evidence}, ${c.calls} call${c.calls === 1 ? '' : 's'})`).join(', ')}`;
    const target = changeTarget(change);
    const location = revisionFile !== undefined && proposal.test(change.location.file) ? { ...change.location, file: revisionFile } : change.location;
    return {
      id: change.id,
      severity: isAffecting(change) ? change.severity : 'info',
      message: `${change.message}: ${who}${target ? ` [${target}]` : ''}`,
      source: 'diff',
      operation: change.operation,
      location,
    };
  });
}
