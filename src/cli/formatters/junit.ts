/**
 * JUnit XML for CI test reports (GitLab, Jenkins, Azure): one testsuite per file, one testcase per
 * rule and operation, a failure where a finding is at or above the threshold.
 */
import { isAtLeast, type Finding } from '../../governance/findings.js';
import { describeAffects, displayPath, findingsByFile, isShared, SHARED_SCHEMAS, type RenderOptions, type Report } from './report.js';

/** Characters XML 1.0 cannot carry at all, removed rather than escaped. */
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** In attributes, line breaks would be normalised to spaces by parsers; keep them as references. */
function xmlAttr(text: string): string {
  return xml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

interface TestCase {
  name: string;
  findings: Finding[];
}

/** Findings of one file grouped by (rule, operation) in order of first appearance. */
function testCases(findings: Finding[]): TestCase[] {
  const cases = new Map<string, TestCase>();
  for (const finding of findings) {
    const name = `${finding.id}: ${isShared(finding) ? SHARED_SCHEMAS : (finding.operation ?? '(document)')}`;
    const existing = cases.get(name);
    if (existing) existing.findings.push(finding);
    else cases.set(name, { name, findings: [finding] });
  }
  return [...cases.values()];
}

function detail(finding: Finding): string {
  const line = finding.location.line === undefined ? '' : `line ${finding.location.line}: `;
  const pointer = finding.location.pointer === '' ? '' : ` (#${finding.location.pointer})`;
  const affects = isShared(finding) ? describeAffects(finding).map((place) => `\n  affects ${place}`).join('') : '';
  return `${line}${finding.severity}: ${finding.message}${pointer}${affects}`;
}

/** Renders JUnit XML. Files without findings get one passing testcase, so a clean run still counts. */
export function renderJunit(report: Report, options: RenderOptions): string {
  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  for (const { file, findings } of findingsByFile(report)) {
    const path = displayPath(file, options.cwd);
    const cases = testCases(findings);
    const body: string[] = [];
    let failures = 0;
    if (cases.length === 0) {
      body.push(`    <testcase classname="${xmlAttr(path)}" name="${xmlAttr(`${report.tool}: no findings`)}"/>`);
    }
    for (const testCase of cases) {
      const failing = testCase.findings.filter((f) => isAtLeast(f.severity, report.failThreshold));
      const open = `    <testcase classname="${xmlAttr(path)}" name="${xmlAttr(testCase.name)}">`;
      if (failing.length > 0) {
        failures += 1;
        const first = failing[0]!;
        body.push(open);
        body.push(
          `      <failure type="${xmlAttr(first.severity)}" message="${xmlAttr(first.message)}">` +
            `${xml(testCase.findings.map(detail).join('\n'))}</failure>`,
        );
        body.push('    </testcase>');
      } else {
        // Below the threshold: the testcase passes, and the findings stay readable in its output.
        body.push(open);
        body.push(`      <system-out>${xml(testCase.findings.map(detail).join('\n'))}</system-out>`);
        body.push('    </testcase>');
      }
    }
    const tests = Math.max(cases.length, 1);
    totalTests += tests;
    totalFailures += failures;
    suites.push(
      `  <testsuite name="${xmlAttr(path)}" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
      ...body,
      '  </testsuite>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="accord ${report.tool}" tests="${totalTests}" failures="${totalFailures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
