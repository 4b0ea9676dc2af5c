/**
 * Calls the admin listener for CLI commands: `--admin-url` (default http://127.0.0.1:<ADMIN_PORT or
 * 9080>), bearer token from ACCORD_TOKEN. A refusal or an unreachable listener is a UsageError (exit 2).
 */
import { UsageError } from './exit-codes.js';

/** The admin listener's URL from the flag, else the default on this machine. */
export function adminUrl(flag: string | undefined): URL {
  const text = flag ?? `http://127.0.0.1:${process.env.ADMIN_PORT || '9080'}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--admin-url: "${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--admin-url: "${text}" is not an http or https URL`);
  return url;
}

/** GETs `path` (with query) from the admin listener and returns the parsed JSON body. */
export function adminGet(base: URL, path: string, query: Record<string, string | undefined>): Promise<unknown> {
  return adminCall(base, 'GET', path, query);
}

/** POSTs a text body (e.g. an OpenAPI document) to `path` and returns the parsed JSON answer. */
export function adminPost(base: URL, path: string, query: Record<string, string | undefined>, body: { text: string; contentType: string }): Promise<unknown> {
  return adminCall(base, 'POST', path, query, body);
}

async function adminCall(base: URL, method: 'GET' | 'POST', path: string, query: Record<string, string | undefined>, send?: { text: string; contentType: string }): Promise<unknown> {
  const token = process.env.ACCORD_TOKEN;
  if (!token) throw new UsageError('ACCORD_TOKEN is not set: export an admin token (scope accord:admin), e.g. ACCORD_TOKEN=$(accord token --client ops --scope accord:admin)');
  const url = new URL(path.replace(/^\//, ''), base.href.endsWith('/') ? base : new URL(`${base.href}/`));
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  let res: Response;
  try {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...(send ? { 'content-type': send.contentType } : {}) };
    res = await fetch(url, { method, headers, body: send?.text, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new UsageError(`cannot reach the admin listener at ${base.origin} (${cause}); is \`accord serve\` running? (--admin-url)`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`the admin listener at ${base.origin} answered ${res.status} without JSON`);
  }
  if (!res.ok) {
    const problem = body as { code?: string; detail?: string };
    throw new UsageError(`the admin listener refused the request: ${res.status} ${problem.code ?? ''}${problem.detail ? `: ${problem.detail}` : ''}`);
  }
  return body;
}
