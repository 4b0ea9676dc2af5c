/**
 * Turns the bench's per-round measurements into medians, ratios and Markdown tables, with the
 * machine they were measured on and the issue's targets for Accord.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';

/** Median of the finite numbers in `values` (NaN when there are none). */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU model, core count, Node version, kernel and date of this machine. */
export function describeMachine() {
  let model = os.cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // Not Linux: keep os.cpus()'s name.
  }
  return { cpuModel: model, cores: os.cpus().length, node: process.version, kernel: `${os.type()} ${os.release()}`, date: new Date().toISOString() };
}

/** The median figures of one variant and method over its runs. */
export function summarise(runs) {
  const pick = (name) => runs.map((run) => run[name]);
  const cpu = pick('cpuUsPerRequest').filter(Number.isFinite);
  const peaks = pick('peakMb').filter(Number.isFinite);
  return {
    runs: runs.length,
    requestsPerSecond: median(pick('requestsPerSecond')),
    p50Ms: median(pick('p50Ms')),
    p99Ms: median(pick('p99Ms')),
    cpuUsPerRequest: median(cpu),
    cpuMin: cpu.length ? Math.min(...cpu) : NaN,
    cpuMax: cpu.length ? Math.max(...cpu) : NaN,
    cpuBusy: median(pick('cpuBusy')),
    upstreamUsPerRequest: median(pick('upstreamUsPerRequest')),
    rssMb: median(pick('rssMb')),
    peakMb: peaks.length ? Math.max(...peaks) : NaN,
    non2xx: pick('non2xx').reduce((a, b) => a + b, 0),
    socketErrors: pick('socketErrors').reduce((a, b) => a + b, 0),
  };
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const ratio = (value, base) => (Number.isFinite(value) && Number.isFinite(base) && base > 0 ? `${(value / base).toFixed(2)}×` : '—');

/** One Markdown table of a method: a row per variant, ratios against `baselineId` and `directId`. */
export function methodTable(rows, { baselineId, directId }) {
  const base = rows.find((row) => row.id === baselineId)?.summary;
  const direct = rows.find((row) => row.id === directId)?.summary;
  const header = [
    'variant',
    'req/s',
    'req/s vs direct',
    'req/s vs hpm',
    'p50 ms',
    'p99 ms',
    'proxy CPU µs/req',
    'min–max',
    'CPU/req vs hpm',
    'proxy core busy',
    'upstream µs/req',
    'idle RSS MiB',
    'RSS MiB',
    'peak RSS MiB',
    'non-2xx / socket errors',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const { label, idleRssMb, summary: s } of rows) {
    const errors = s.non2xx + s.socketErrors > 0 ? `**${s.non2xx} / ${s.socketErrors}**` : '0 / 0';
    lines.push(
      `| ${[
        label,
        fixed(s.requestsPerSecond, 0),
        ratio(s.requestsPerSecond, direct?.requestsPerSecond),
        ratio(s.requestsPerSecond, base?.requestsPerSecond),
        fixed(s.p50Ms, 2),
        fixed(s.p99Ms, 2),
        fixed(s.cpuUsPerRequest, 0),
        Number.isFinite(s.cpuMin) ? `${fixed(s.cpuMin, 0)}–${fixed(s.cpuMax, 0)}` : '—',
        ratio(s.cpuUsPerRequest, base?.cpuUsPerRequest),
        Number.isFinite(s.cpuBusy) ? `${fixed(s.cpuBusy * 100, 0)} %` : '—',
        fixed(s.upstreamUsPerRequest, 0),
        fixed(idleRssMb, 0),
        fixed(s.rssMb, 0),
        fixed(s.peakMb, 0),
        errors,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** The issue's targets for Accord, checked against the same run's baseline: lines of text. */
export function targetLines(rowsByMethod, { baselineId, accordIds, maxCpuOverhead, maxRssMb }) {
  const lines = [];
  for (const [method, rows] of rowsByMethod) {
    const base = rows.find((row) => row.id === baselineId)?.summary;
    for (const row of rows.filter((r) => accordIds.includes(r.id))) {
      const overhead = row.summary.cpuUsPerRequest / base?.cpuUsPerRequest - 1;
      const cpuVerdict = Number.isFinite(overhead) ? `${overhead >= 0 ? '+' : ''}${(overhead * 100).toFixed(0)} % CPU/req vs Express+hpm (target ≤ +${maxCpuOverhead * 100} %: ${overhead <= maxCpuOverhead ? 'met' : 'NOT met'})` : 'CPU/req: no baseline';
      const rss = row.summary.peakMb;
      const rssVerdict = Number.isFinite(rss) ? `peak RSS ${rss.toFixed(1)} MiB (target ≤ ${maxRssMb} MiB: ${rss <= maxRssMb ? 'met' : 'NOT met'})` : 'RSS: unknown';
      lines.push(`- ${method}, ${row.label}: ${cpuVerdict}; ${rssVerdict}`);
    }
  }
  return lines;
}

/**
 * What Accord's policies cost over its own transport: each Accord variant against Express + hpm
 * with the same message construction (`transportId`), in CPU per request and peak RSS.
 */
export function policyCostLines(rowsByMethod, { transportId, accordIds }) {
  const lines = [];
  for (const [method, rows] of rowsByMethod) {
    const transport = rows.find((row) => row.id === transportId)?.summary;
    if (!transport) continue;
    for (const row of rows.filter((r) => accordIds.includes(r.id))) {
      const extra = row.summary.cpuUsPerRequest - transport.cpuUsPerRequest;
      if (!Number.isFinite(extra)) continue;
      const share = extra / transport.cpuUsPerRequest;
      lines.push(`- ${method}, ${row.label}: ${extra >= 0 ? '+' : ''}${extra.toFixed(0)} µs/req (${share >= 0 ? '+' : ''}${(share * 100).toFixed(0)} %) over the same transport; peak RSS ${fixed(row.summary.peakMb, 1)} vs ${fixed(transport.peakMb, 1)} MiB`);
    }
  }
  return lines;
}
