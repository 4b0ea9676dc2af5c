/**
 * Checks an upstream URL of the configuration completely at load, so that a URL the proxy cannot
 * use is a located configuration error, not a 500 on every request.
 */

/** Why `value` cannot be an upstream URL, or undefined when it can. */
export function upstreamUrlProblem(value: string): string | undefined {
  const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(value);
  if (!parts) return `"${value}" is not an absolute URL (expected http://host:port or https://host:port)`;
  const [, scheme, authority, , query, fragment] = parts as unknown as [string, string, string, string, string | undefined, string | undefined];
  if (scheme !== 'http' && scheme !== 'https') return `scheme "${scheme}" is not supported (use http or https)`;
  if (authority.includes('@')) return 'credentials in an upstream URL are refused: secrets never live in the configuration';
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority)!;
  const host = hostPort[1]!;
  const port = hostPort[2];
  if (host === '' || host === '[]') return 'the host is missing';
  if (port !== undefined) {
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return `port ${port === '' ? '(empty)' : port} is not a port number from 1 to 65535`;
  }
  if (query !== undefined) return 'an upstream URL cannot carry a query string; the query is the caller\'s';
  if (fragment !== undefined) return 'an upstream URL cannot carry a fragment';
  try {
    new URL(value);
  } catch {
    return `"${value}" is not a valid URL (host "${host}")`;
  }
  return undefined;
}
