/**
 * The CLI's registry over the admin API (`--admin-url`, bearer token from ACCORD_TOKEN). HTTP
 * answers map onto the same results as `--local`; a refused or failed request is a UsageError
 * (exit 2) naming the status and the problem's detail.
 */
import type { Finding } from '../governance/findings.js';
import type { AuditPage, VersionRecord } from '../registry/model.js';
import type { RegistryClient } from '../registry/registry-client.js';
import type { ApiSummary } from '../registry/registry-service.js';
import { UsageError } from './exit-codes.js';

interface Problem {
  code?: string;
  detail?: string;
  findings?: Finding[];
  errors?: Array<{ pointer: string; message: string }>;
}

/** A registry client for the admin API at `baseUrl` (e.g. http://127.0.0.1:9080). */
export function adminRegistryClient(baseUrl: string, token: string | undefined, fetchImpl: typeof fetch = fetch): RegistryClient {
  const root = baseUrl.replace(/\/+$/, '');
  const call = async (method: string, path: string, init: { body?: string; contentType?: string; accept?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string; json: () => unknown }> => {
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json', ...init.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.contentType) headers['content-type'] = init.contentType;
    let response: Response;
    try {
      response = await fetchImpl(`${root}${path}`, { method, headers, body: init.body, signal: AbortSignal.timeout(60_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      // undici wraps the socket error; its errno code is what a user recognises.
      const reason = cause?.code ?? /\b(E[A-Z]{3,})\b/.exec(cause?.message ?? '')?.[1] ?? cause?.message ?? (error as Error).message;
      throw new UsageError(`cannot reach the admin API at ${root} (${reason}); is \`accord serve\` running, or use --local`);
    }
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) as unknown };
  };
  const refuse = (status: number, text: string): never => {
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as Problem;
      detail = `${problem.code ?? status}: ${problem.detail ?? ''}`;
    } catch {
      // Not a problem document: show the start of the body.
    }
    if (status === 401) throw new UsageError(`the admin API refused the request (401 ${detail}); set ACCORD_TOKEN to a token with scope accord:admin or of an API owner`);
    throw new UsageError(`the admin API refused the request (${status} ${detail})`);
  };
  const enc = encodeURIComponent;
  return {
    async register(api, document, overrideReason) {
      const trimmed = document.replace(/^\uFEFF/, '').trimStart();
      const r = await call('POST', `/admin/apis/${enc(api)}/versions`, {
        body: document,
        contentType: trimmed.startsWith('{') ? 'application/json' : 'application/yaml',
        headers: overrideReason !== undefined ? { 'accord-override-reason': overrideReason } : {},
      });
      if (r.status === 201 || r.status === 200) {
        const body = r.json() as { version: VersionRecord; findings: Finding[]; overridden?: boolean; identical?: boolean };
        return body.identical ? { kind: 'identical', record: body.version } : { kind: 'created', record: body.version, findings: body.findings, overridden: body.overridden === true };
      }
      const problem = (() => {
        try {
          return r.json() as Problem;
        } catch {
          return {} as Problem;
        }
      })();
      if (r.status === 422 && (problem.code === 'GOVERNANCE_REJECTED' || problem.code === 'BREAKING_CHANGE_IN_USE' || problem.code === 'BREAKING_CHANGE_UNPROVEN')) return { kind: 'rejected', findings: problem.findings ?? [] };
      if (r.status === 409 && problem.code === 'VERSION_CONFLICT') return { kind: 'conflict', detail: problem.detail ?? 'version conflict' };
      if (r.status === 400 && problem.code === 'CONTRACT_UNUSABLE') {
        const where = problem.errors?.[0];
        return { kind: 'invalid', detail: where ? `${where.message} (${where.pointer})` : (problem.detail ?? 'unusable document') };
      }
      return refuse(r.status, r.text);
    },
    async list(api) {
      const r = await call('GET', '/admin/apis');
      if (r.status !== 200) return refuse(r.status, r.text);
      const all = (r.json() as { apis: ApiSummary[] }).apis;
      return api === undefined ? all : all.filter((a) => a.api === api);
    },
    async show(api, version) {
      const meta = await call('GET', `/admin/apis/${enc(api)}/versions/${enc(version)}`);
      if (meta.status === 404) return undefined;
      if (meta.status !== 200) return refuse(meta.status, meta.text);
      const doc = await call('GET', `/admin/apis/${enc(api)}/versions/${enc(version)}/document`, { accept: '*/*' });
      if (doc.status !== 200) return refuse(doc.status, doc.text);
      return { record: meta.json() as VersionRecord, document: doc.text };
    },
    async diff(api, base, revision) {
      const r = await call('GET', `/admin/apis/${enc(api)}/diff?base=${enc(base)}&revision=${enc(revision)}`);
      if (r.status === 404) {
        const detail = (r.json() as Problem).detail ?? '';
        return { kind: 'not-found', version: detail.includes(` ${base} `) ? base : revision };
      }
      if (r.status !== 200) return refuse(r.status, r.text);
      const body = r.json() as { breaking: boolean; changes: Finding[] };
      return { kind: 'diff', findings: body.changes, breaking: body.breaking };
    },
    async deprecate(api, version, deprecation) {
      const r = await call('POST', `/admin/apis/${enc(api)}/versions/${enc(version)}/deprecation`, { body: JSON.stringify(deprecation), contentType: 'application/json' });
      if (r.status === 200) return { kind: 'changed', record: r.json() as VersionRecord };
      if ([400, 404, 409].includes(r.status)) return { kind: 'refused', detail: (r.json() as Problem).detail ?? String(r.status) };
      return refuse(r.status, r.text);
    },
    async retire(api, version, options = {}) {
      const body = options.force ? JSON.stringify({ force: true, ...(options.reason !== undefined ? { reason: options.reason } : {}) }) : undefined;
      const r = await call('POST', `/admin/apis/${enc(api)}/versions/${enc(version)}/retirement`, body !== undefined ? { body, contentType: 'application/json' } : undefined);
      if (r.status === 200) return { kind: 'changed', record: r.json() as VersionRecord };
      if ([400, 404, 409].includes(r.status)) return { kind: 'refused', detail: (r.json() as Problem).detail ?? String(r.status) };
      return refuse(r.status, r.text);
    },
    async audit(query) {
      const params = new URLSearchParams({ limit: String(query.limit) });
      if (query.after !== undefined) params.set('cursor', String(query.after));
      for (const key of ['api', 'actor', 'since', 'until'] as const) if (query[key] !== undefined) params.set(key, query[key]!);
      const r = await call('GET', `/admin/audit?${params}`);
      if (r.status !== 200) return refuse(r.status, r.text);
      const body = r.json() as { entries: AuditPage['entries']; next: string | null };
      return { entries: body.entries, ...(body.next !== null ? { next: Number(body.next) } : {}) };
    },
    async close() {
      // Nothing held between calls.
    },
  };
}
