/**
 * Where an operation's credentials are: each scheme of its `security` compiled once into a
 * credential source (bearer token, basic credentials, or an API key in a header, query parameter
 * or cookie), with the per-request readers and the strippers that keep keys from the upstream.
 */
import type { SecuritySchemeRequirement } from '../../../contracts/compile/index.js';
import type { RequestContext } from '../../pipeline/request-context.js';

/** One place a credential is read from. All JWT schemes share the one bearer source. */
export type CredentialSource =
  | { readonly kind: 'bearer' }
  /** The client certificate the mtls policy verified (OpenAPI 3.1 `mutualTLS`). */
  | { readonly kind: 'certificate' }
  | { readonly kind: 'basic' }
  /** `name` as the contract spells it; `field` lower-cased, as Node keys request headers. */
  | { readonly kind: 'header'; readonly name: string; readonly field: string }
  | { readonly kind: 'query' | 'cookie'; readonly name: string };

/** The source a (enforced) scheme reads from. */
export function sourceOf(scheme: SecuritySchemeRequirement): CredentialSource {
  if (scheme.type === 'apiKey' && scheme.apiKey) {
    // Header names are case-insensitive and Node lower-cases them; query and cookie names are exact.
    const { name } = scheme.apiKey;
    return scheme.apiKey.in === 'header' ? { kind: 'header', name, field: name.toLowerCase() } : { kind: scheme.apiKey.in, name };
  }
  if (scheme.type === 'http' && scheme.httpScheme === 'basic') return { kind: 'basic' };
  if (scheme.type === 'mutualTLS') return { kind: 'certificate' };
  return { kind: 'bearer' };
}

/** A key used for equality of sources. */
export function sourceKey(source: CredentialSource): string {
  if (source.kind === 'bearer' || source.kind === 'basic' || source.kind === 'certificate') return source.kind;
  return source.kind === 'header' ? `header:${source.field}` : `${source.kind}:${source.name}`;
}

/** How a message names a source, e.g. `header X-Api-Key` or `query parameter api_key`. */
export function describeSource(source: CredentialSource): string {
  switch (source.kind) {
    case 'bearer':
      return 'a Bearer token';
    case 'basic':
      return 'basic credentials';
    case 'certificate':
      return 'a client certificate';
    case 'header':
      return `an API key in header ${source.name}`;
    case 'query':
      return `an API key in query parameter ${source.name}`;
    case 'cookie':
      return `an API key in cookie ${source.name}`;
  }
}

/** The scheme word of an Authorization header, lower-cased ('' when none). */
function authorizationScheme(value: string | undefined): string {
  if (value === undefined) return '';
  const space = value.indexOf(' ');
  return (space < 0 ? value : value.slice(0, space)).toLowerCase();
}

/** Decodes a query parameter name or value as forms do (`+` is a space); undefined when the percent-encoding is broken. */
function decodeQueryPart(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The values of query parameter `name` in a raw query (several when repeated). */
export function queryValues(rawQuery: string, name: string): string[] {
  const values: string[] = [];
  if (rawQuery === '') return values;
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    if (decodeQueryPart(rawName) !== name) continue;
    values.push(decodeQueryPart(eq < 0 ? '' : pair.slice(eq + 1)) ?? '\u0000');
  }
  return values;
}

/** The raw query without parameter `name` (every occurrence). */
export function withoutQueryParameter(rawQuery: string, name: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => {
      const eq = pair.indexOf('=');
      return decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq)) !== name;
    })
    .join('&');
}

/** The values of cookie `name` in a Cookie header (RFC 6265 §5.4: `a=b; c=d`). */
export function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  if (header === undefined) return values;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    values.push(value);
  }
  return values;
}

/** The Cookie header without cookie `name`; undefined when nothing is left. */
export function withoutCookie(header: string, name: string): string | undefined {
  const kept = header.split(';').filter((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? part.trim() !== '' : part.slice(0, eq).trim() !== name;
  });
  return kept.length === 0 ? undefined : kept.map((p) => p.trim()).join('; ');
}

/** Basic credentials as sent (RFC 7617): user-id and password, or undefined when not decodable. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** The user-id and password of a `Basic` Authorization header; undefined when malformed. */
export function basicCredentials(authorization: string): BasicCredentials | undefined {
  const encoded = authorization.slice(authorization.indexOf(' ') + 1).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * What a request presents for a source: undefined when absent, else the credential text (for
 * bearer the whole Authorization header, which the JWT authenticator reads). A query parameter
 * or cookie given twice presents '\u0000', which no key matches: two values is not one key.
 */
export function presented(ctx: RequestContext, source: CredentialSource): string | undefined {
  const headers = ctx.req.headers;
  switch (source.kind) {
    case 'certificate':
      // The mtls policy put the verified certificate there (it refused an unverifiable one).
      return ctx.clientCertificate !== undefined ? ctx.clientCertificate.thumbprint : undefined;
    case 'bearer':
      return authorizationScheme(headers.authorization) === 'bearer' ? headers.authorization : undefined;
    case 'basic':
      return authorizationScheme(headers.authorization) === 'basic' ? headers.authorization : undefined;
    case 'header': {
      const value = headers[source.field];
      if (value === undefined) return undefined;
      return typeof value === 'string' ? value.trim() : '\u0000';
    }
    case 'query': {
      const values = queryValues(ctx.rawQuery ?? '', source.name);
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : '\u0000';
    }
    case 'cookie': {
      const values = cookieValues(headers.cookie, source.name);
      return values.length === 0 ? undefined : values.length === 1 ? values[0] : '\u0000';
    }
  }
}

/**
 * Removes a key source's credential from the request, so that it reaches neither the upstream
 * nor anything that logs the path: the query parameter from the query the upstream gets (and
 * request validation sees), the header, or the cookie. The bearer token and basic credentials
 * live in Authorization, which the upstream headers policy already removes unless
 * `forwardAuthorization`; basic credentials are removed here whatever that says.
 */
export function strip(ctx: RequestContext, source: CredentialSource): void {
  const headers = ctx.req.headers;
  switch (source.kind) {
    case 'bearer':
    case 'certificate':
      return;
    case 'basic':
      if (authorizationScheme(headers.authorization) === 'basic') delete headers.authorization;
      return;
    case 'header':
      delete headers[source.field];
      return;
    case 'cookie': {
      if (headers.cookie === undefined) return;
      const rest = withoutCookie(headers.cookie, source.name);
      if (rest === undefined) delete headers.cookie;
      else headers.cookie = rest;
      return;
    }
    case 'query': {
      const rawQuery = ctx.rawQuery ?? '';
      if (rawQuery === '' || queryValues(rawQuery, source.name).length === 0) return;
      const rest = withoutQueryParameter(rawQuery, source.name);
      ctx.rawQuery = rest;
      const path = ctx.upstreamPath ?? '';
      const q = path.indexOf('?');
      const operationPath = q < 0 ? path : path.slice(0, q);
      ctx.upstreamPath = rest === '' ? operationPath : `${operationPath}?${rest}`;
      return;
    }
  }
}
