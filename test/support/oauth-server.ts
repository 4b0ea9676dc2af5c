/**
 * A real OAuth2 authorization server for tests (oidc-provider 8, client credentials, JWT access
 * tokens), a small JWKS host to play the attacker, and minting of hostile tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  base64url,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
  type JWTHeaderParameters,
} from 'jose';
import ProviderModule from 'oidc-provider';

/** A client registered at the server, allowed the client-credentials grant. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes the client may request. */
  scope: string;
}

/** A resource server (API) tokens can be issued for (RFC 8707 resource indicator). */
export interface ResourceServer {
  indicator: string;
  /** The `aud` of its tokens. */
  audience: string;
  /** Space-separated scopes it understands. */
  scope: string;
}

/** Options of `startOAuthServer`; every field has a default. */
export interface OAuthServerOptions {
  clients?: OAuthClient[];
  resources?: ResourceServer[];
  accessTokenTtlSeconds?: number;
}

/** A running authorization server. */
export interface OAuthServer {
  issuer: string;
  jwksUri: string;
  tokenEndpoint: string;
  clients: OAuthClient[];
  resources: ResourceServer[];
  /** `kid` of the key signing new tokens. */
  readonly signingKid: string;
  /** Requests received so far whose path is `pathname` (e.g. '/jwks'). */
  requestCount(pathname: string): number;
  /** Obtains an access token with the client-credentials grant (POST /token, client_secret_basic). */
  getToken(request: { clientId: string; scope?: string; resource?: string }): Promise<string>;
  /** Signs claims with the server's own current key (for tokens the server would not issue). */
  sign(claims: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  /** SPKI PEM of the current signing key's public half. */
  publicKeyPem(): Promise<string>;
  /** Generates a new signing key; the JWKS then holds the new key first and the old one after. */
  rotateKeys(): Promise<string>;
  close(): Promise<void>;
}

/** Default clients: one with read and write, one read-only. */
export const DEFAULT_CLIENTS: OAuthClient[] = [
  { clientId: 'orders-app', clientSecret: 'orders-app-secret', scope: 'orders:read orders:write inventory:read' },
  { clientId: 'reporting', clientSecret: 'reporting-secret', scope: 'orders:read' },
];

/** Default resource server: the orders API. */
export const DEFAULT_RESOURCES: ResourceServer[] = [
  { indicator: 'https://api.example/orders', audience: 'orders-api', scope: 'orders:read orders:write inventory:read' },
  { indicator: 'https://api.example/billing', audience: 'billing-api', scope: 'orders:read' },
];

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  privateJwk: JWK;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `idp-${randomUUID().slice(0, 8)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, privateJwk };
}

/** oidc-provider ships no types; this is the part of its surface used here. */
type ProviderInstance = { callback(): (req: IncomingMessage, res: ServerResponse) => void };
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;
const Provider = ProviderModule as unknown as ProviderConstructor;
const { errors: providerErrors } = ProviderModule as unknown as { errors: { InvalidTarget: new () => Error } };

/**
 * Per-server storage for oidc-provider (its built-in memory adapter is shared by every
 * instance in the process and prints a warning).
 */
function memoryAdapterClass(): new (model: string) => object {
  const store = new Map<string, unknown>();
  return class {
    readonly #model: string;
    constructor(model: string) {
      this.#model = model;
    }
    async upsert(id: string, payload: unknown): Promise<void> {
      store.set(`${this.#model}:${id}`, payload);
    }
    async find(id: string): Promise<unknown> {
      return store.get(`${this.#model}:${id}`);
    }
    async findByUid(): Promise<undefined> {
      return undefined;
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = store.get(`${this.#model}:${id}`) as Record<string, unknown> | undefined;
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      store.delete(`${this.#model}:${id}`);
    }
    async revokeByGrantId(): Promise<void> {}
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts oidc-provider on 127.0.0.1 with a random port. */
export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const clients = options.clients ?? DEFAULT_CLIENTS;
  const resources = options.resources ?? DEFAULT_RESOURCES;
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const counts = new Map<string, number>();
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(pathname, (counts.get(pathname) ?? 0) + 1);
    handler(req, res);
  });
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const Adapter = memoryAdapterClass();
  const cookieKeys = [randomBytes(32).toString('hex')];
  const allScopes = [...new Set(resources.flatMap((r) => r.scope.split(' ')))];
  let keys: SigningKey[] = [];

  const install = (): void => {
    const current = keys[0];
    const provider = new Provider(issuer, {
      adapter: Adapter,
      clients: clients.map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: c.scope,
      })),
      scopes: allScopes,
      jwks: { keys: keys.map((k) => k.privateJwk) },
      cookies: { keys: cookieKeys },
      ttl: { ClientCredentials: ttl },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => resources[0].indicator,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, indicator: string) => {
            const resource = resources.find((r) => r.indicator === indicator);
            if (!resource) throw new providerErrors.InvalidTarget();
            return {
              scope: resource.scope,
              audience: resource.audience,
              accessTokenTTL: ttl,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'RS256', kid: current.kid } },
            };
          },
        },
      },
    });
    handler = provider.callback();
  };
  keys = [await newSigningKey()];
  install();

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    tokenEndpoint: `${issuer}/token`,
    clients,
    resources,
    get signingKid() {
      return keys[0].kid;
    },
    requestCount: (pathname) => counts.get(pathname) ?? 0,
    async getToken({ clientId, scope, resource }) {
      const client = clients.find((c) => c.clientId === clientId);
      if (!client) throw new Error(`no client ${clientId}`);
      const body = new URLSearchParams({ grant_type: 'client_credentials' });
      if (scope !== undefined) body.set('scope', scope);
      if (resource !== undefined) body.set('resource', resource);
      const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64');
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      const json = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!response.ok || json.access_token === undefined) {
        throw new Error(`token request failed: ${response.status} ${json.error ?? ''} ${json.error_description ?? ''}`);
      }
      return json.access_token;
    },
    async sign(claims, header = {}) {
      const key = keys[0];
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...header }).sign(key.privateKey);
    },
    async publicKeyPem() {
      return exportSPKI(keys[0].publicKey);
    },
    async rotateKeys() {
      keys = [await newSigningKey(), keys[0]];
      install();
      return keys[0].kid;
    },
    close: () => closeServer(server),
  };
}

