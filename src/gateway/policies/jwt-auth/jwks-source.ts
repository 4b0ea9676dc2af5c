/** Where a provider's JWKS document comes from: a configured URL, OIDC discovery, or static config. */
import type { IdentityProviderConfig } from './schema.js';

/** A JWKS document before its keys are checked. */
export interface JwksDocument {
  keys: unknown[];
}

/** Produces the provider's current JWKS document; rejects with an Error saying what failed. */
export type JwksSource = (signal: AbortSignal) => Promise<JwksDocument>;

/** Largest discovery or JWKS body read; real ones are a few KB. */
const MAX_BODY_BYTES = 512 * 1024;

async function readLimited(response: Response, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new Error(`${url} answered ${declared} bytes, more than ${MAX_BODY_BYTES}`);
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new Error(`${url} answered more than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * GETs a JSON object. Redirects are refused: keys come only from the configured location,
 * and a redirect could hand that choice to whoever controls the first response.
 */
async function fetchJsonObject(url: string, timeoutMs: number, signal: AbortSignal): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`GET ${url} failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${url} answered ${response.status}`);
  }
  const text = await readLimited(response, url);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`GET ${url} did not answer JSON`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`GET ${url} did not answer a JSON object`);
  return data as Record<string, unknown>;
}

function toJwksDocument(data: Record<string, unknown>, url: string): JwksDocument {
  if (!Array.isArray(data.keys)) throw new Error(`${url} is not a JWKS (no "keys" array)`);
  return { keys: data.keys };
}

/** The discovery document URL of an issuer (OIDC Discovery §4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * A source fetching `jwksUri`, or with `discovery` the `jwks_uri` of the issuer's discovery
 * document. The discovered URL is remembered until a JWKS fetch fails, then looked up again
 * (the IdP may have moved it).
 */
export function remoteJwksSource(provider: IdentityProviderConfig): JwksSource {
  if (provider.jwksUri !== undefined) {
    const url = provider.jwksUri;
    return async (signal) => toJwksDocument(await fetchJsonObject(url, provider.timeoutMs, signal), url);
  }
  let discovered: string | undefined;
  return async (signal) => {
    if (discovered === undefined) {
      const where = discoveryUrl(provider.issuer);
      const metadata = await fetchJsonObject(where, provider.timeoutMs, signal);
      // OIDC Discovery §4.3: the document must name the very issuer it was fetched for.
      if (metadata.issuer !== provider.issuer) {
        throw new Error(`${where} names issuer ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(provider.issuer)}`);
      }
      const jwksUri = metadata.jwks_uri;
      if (typeof jwksUri !== 'string' || !/^https?:\/\//.test(jwksUri)) throw new Error(`${where} has no usable jwks_uri`);
      if (new URL(jwksUri).protocol === 'http:' && new URL(provider.issuer).protocol === 'https:') {
        throw new Error(`${where} points jwks_uri at plain http for an https issuer`);
      }
      discovered = jwksUri;
    }
    const url = discovered;
    try {
      return toJwksDocument(await fetchJsonObject(url, provider.timeoutMs, signal), url);
    } catch (error) {
      discovered = undefined;
      throw error;
    }
  };
}

/** A source answering the provider's static `jwks`. */
export function staticJwksSource(jwks: { keys: readonly unknown[] }): JwksSource {
  return async () => ({ keys: [...jwks.keys] });
}
