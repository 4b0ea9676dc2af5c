/** The default format, for people at a terminal: findings grouped by file, then by operation. */
import { isAtLeast, type Finding, type Severity } from '../../governance/findings.js';
import { countBySeverity, displayPath, findingsByFile, groupByOperation, describeAffects, isShared, type RenderOptions, type Report } from './report.js';

/** ANSI SGR codes; applied only when the caller says the stream shows colour. */
const SGR = { bold: 1, dim: 2, red: 31, yellow: 33, blue: 34, cyan: 36, green: 32 } as const;

function paint(enabled: boolean, code: keyof typeof SGR, text: string): string {
  return enabled ? `\u001b[${SGR[code]}m${text}\u001b[0m` : text;
}

const SEVERITY_COLOUR: Record<Severity, keyof typeof SGR> = { error: 'red', warn: 'yellow', info: 'blue', hint: 'dim' };

const WHOLE_DOCUMENT = '(document)';

function position(finding: Finding): string {
  const { line, column } = finding.location;
  if (line === undefined) return '-';
  return column === undefined ? String(line) : `${line}:${column}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summary(report: Report, color: boolean): string {
  const total = report.findings.length;
  const fileCount = new Set(report.files).size;
  if (total === 0 && fileCount === 0) return paint(color, 'green', 'No files to check.');
  if (total === 0) return paint(color, 'green', `No findings in ${plural(fileCount, 'file')}.`);
  const counts = countBySeverity(report.findings);
  const parts = (['error', 'warn', 'info', 'hint'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const failing = report.findings.filter((f) => isAtLeast(f.severity, report.failThreshold)).length;
  const filesWithFindings = new Set(report.findings.map((f) => f.location.file)).size;
  const head = `${plural(total, 'finding')} (${parts.join(', ')}) in ${filesWithFindings} of ${plural(Math.max(fileCount, filesWithFindings), 'file')}`;
  const verdict = failing > 0
    ? paint(color, 'red', `failed: ${failing} at or above ${report.failThreshold}`)
    : paint(color, 'green', `passed: none at or above ${report.failThreshold}`);
  return `${head}; ${verdict}.`;
}

/**
 * Renders the text format. Columns are aligned within each file; files without findings are
 * left out, and a last line sums up and says whether the threshold was crossed.
 */
export function renderText(report: Report, options: RenderOptions): string {
  const color = options.color;
  const lines: string[] = [];
  for (const { file, findings } of findingsByFile(report)) {
    if (findings.length === 0) continue;
    const posWidth = Math.max(...findings.map((f) => position(f).length));
    const sevWidth = Math.max(...findings.map((f) => f.severity.length));
    const idWidth = Math.max(...findings.map((f) => f.id.length));
    lines.push(paint(color, 'bold', displayPath(file, options.cwd)));
    for (const group of groupByOperation(findings)) {
      lines.push(`  ${paint(color, 'cyan', group.operation ?? WHOLE_DOCUMENT)}`);
      for (const finding of group.findings) {
        const pos = position(finding).padEnd(posWidth);
        const sev = paint(color, SEVERITY_COLOUR[finding.severity], finding.severity.padEnd(sevWidth));
        const id = paint(color, 'dim', finding.id.padEnd(idWidth));
        // A line break inside a message would break the columns; one finding stays on one line.
        lines.push(`    ${pos}  ${sev}  ${id}  ${finding.message.replace(/\s*\r?\n\s*/g, ' ')}`);
        if (isShared(finding)) {
          const indent = ' '.repeat(4 + posWidth + 2 + sevWidth + 2 + idWidth + 2);
          for (const place of describeAffects(finding)) lines.push(`${indent}${paint(color, 'dim', `affects ${place}`)}`);
        }
      }
    }
    lines.push('');
  }
  lines.push(summary(report, color));
  return lines.join('\n') + '\n';
}