/** A key pair that no configured provider trusts. */
export interface AttackerKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Generates an attacker's RS256 key pair. */
export async function createAttackerKey(): Promise<AttackerKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `attacker-${randomUUID().slice(0, 8)}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A plain HTTP server serving a JWKS at /jwks (and a PEM at /cert.pem), counting requests. */
export interface JwksHost {
  url: string;
  jwksUrl: string;
  setKeys(keys: JWK[]): void;
  requestCount(): number;
  close(): Promise<void>;
}

/** Starts a JWKS host on 127.0.0.1 with a random port. */
export async function startJwksHost(keys: JWK[]): Promise<JwksHost> {
  let served = keys;
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    if (req.url === '/jwks') {
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: served }));
    } else {
      res.writeHead(404).end();
    }
  });
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    jwksUrl: `${url}/jwks`,
    setKeys: (next) => {
      served = next;
    },
    requestCount: () => count,
    close: () => closeServer(server),
  };
}

/** The hostile tokens `mintHostileTokens` makes, by name. */
export type HostileTokenName =
  | 'expired'
  | 'notYetValid'
  | 'wrongIssuer'
  | 'wrongAudience'
  | 'missingExp'
  | 'wrongTyp'
  | 'algNone'
  | 'hs256WithPublicKeyPem'
  | 'unknownKid'
  | 'attackerKeyWithIdpKid'
  | 'es256WithRsaKid'
  | 'tamperedPayload'
  | 'jkuHeader'
  | 'x5uHeader'
  | 'embeddedJwk';

/**
 * Mints tokens that must all be refused. Claims-level ones are signed with the IdP's real key
 * (so only the claim is wrong); key-level ones with the attacker's key or none.
 */
export async function mintHostileTokens(
  idp: OAuthServer,
  options: { audience: string; clientId: string; scope: string; attacker: AttackerKey; attackerHost: JwksHost; validToken: string },
): Promise<Record<HostileTokenName, string>> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: idp.issuer,
    aud: options.audience,
    client_id: options.clientId,
    sub: options.clientId,
    scope: options.scope,
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
  };
  const byAttacker = (header: Partial<JWTHeaderParameters>, body: JWTPayload = claims): Promise<string> =>
    new SignJWT(body).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: options.attacker.kid, ...header }).sign(options.attacker.privateKey);
  const encode = (value: unknown): string => base64url.encode(JSON.stringify(value));
  const { exp: _exp, ...withoutExp } = claims;

  const [head, payload, signature] = options.validToken.split('.');
  const decodedPayload = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
  const tamperedPayload = `${head}.${encode({ ...decodedPayload, scope: `${String(decodedPayload.scope ?? '')} admin`.trim() })}.${signature}`;

  const pem = await idp.publicKeyPem();
  const hs256WithPublicKeyPem = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: idp.signingKid })
    .sign(new TextEncoder().encode(pem));

  const { privateKey: ecKey } = await generateKeyPair('ES256');
  const es256WithRsaKid = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: idp.signingKid }).sign(ecKey);

  return {
    expired: await idp.sign({ ...claims, iat: now - 7200, exp: now - 3600 }),
    notYetValid: await idp.sign({ ...claims, nbf: now + 3600 }),
    wrongIssuer: await idp.sign({ ...claims, iss: 'https://evil.example' }),
    wrongAudience: await idp.sign({ ...claims, aud: 'someone-else' }),
    missingExp: await idp.sign(withoutExp),
    wrongTyp: await idp.sign(claims, { typ: 'JWT' }),
    algNone: `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims)}.`,
    hs256WithPublicKeyPem,
    unknownKid: await byAttacker({}),
    attackerKeyWithIdpKid: await byAttacker({ kid: idp.signingKid }),
    es256WithRsaKid,
    tamperedPayload,
    jkuHeader: await byAttacker({ kid: idp.signingKid, jku: options.attackerHost.jwksUrl }),
    x5uHeader: await byAttacker({ kid: idp.signingKid, x5u: `${options.attackerHost.url}/cert.pem` }),
    embeddedJwk: await byAttacker({ kid: idp.signingKid, jwk: options.attacker.publicJwk }),
  };
}
