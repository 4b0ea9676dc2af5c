/** `accord usage --format text`: a usage report for people, one block per operation. */
import { STATUS_CLASSES, type UsageReport } from './usage-record.js';

/** Renders a report as text. */
export function formatUsageText(report: UsageReport): string {
  const lines: string[] = [`usage from ${report.window.since} to ${report.window.until} (UTC days)`];
  const operations = new Map<string, { records: UsageReport['records']; fingerprints: UsageReport['fingerprints'] }>();
  const group = (api: string, operation: string) => {
    const key = `${api} ${operation}`;
    let g = operations.get(key);
    if (!g) operations.set(key, (g = { records: [], fingerprints: [] }));
    return g;
  };
  for (const r of report.records) group(r.api, r.operation).records.push(r);
  for (const f of report.fingerprints) group(f.api, f.operation).fingerprints.push(f);
  if (operations.size === 0) return `${lines[0]}\nno calls recorded\n`;
  for (const [key, { records, fingerprints }] of operations) {
    lines.push('', key);
    const consumers = new Map<string, { calls: number; classes: Map<string, number>; versions: Set<string>; last: string }>();
    for (const r of records) {
      let c = consumers.get(r.consumer);
      if (!c) consumers.set(r.consumer, (c = { calls: 0, classes: new Map(), versions: new Set(), last: '' }));
      c.calls += r.calls;
      c.classes.set(r.statusClass, (c.classes.get(r.statusClass) ?? 0) + r.calls);
      c.versions.add(r.version);
      if (r.lastSeen > c.last) c.last = r.lastSeen;
    }
    const width = Math.max(8, ...[...consumers.keys(), ...fingerprints.map((f) => f.consumer)].map((c) => c.length));
    for (const [consumer, c] of consumers) {
      const classes = STATUS_CLASSES.filter((s) => c.classes.has(s)).map((s) => `${s} ${c.classes.get(s)}`).join(', ');
      lines.push(`  ${consumer.padEnd(width)}  ${String(c.calls).padStart(6)} calls (${classes})  versions ${[...c.versions].join(', ')}  last seen ${c.last}`);
    }
    for (const f of fingerprints) {
      const sent = f.locations.map((l) => `${l.in === 'body' ? `body ${l.name || '(present)'}` : `${l.in} ${l.name}`} ${l.count}/${f.examined}`);
      for (const v of f.enumValues) sent.push(`${v.location.replace(':', ' ')} = ${JSON.stringify(v.value)} ${v.count}/${f.examined}`);
      if (f.undeclaredQuery > 0) sent.push(`undeclared query ${f.undeclaredQuery}/${f.examined}`);
      if (f.overflow > 0) sent.push(`overflow ${f.overflow}`);
      lines.push(`  ${f.consumer.padEnd(width)}  v${f.major} sends: ${sent.length > 0 ? sent.join(', ') : 'nothing but the path'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
