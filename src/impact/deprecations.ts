/**
 * Who still calls what is deprecated: per consumer, the operations of deprecated versions and the
 * operations marked `deprecated: true` in served versions that it called in a window, with calls,
 * last call, sunset and successor. Joined from the registry and the usage records.
 */
import { isObject } from '../contracts/openapi-document.js';
import { loadOpenApi } from '../contracts/openapi-document.js';
import type { VersionRecord } from '../registry/model.js';
import { registeredName } from '../registry/register-version.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { UsageRecorder } from '../usage/usage-recorder.js';
import type { ConsumerContact } from './impact-report.js';
import { windowEnding, type ImpactWindow } from './impact-window.js';

/** One deprecated operation a consumer called. */
export interface DeprecatedUse {
  api: string;
  version: string;
  operation: string;
  calls: number;
  lastSeen: string;
  /** The whole version is deprecated, or only this operation (`deprecated: true` in the contract). */
  reason: 'version-deprecated' | 'operation-deprecated';
  sunset?: string;
  successor?: string;
}

/** The report: consumers (most calls first) and what deprecated they still call. */
export interface DeprecationReport {
  window: ImpactWindow;
  consumers: Array<{ consumer: string; contact?: string; operations: DeprecatedUse[] }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Usage names (operationId, else `METHOD template`) of the operations a document marks deprecated. */
function deprecatedOperations(record: VersionRecord, document: string): Set<string> {
  const names = new Set<string>();
  const doc = loadOpenApi(registeredName(record.api, record.version, record.format), {
    text: document,
    reader: () => {
      throw new Error('a registered document is self-contained');
    },
  });
  const paths = doc.data.paths;
  if (!isObject(paths)) return names;
  for (const [template, raw] of Object.entries(paths)) {
    const item = doc.deref<unknown>(raw, doc.file, '/paths').value;
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op) || op.deprecated !== true) continue;
      names.add(typeof op.operationId === 'string' && op.operationId !== '' ? op.operationId : `${method.toUpperCase()} ${template}`);
    }
  }
  return names;
}

/** Builds the report for one API or all, over the `days` UTC days ending at `now`. */
export async function deprecationReport(
  deps: { readonly registry: RegistryService; readonly usage: Pick<UsageRecorder, 'query'>; readonly consumers: readonly ConsumerContact[] },
  request: { readonly api?: string; readonly windowDays: number },
  now: number,
): Promise<DeprecationReport> {
  const window = windowEnding(now, request.windowDays);
  // What is deprecated, per API and version: every operation (undefined), or a set of operations.
  const deprecated = new Map<string, { record: VersionRecord; operations: Set<string> | undefined }>();
  for (const summary of await deps.registry.list(request.api)) {
    for (const v of summary.versions) {
      if (v.status === 'retired') continue;
      if (v.status === 'deprecated') {
        deprecated.set(`${v.api}\n${v.version}`, { record: v, operations: undefined });
        continue;
      }
      const shown = await deps.registry.show(v.api, v.version);
      if (!shown) continue;
      let operations: Set<string>;
      try {
        operations = deprecatedOperations(v, shown.document);
      } catch {
        continue; // Registered documents parsed at registration; one that no longer does is not this report's to judge.
      }
      if (operations.size > 0) deprecated.set(`${v.api}\n${v.version}`, { record: v, operations });
    }
  }
  const byConsumer = new Map<string, Map<string, DeprecatedUse>>();
  if (deprecated.size > 0) {
    const usage = await deps.usage.query({ ...(request.api !== undefined ? { api: request.api } : {}), since: window.since });
    for (const r of usage.records) {
      const found = deprecated.get(`${r.api}\n${r.version}`);
      if (!found || (found.operations !== undefined && !found.operations.has(r.operation))) continue;
      let calls = 0;
      for (const d of r.daily) if (d.day >= window.since && d.day <= window.until) calls += d.count;
      if (calls === 0) continue;
      const uses = byConsumer.get(r.consumer) ?? new Map<string, DeprecatedUse>();
      byConsumer.set(r.consumer, uses);
      const key = `${r.api}\n${r.version}\n${r.operation}`;
      const use = uses.get(key);
      if (use) {
        use.calls += calls;
        if (r.lastSeen > use.lastSeen) use.lastSeen = r.lastSeen;
        continue;
      }
      const v = found.record;
      uses.set(key, {
        api: r.api,
        version: r.version,
        operation: r.operation,
        calls,
        lastSeen: r.lastSeen,
        reason: found.operations === undefined ? 'version-deprecated' : 'operation-deprecated',
        ...(v.sunset !== undefined ? { sunset: v.sunset } : {}),
        ...(v.successor !== undefined ? { successor: v.successor } : {}),
      });
    }
  }
  const contacts = new Map(deps.consumers.map((c) => [c.id, c.contact]));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const consumers = [...byConsumer].map(([consumer, uses]) => {
    const contact = contacts.get(consumer);
    const operations = [...uses.values()].sort((a, b) => cmp(a.api, b.api) || cmp(a.version, b.version) || cmp(a.operation, b.operation));
    return { consumer, ...(contact !== undefined ? { contact } : {}), operations };
  });
  const total = (c: { operations: DeprecatedUse[] }): number => c.operations.reduce((n, o) => n + o.calls, 0);
  consumers.sort((a, b) => total(b) - total(a) || cmp(a.consumer, b.consumer));
  return { window, consumers };
}

/** The report as text: one block per consumer. */
export function formatDeprecationsText(report: DeprecationReport): string {
  const lines = [`deprecated operations called ${report.window.since}..${report.window.until} (${report.window.days} day${report.window.days === 1 ? '' : 's'})`];
  if (report.consumers.length === 0) lines.push('no consumer called a deprecated operation in the window');
  for (const c of report.consumers) {
    lines.push('', `${c.consumer}${c.contact ? ` <${c.contact}>` : ''}`);
    for (const o of c.operations) {
      const sunset = o.sunset ? `, sunset ${o.sunset}` : ', no sunset set';
      const successor = o.successor ? `, successor ${o.successor}` : '';
      lines.push(`  - ${o.api} ${o.version} ${o.operation}: ${o.calls} call${o.calls === 1 ? '' : 's'}, last ${o.lastSeen} (${o.reason === 'version-deprecated' ? 'version deprecated' : 'operation deprecated'}${sunset}${successor})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function md(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** The report as Markdown: one table. */
export function formatDeprecationsMarkdown(report: DeprecationReport): string {
  const out = [`## Deprecated operations in use`, '', `Window ${report.window.since}..${report.window.until} (${report.window.days} days).`, ''];
  if (report.consumers.length === 0) return `${[...out, 'No consumer called a deprecated operation in the window.', ''].join('\n')}`;
  out.push('| consumer | contact | API | version | operation | calls | last call | why | sunset | successor |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const c of report.consumers) {
    for (const o of c.operations) {
      out.push(`| ${md(c.consumer)} | ${md(c.contact ?? '')} | ${md(o.api)} | ${md(o.version)} | ${md(o.operation)} | ${o.calls} | ${o.lastSeen} | ${o.reason} | ${o.sunset ?? ''} | ${md(o.successor ?? '')} |`);
    }
  }
  return `${[...out, ''].join('\n')}`;
}
