/** The impact report for people: plain text for a terminal, Markdown for a pull request or a changelog. */
import type { AffectedConsumer, ImpactChange, ImpactReport } from './impact-report.js';
import { isAffecting } from './impact-report.js';

/** How a change that names no operation is shown. */
const NO_OPERATION = '(no single operation)';

const LABEL: Record<ImpactChange['severity'], string> = { error: 'breaking', warn: 'possibly breaking', info: 'compatible', hint: 'hint' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function coverageLine(r: ImpactReport): string {
  const c = r.coverage;
  const overflow = c.overflowed ? '; some fingerprints overflowed their cap, so field evidence degraded to operation for them' : '';
  return `window ${r.window.since}..${r.window.until} (${plural(r.window.days, 'day')}); observed ${plural(c.days, 'day')}, ${plural(c.requests, 'request')}${overflow}`;
}

/** Consumers affected by some change (evidence field or operation), by id. */
function affectedIds(changes: readonly ImpactChange[]): string[] {
  return [...new Set(changes.flatMap((c) => c.consumers.filter((k) => k.evidence !== 'none').map((k) => k.id)))].sort();
}

function summary(r: ImpactReport): string {
  const breaking = r.changes.filter((c) => c.severity === 'error');
  const hurting = breaking.filter(isAffecting);
  if (r.changes.length === 0) return 'No breaking or possibly breaking change.';
  if (hurting.length === 0) return `${plural(breaking.length, 'breaking change')}; none affects a consumer seen in the window.`;
  const ids = affectedIds(hurting);
  return `${hurting.length} of ${plural(breaking.length, 'breaking change')} ${hurting.length === 1 ? 'affects' : 'affect'} ${plural(ids.length, 'consumer')}: ${ids.join(', ')}.`;
}

/** `body:/reason = "fraud-suspected"` for a removed enum value, `response 2xx` for a response change, else the field. */
export function changeTarget(c: ImpactChange): string | undefined {
  if (c.field !== undefined) return c.values !== undefined ? `${c.field} = ${c.values.map((v) => JSON.stringify(v)).join(' | ')}` : c.field;
  return c.statusClass !== undefined ? `${c.statusClass} responses` : undefined;
}

function consumerText(k: AffectedConsumer): string {
  const contact = k.contact ? ` <${k.contact}>` : '';
  const note = k.note ? ` - ${k.note}` : '';
  return `${k.id}${contact}: ${k.evidence}, ${plural(k.calls, 'call')}, last seen ${k.lastSeen}${note}`;
}

/** Plain text, one block per change. */
export function formatImpactText(r: ImpactReport): string {
  const lines = [`${r.api} ${r.base} -> ${r.revision}: ${coverageLine(r)}`, ''];
  for (const c of r.changes) {
    const target = changeTarget(c);
    const field = target ? ` [${target}]` : '';
    lines.push(`${LABEL[c.severity]}  ${c.id}  ${c.operation || NO_OPERATION}${field}`);
    lines.push(`  ${c.message}${c.where ? ` (${c.where}${c.path ? `: ${c.path}` : ''})` : ''}`);
    if (c.note) lines.push(`  note: ${c.note}`);
    if (c.consumers.length === 0) lines.push('  no consumer called this operation in the window');
    for (const k of c.consumers) lines.push(`  - ${consumerText(k)}`);
    lines.push('');
  }
  lines.push(summary(r));
  return `${lines.join('\n')}\n`;
}

function md(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** Markdown: a summary, then a table of consumers per change. */
export function formatImpactMarkdown(r: ImpactReport): string {
  const out = [`## Consumer impact: ${md(r.api)} ${md(r.base)} → ${md(r.revision)}`, '', `${md(coverageLine(r))}.`, '', `**${md(summary(r))}**`, ''];
  for (const c of r.changes) {
    const target = changeTarget(c);
    out.push(`### ${LABEL[c.severity]}: \`${c.id}\` on ${c.operation ? `\`${c.operation}\`` : NO_OPERATION}${target ? ` (\`${target}\`)` : ''}`, '', md(c.message), '');
    if (c.note) out.push(`> ${md(c.note)}`, '');
    if (c.consumers.length === 0) {
      out.push('No consumer called this operation in the window.', '');
      continue;
    }
    out.push('| consumer | contact | evidence | calls | first seen | last seen | note |', '|---|---|---|---|---|---|---|');
    for (const k of c.consumers) out.push(`| ${md(k.id)} | ${md(k.contact ?? '')} | ${k.evidence} | ${k.calls} | ${k.firstSeen} | ${k.lastSeen} | ${md(k.note ?? '')} |`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
