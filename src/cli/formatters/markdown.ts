/**
 * A Markdown changelog for people (release notes, pull-request comments): per file, the breaking
 * changes, the deprecations and the other changes, each grouped by operation.
 */
import type { Finding } from '../../governance/findings.js';
import { describeAffects, displayPath, findingsByFile, groupByOperation, isBreakingChange, isShared, type RenderOptions, type Report, type RuleMeta } from './report.js';

type Section = 'breaking' | 'deprecations' | 'other' | 'problems';

const HEADINGS: Record<Section, string> = {
  breaking: 'Breaking changes',
  deprecations: 'Deprecations',
  other: 'Additions and other changes',
  problems: 'Lint and policy findings',
};

const SECTION_ORDER: readonly Section[] = ['breaking', 'deprecations', 'other', 'problems'];

/**
 * Which section a finding belongs in. A breaking change stays one even when the gate accepted it
 * (a new major version); diff check IDs that mark something deprecated say so in their name
 * (oasdiff's convention, e.g. `endpoint-deprecated`).
 */
function sectionOf(finding: Finding, rules: readonly RuleMeta[] | undefined): Section {
  if (finding.source !== 'diff') return 'problems';
  if (isBreakingChange(finding, rules)) return 'breaking';
  if (/deprecat/.test(finding.id)) return 'deprecations';
  return 'other';
}

/** Backslash-escapes the characters Markdown would read as formatting, and folds line breaks. */
function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

function item(finding: Finding, section: Section): string {
  const notes: string[] = [`\`${finding.id}\``];
  if (finding.source !== 'diff') notes.unshift(finding.severity);
  else if (finding.severity === 'warn' && section !== 'breaking') notes.unshift('possibly breaking');
  if (finding.location.line !== undefined) notes.push(`line ${finding.location.line}`);
  return `${escapeMarkdown(finding.message)} (${notes.join(', ')})`;
}

function renderSection(findings: Finding[], section: Section): string[] {
  const lines: string[] = [];
  for (const group of groupByOperation(findings)) {
    if (group.operation === undefined) {
      for (const finding of group.findings) lines.push(`- ${item(finding, section)}`);
      continue;
    }
    lines.push(`- \`${group.operation.replace(/`/g, "'")}\``);
    for (const finding of group.findings) {
      lines.push(`  - ${item(finding, section)}`);
      if (isShared(finding)) for (const place of describeAffects(finding)) lines.push(`    - affects ${escapeMarkdown(place)}`);
    }
  }
  return lines;
}

/** Renders the Markdown changelog; files without findings are listed as unchanged at the end. */
export function renderMarkdown(report: Report, options: RenderOptions): string {
  const title = report.tool === 'lint' ? '# Lint report' : '# API changelog';
  const lines: string[] = [title, ''];
  const quiet: string[] = [];
  for (const { file, findings } of findingsByFile(report)) {
    const path = displayPath(file, options.cwd);
    if (findings.length === 0) {
      quiet.push(path);
      continue;
    }
    lines.push(`## ${escapeMarkdown(path)}`, '');
    for (const section of SECTION_ORDER) {
      const inSection = findings.filter((f) => sectionOf(f, report.rules) === section);
      if (inSection.length === 0) continue;
      lines.push(`### ${HEADINGS[section]}`, '', ...renderSection(inSection, section), '');
    }
  }
  if (quiet.length > 0) {
    const what = report.tool === 'lint' ? 'No findings' : 'No changes';
    lines.push(`${what} in: ${quiet.map((p) => `\`${p.replace(/`/g, "'")}\``).join(', ')}.`, '');
  }
  if (report.findings.length === 0 && quiet.length === 0) {
    lines.push(report.tool === 'lint' ? 'No findings.' : 'No changes.', '');
  }
  return lines.join('\n');
}
