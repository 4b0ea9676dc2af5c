/**
 * The verification keys of one identity provider: imported once, refreshed single-flight,
 * refetched on an unknown key id at most once per cooldown, and kept when the IdP fails.
 *
 * Why not jose's createRemoteJWKSet (read in jose 6.2.18): once its set is older than
 * cacheMaxAge, a failed reload rejects the request, so a brief IdP outage fails every token
 * instead of serving the keys it had; its cooldown counts from the last *successful* fetch, so
 * while the IdP is down every request starts a new fetch and waits for its timeout; it reads
 * Date.now() directly and reports nothing. Here a failed refresh keeps the old keys, logs a
 * warning, and also starts the cooldown.
 */
import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { Logger } from 'pino';
import { keysUnavailable } from './bearer-errors.js';
import type { JwksDocument, JwksSource } from './jwks-source.js';
import { algorithmsForKey, PRIVATE_JWK_MEMBERS, type PublicJwk } from './schema.js';

/** One public key imported for one algorithm (WebCrypto binds a key to its algorithm). */
export interface VerificationKey {
  kid: string | undefined;
  alg: string;
  key: CryptoKey;
}

/** Keys matching a token's header, and whether its `kid` is known at all. */
export interface KeyLookup {
  keys: VerificationKey[];
  isKidKnown: boolean;
}

/** What a key set needs to know; times in milliseconds, `now` is epoch milliseconds. */
export interface KeySetOptions {
  providerId: string;
  algorithms: readonly string[];
  source: JwksSource;
  /** A static set is loaded once and never refetched. */
  isStatic: boolean;
  cooldownMs: number;
  maxAgeMs: number;
  now: () => number;
  logger: Logger;
}

interface LoadedKeys {
  byKid: Map<string, VerificationKey[]>;
  all: VerificationKey[];
  loadedAtMs: number;
}

/** More keys than this in one JWKS is not a real IdP; importing them all would be a CPU sink. */
const MAX_KEYS = 50;
const PUBLIC_MEMBERS = ['kty', 'crv', 'n', 'e', 'x', 'y'] as const;

function isPublicSigningJwk(value: unknown): value is PublicJwk {
  if (value === null || typeof value !== 'object') return false;
  const jwk = value as Record<string, unknown>;
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') return false;
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') return false;
  if (jwk.alg !== undefined && typeof jwk.alg !== 'string') return false;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return false;
  return !PRIVATE_JWK_MEMBERS.some((member) => member in jwk);
}

/** The key set of one provider. */
export class KeySet {
  readonly #options: KeySetOptions;
  readonly #abort = new AbortController();
  #loaded: LoadedKeys | undefined;
  #inflight: Promise<void> | undefined;
  #lastAttemptMs = Number.NEGATIVE_INFINITY;

  constructor(options: KeySetOptions) {
    this.#options = options;
  }

  /** Starts the first load without waiting for it, so the first request rarely has to. */
  warmUp(): void {
    void this.#refresh();
  }

