/**
 * The request headers a client may not send to an upstream: hop-by-hop fields, the fields the
 * gateway sets itself, and the fields upstreams commonly trust for the caller's identity, address,
 * scheme, host, path or method. Names are compared lower-cased with `_` read as `-`, because
 * CGI/WSGI/Rack upstreams see `X_Consumer_Id` and `X-Consumer-Id` as the same variable.
 */

/** Hop-by-hop fields (RFC 9110 §7.6.1): meaningful for one connection only. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** Fields the gateway itself sends upstream; whatever the client sent under these names is removed. */
export const GATEWAY_SET_HEADERS: readonly string[] = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-request-id', 'traceparent', 'x-consumer-id'];

/** Fields other proxies, load balancers and auth sidecars set, which upstreams trust when present. */
const TRUSTED_BY_UPSTREAMS: readonly string[] = [
  // The client's address.
  'forwarded',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'cf-connecting-ipv6',
  'fastly-client-ip',
  'x-cluster-client-ip',
  'x-original-forwarded-for',
  'x-remote-ip',
  'x-remote-addr',
  'x-originating-ip',
  'x-proxyuser-ip',
  // Scheme, host and port the client used.
  'x-url-scheme',
  'x-scheme',
  'front-end-https',
  'x-arr-ssl',
  'x-host',
  'x-original-host',
  // The path and method the client asked for (a method override turns an authorised GET into a DELETE).
  'x-original-url',
  'x-original-uri',
  'x-original-path',
  'x-rewrite-url',
  'x-script-name',
  'x-http-method-override',
  'x-method-override',
  'x-http-method',
  'x-original-method',
  // Who the caller is, as asserted by an authenticating proxy.
  'remote-user',
  'x-remote-user',
  'x-user',
  'x-user-id',
  'x-userid',
  'x-user-name',
  'x-username',
  'x-user-email',
  'x-email',
  'x-authenticated-user',
  'x-authenticated-userid',
  'x-authenticated-scope',
  'x-authenticated-groups',
  'x-auth-user',
  'x-auth-userid',
  'x-auth-email',
  'x-userinfo',
  'x-id-token',
  'x-access-token',
  'x-jwt-assertion',
  'x-jwt-payload',
  'x-anonymous-consumer',
  'x-anonymous-groups',
  'x-goog-iap-jwt-assertion',
  // The client certificate, as verified by a TLS-terminating proxy.
  'ssl-client-cert',
  'ssl-client-verify',
  'x-client-cert',
  'x-client-verify',
  'x-client-dn',
  'x-arr-clientcert',
  // RFC 9440, the standard fields for a certificate a TLS-terminating proxy forwards.
  'client-cert',
  'client-cert-chain',
];

/** Families of such fields, matched by prefix (`x-forwarded-port`, `x-consumer-username`, …). */
const TRUSTED_PREFIXES: readonly string[] = [
  'x-forwarded-',
  'x-consumer-',
  'x-credential-',
  'x-auth-request-',
  'x-amzn-oidc-',
  'x-ms-client-principal',
  'x-goog-authenticated-user-',
  'x-ssl-client-',
  'x-envoy-',
];

/** Every built-in name stripped from requests toward upstreams (for documentation and tests). */
export const BUILT_IN_STRIPPED_NAMES: readonly string[] = [...HOP_BY_HOP_HEADERS, ...GATEWAY_SET_HEADERS, ...TRUSTED_BY_UPSTREAMS];

/** Every built-in prefix stripped from requests toward upstreams. */
export const BUILT_IN_STRIPPED_PREFIXES: readonly string[] = TRUSTED_PREFIXES;

const UNDERSCORE = /_/g;

/** A header name lower-cased with `_` read as `-`: the form two aliases share. */
export function normaliseHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('_') ? lower.replace(UNDERSCORE, '-') : lower;
}

/**
 * A set of header names and name prefixes, built once. `matches` takes a lower-case name as
 * Node delivers it; only a name with `_` in it pays for a normalised copy.
 */
export class HeaderNameSet {
  private readonly exact: ReadonlySet<string>;
  private readonly prefixes: readonly string[];
  /** First characters of the prefixes: most names skip the prefix loop after one lookup. */
  private readonly prefixStarts: ReadonlySet<number>;

  /** `entries` are names, or prefixes written with a trailing `*` (`X-Internal-*`); any case, `_` or `-`. */
  constructor(entries: Iterable<string>) {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const entry of entries) {
      if (entry.endsWith('*')) prefixes.push(normaliseHeaderName(entry.slice(0, -1)));
      else exact.add(normaliseHeaderName(entry));
    }
    this.exact = exact;
    this.prefixes = prefixes;
    this.prefixStarts = new Set(prefixes.map((p) => p.charCodeAt(0)));
  }

  /** True when `name` (lower-case) or its `_`-as-`-` form is in the set or starts with one of its prefixes. */
  matches(name: string): boolean {
    return this.matchesNormalised(name.includes('_') ? name.replace(UNDERSCORE, '-') : name);
  }

  /** True when `name`, already lower-case with `-` for `_`, is in the set or starts with one of its prefixes. */
  matchesNormalised(name: string): boolean {
    if (this.exact.has(name)) return true;
    if (!this.prefixStarts.has(name.charCodeAt(0))) return false;
    for (const prefix of this.prefixes) if (name.startsWith(prefix)) return true;
    return false;
  }
}

/** The built-in entries in the form `HeaderNameSet` takes. */
export function builtInStrippedEntries(): string[] {
  return [...BUILT_IN_STRIPPED_NAMES, ...BUILT_IN_STRIPPED_PREFIXES.map((p) => `${p}*`)];
}
