/** `accord drift --format text|markdown`: a drift report for people (json is the report itself). */
import type { DriftReport } from './drift-recorder.js';

function head(report: DriftReport): string {
  return `contract drift from ${report.window.since} to ${report.window.until} (counted by ${report.window.granularity}): ${report.violations} response${report.violations === 1 ? '' : 's'} broke the contract`;
}

/** Renders a report as text: one block per site, the most violations first. */
export function formatDriftText(report: DriftReport): string {
  const lines = [head(report)];
  if (report.entries.length === 0) lines.push('no drift in the window');
  for (const e of report.entries) {
    lines.push('', `${e.api} ${e.version} ${e.operation}  <-  ${e.target}`);
    lines.push(`  ${e.count} in the window (${e.total} in all, mode ${e.mode}), first seen ${e.firstSeen}, last seen ${e.lastSeen}`);
    for (const x of e.examples) lines.push(`  ${x.pointer || '/'}  ${x.message}  (${x.count}×)`);
    if (e.otherViolations > 0) lines.push(`  … ${e.otherViolations} violations at other pointers`);
  }
  if (report.dropped > 0) lines.push('', `${report.dropped} broken responses of further sites are not shown: the report tracks its maximum of sites`);
  return `${lines.join('\n')}\n`;
}

/** Markdown cells: pipes and line breaks escaped. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
const code = (text: string): string => `\`${cell(text).replace(/`/g, "'")}\``;

/** Renders a report as a Markdown table (for an issue or a chat message to the API owner). */
export function formatDriftMarkdown(report: DriftReport): string {
  const lines = [`## Contract drift`, '', cell(head(report)), ''];
  if (report.entries.length === 0) return `${[...lines, 'No drift in the window.'].join('\n')}\n`;
  lines.push('| API | Version | Operation | Upstream target | In window | Total | First seen | Last seen | Examples |', '|---|---|---|---|---:|---:|---|---|---|');
  for (const e of report.entries) {
    const examples = e.examples.map((x) => `${code(x.pointer || '/')} ${cell(x.message)} (${x.count})`).join('<br>') + (e.otherViolations > 0 ? `<br>… ${e.otherViolations} more` : '');
    lines.push(`| ${cell(e.api)} | ${cell(e.version)} | ${code(e.operation)} | ${code(e.target)} | ${e.count} | ${e.total} | ${e.firstSeen} | ${e.lastSeen} | ${examples} |`);
  }
  if (report.dropped > 0) lines.push('', `${report.dropped} broken responses of further sites are not shown.`);
  return `${lines.join('\n')}\n`;
}
