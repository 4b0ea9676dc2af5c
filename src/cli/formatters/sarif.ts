/** SARIF 2.1.0 output for code scanning (GitHub and others): one run, rule metadata, one result per finding. */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../../governance/findings.js';
import { describePlace, displayPath, findingsByFile, type RenderOptions, type Report, type RuleMeta } from './report.js';
import { readToolIdentity } from './tool-identity.js';

/** The schema URI of the approved SARIF 2.1.0 (errata 01) specification. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** The base that artifact URIs are relative to: the repository root (where the tool ran). */
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

/** SARIF has no level below `note`; a hint is still worth showing, so it maps to `note` too. */
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warn: 'warning', info: 'note', hint: 'note' };

/** A relative path as a URI reference: every segment percent-encoded (`{id}` -> `%7Bid%7D`). */
function toUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** `git:REF:PATH` (a file as it was at a commit) -> REF and PATH. */
const GIT_FILE = /^git:([^:]*):(.+)$/;

function physicalLocation(location: Finding['location'], cwd: string): Record<string, unknown> {
  // Code scanning places a result only with a start line; a finding with no known line
  // concerns the whole document, whose first line stands for it.
  const region: Record<string, number> = { startLine: location.line ?? 1 };
  if (location.line !== undefined && location.column !== undefined) region.startColumn = location.column;
  // A file at an older commit is linked at its repository path; the message names the commit.
  const path = GIT_FILE.exec(location.file)?.[2] ?? displayPath(location.file, cwd);
  // A file outside the repository cannot be relative to its root: give its absolute file URI.
  const artifactLocation = isAbsolute(path) ? { uri: pathToFileURL(path).href } : { uri: toUri(path), uriBaseId: SRCROOT };
  return { artifactLocation, region };
}

/** Rules of the report first (in order), then any rule a finding names that the report did not describe. */
function ruleList(report: Report): RuleMeta[] {
  const rules = new Map<string, RuleMeta>();
  for (const rule of report.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const extra = new Map<string, RuleMeta>();
  for (const finding of report.findings) {
    if (!rules.has(finding.id) && !extra.has(finding.id)) {
      extra.set(finding.id, { id: finding.id, severity: finding.severity, description: finding.id });
    }
  }
  return [...rules.values(), ...[...extra.values()].sort((a, b) => (a.id < b.id ? -1 : 1))];
}

function descriptor(rule: RuleMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: rule.id,
    shortDescription: { text: rule.description || rule.id },
    defaultConfiguration: { level: LEVEL[rule.severity] },
  };
  if (rule.helpUri) out.helpUri = rule.helpUri;
  return out;
}

function result(finding: Finding, ruleIndex: number, cwd: string): Record<string, unknown> {
  const location: Record<string, unknown> = { physicalLocation: physicalLocation(finding.location, cwd) };
  if (finding.operation) location.logicalLocations = [{ fullyQualifiedName: finding.operation, kind: 'function' }];
  const out: Record<string, unknown> = {
    ruleId: finding.id,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [location],
  };
  const related: Array<Record<string, unknown>> = [];
  if (finding.baseLocation) {
    const ref = GIT_FILE.exec(finding.baseLocation.file)?.[1];
    const text = ref ? `In the base version (at ${ref})` : 'In the base version';
    related.push({ id: 1, physicalLocation: physicalLocation(finding.baseLocation, cwd), message: { text } });
  }
  // One result per cause: each operation and place a shared schema's change reaches is a related location.
  if (finding.affects && finding.affects.length > 1) {
    for (const place of finding.affects) {
      const entry: Record<string, unknown> = { id: related.length + 1, message: { text: `Affects ${describePlace(place)}` }, logicalLocations: [{ fullyQualifiedName: place.operation, kind: 'function' }] };
      if (place.location) entry.physicalLocation = physicalLocation(place.location, cwd);
      related.push(entry);
    }
  }
  if (related.length > 0) out.relatedLocations = related;
  out.properties = { source: finding.source };
  return out;
}

/** Renders a SARIF 2.1.0 log (pretty-printed JSON) that validates against the OASIS schema. */
export function renderSarif(report: Report, options: RenderOptions): string {
  const tool = readToolIdentity();
  const rules = ruleList(report);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = findingsByFile(report).flatMap(({ findings }) =>
    findings.map((finding) => result(finding, index.get(finding.id) ?? -1, options.cwd)),
  );
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            rules: rules.map(descriptor),
          },
        },
        automationDetails: { id: `accord/${report.tool}/` },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
