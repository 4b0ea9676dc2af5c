/** GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff. */
import { isAtLeast, type Finding, type Severity } from '../../governance/findings.js';
import { describeAffects, displayPath, findingsByFile, isShared, type RenderOptions, type Report } from './report.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warn: 'warning', info: 'notice', hint: 'notice' };

/** Escapes the message part of a workflow command (GitHub's rule: `%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command: as data, plus `:` and `,`, which delimit properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(finding: Finding, cwd: string): string {
  const props = [`file=${escapeProperty(displayPath(finding.location.file, cwd))}`];
  if (finding.location.line !== undefined) {
    props.push(`line=${finding.location.line}`);
    if (finding.location.column !== undefined) props.push(`col=${finding.location.column}`);
  }
  props.push(`title=${escapeProperty(finding.id)}`);
  const message = isShared(finding)
    ? `${finding.message}\naffects ${describeAffects(finding).join('\n        ')}`
    : finding.operation
      ? `${finding.operation}: ${finding.message}`
      : finding.message;
  return `::${COMMAND[finding.severity]} ${props.join(',')}::${escapeData(message)}`;
}

/** Renders one workflow command per finding, then a plain summary line for the job log. */
export function renderGithub(report: Report, options: RenderOptions): string {
  const lines = findingsByFile(report).flatMap(({ findings }) => findings.map((f) => annotation(f, options.cwd)));
  const failing = report.findings.filter((f) => isAtLeast(f.severity, report.failThreshold)).length;
  lines.push(
    `accord ${report.tool}: ${report.findings.length} finding(s), ${failing} at or above ${report.failThreshold}` +
      ` in ${new Set(report.files).size} file(s)`,
  );
  return lines.join('\n') + '\n';
}
