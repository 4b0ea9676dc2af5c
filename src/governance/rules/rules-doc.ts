/** Renders docs/rules-diff.md, the reference of every breaking-change check, from the registry. */
import type { CheckDefinition } from './check.js';

const BANNER = '<!-- Generated from src/governance/rules and each check\'s test fixture by `npm run docs:rules`. Do not edit by hand; a test checks it is current. -->';

/** A worked example of one check: the change (from its test fixture) and the finding Accord reports. */
export interface RuleExample {
  change: string;
  finding: string;
}

const LEVEL: Record<string, string> = { error: 'error (breaking)', warn: 'warn (possibly breaking)', info: 'info', hint: 'hint' };

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The Markdown reference: a summary per area, then one table row per check ID with its example. */
export function renderRulesDoc(checks: readonly CheckDefinition[], examples: ReadonlyMap<string, RuleExample>): string {
  const areas = new Map<string, CheckDefinition[]>();
  for (const check of checks) {
    const list = areas.get(check.area) ?? [];
    list.push(check);
    areas.set(check.area, list);
  }
  const counts = { error: 0, warn: 0, info: 0, hint: 0 } as Record<string, number>;
  for (const check of checks) counts[check.severity] = (counts[check.severity] ?? 0) + 1;
  const lines = [
    BANNER,
    '# Breaking-change checks (`accord diff`, `accord check`)',
    '',
    `${checks.length} checks: ${counts.error} error (breaking), ${counts.warn} warn (possibly breaking), ${counts.info} info (compatible changes, reported for changelogs).`,
    'IDs follow oasdiff wherever oasdiff has one. Each ID is also a Spectral rule name, so a ruleset can switch a check off',
    "(`rules: { request-parameter-removed: off }`) or re-level it (`'response-media-type-removed': warn`).",
    'Direction tells where the data flows: narrowing what a request accepts breaks clients, and so does widening what a response returns.',
    '',
  ];
  for (const [area, list] of [...areas].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`## ${area}`, '', '| ID | default severity | direction | detects | example (from the check fixture) |', '|---|---|---|---|---|');
    for (const check of [...list].sort((a, b) => a.id.localeCompare(b.id))) {
      const example = examples.get(check.id);
      const shown = example ? `${escapeCell(example.change)}; reports: ${escapeCell(example.finding)}` : '';
      lines.push(`| \`${check.id}\` | ${LEVEL[check.severity] ?? check.severity} | ${check.direction} | ${escapeCell(check.description)} | ${shown} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