  /**
   * The keys able to verify a token with this `kid` (or none) and `alg`. Waits for a load when
   * there is no set yet, when the set is older than its max age, or when the kid is unknown,
   * each time only if the cooldown since the last attempt has passed (or joining one under way).
   * Throws 503 SERVICE_UNAVAILABLE when no set was ever obtained.
   */
  async keysFor(kid: string | undefined, alg: string): Promise<KeyLookup> {
    const { isStatic, maxAgeMs, now } = this.#options;
    if (this.#loaded === undefined) await this.#refresh();
    if (!isStatic && this.#loaded !== undefined && now() - this.#loaded.loadedAtMs >= maxAgeMs) await this.#refresh();
    let lookup = this.#match(kid, alg);
    if (lookup.keys.length === 0 && !lookup.isKidKnown && !isStatic) {
      await this.#refresh();
      lookup = this.#match(kid, alg);
    }
    return lookup;
  }

  /** Stops any fetch under way; later lookups use what is loaded. */
  close(): void {
    this.#abort.abort();
  }

  #match(kid: string | undefined, alg: string): KeyLookup {
    const loaded = this.#loaded;
    if (loaded === undefined) {
      const waitMs = this.#lastAttemptMs + this.#options.cooldownMs - this.#options.now();
      throw keysUnavailable(this.#options.providerId, Math.ceil(waitMs / 1000));
    }
    if (kid === undefined) return { keys: loaded.all.filter((k) => k.alg === alg), isKidKnown: false };
    const withKid = loaded.byKid.get(kid);
    if (withKid === undefined) return { keys: [], isKidKnown: false };
    return { keys: withKid.filter((k) => k.alg === alg), isKidKnown: true };
  }

  /**
   * Single flight: callers arriving during a load join it; otherwise a new load starts only
   * when the cooldown since the last attempt (successful or not) has passed. Never rejects.
   */
  #refresh(): Promise<void> {
    if (this.#inflight !== undefined) return this.#inflight;
    const { cooldownMs, isStatic, now } = this.#options;
    if (isStatic && this.#loaded !== undefined) return Promise.resolve();
    if (now() - this.#lastAttemptMs < cooldownMs || this.#abort.signal.aborted) return Promise.resolve();
    this.#lastAttemptMs = now();
    this.#inflight = this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #load(): Promise<void> {
    const { providerId, logger, source, now } = this.#options;
    try {
      const document = await source(this.#abort.signal);
      const loaded = await this.#importAll(document);
      if (loaded.all.length === 0) throw new Error('the JWKS holds no key usable with the allowed algorithms');
      loaded.loadedAtMs = now();
      this.#loaded = loaded;
      logger.debug({ provider: providerId, kids: [...loaded.byKid.keys()] }, 'identity provider keys loaded');
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (this.#loaded === undefined) {
        logger.warn({ provider: providerId, reason }, 'identity provider keys could not be loaded; its tokens are refused until they are');
      } else {
        logger.warn({ provider: providerId, reason }, 'identity provider key refresh failed; keeping the previous key set');
      }
    }
  }

  async #importAll(document: JwksDocument): Promise<LoadedKeys> {
    const { algorithms, logger, providerId } = this.#options;
    const loaded: LoadedKeys = { byKid: new Map(), all: [], loadedAtMs: 0 };
    const candidates = document.keys.filter(isPublicSigningJwk);
    if (candidates.length > MAX_KEYS) throw new Error(`the JWKS holds ${candidates.length} signing keys, more than ${MAX_KEYS}`);
    for (const jwk of candidates) {
      const publicPart: JWK = {};
      for (const member of PUBLIC_MEMBERS) if (typeof jwk[member] === 'string') publicPart[member] = jwk[member] as string;
      for (const alg of algorithmsForKey(jwk, algorithms)) {
        let key: CryptoKey;
        try {
          const imported = await importJWK(publicPart, alg);
          if (imported instanceof Uint8Array) continue;
          key = imported;
        } catch (error) {
          logger.warn({ provider: providerId, kid: jwk.kid, alg, reason: error instanceof Error ? error.message : String(error) }, 'unusable key in JWKS skipped');
          continue;
        }
        const modulusLength = (key.algorithm as { modulusLength?: number }).modulusLength;
        if (modulusLength !== undefined && modulusLength < 2048) {
          logger.warn({ provider: providerId, kid: jwk.kid, alg, modulusLength }, 'RSA key shorter than 2048 bits skipped');
          continue;
        }
        const entry: VerificationKey = { kid: jwk.kid, alg, key };
        loaded.all.push(entry);
        if (jwk.kid !== undefined) {
          const list = loaded.byKid.get(jwk.kid) ?? [];
          list.push(entry);
          loaded.byKid.set(jwk.kid, list);
        }
      }
    }
    return loaded;
  }
}
