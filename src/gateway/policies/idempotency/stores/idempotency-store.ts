/**
 * Where Idempotency-Key records live, behind one interface: the policy claims, completes and
 * releases keys and never knows whether they are kept in this process or in Redis.
 */

/** A response as the upstream sent it (hop-by-hop fields removed), stored for replay. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string | string[]]>;
  readonly body: Buffer;
}

/**
 * A key's record. `in-flight`: claimed, its request not finished (or the gateway that claimed it
 * died); `completed`: its response is stored; `unreplayable`: its request completed upstream but
 * the response could not be stored (too large, or not relayed whole).
 */
export type IdempotencyRecord =
  | InFlightRecord
  | { readonly state: 'completed'; readonly fingerprint: string; readonly response: StoredResponse }
  | { readonly state: 'unreplayable'; readonly fingerprint: string; readonly status: number };

/** A claim: the fingerprint of the request that holds the key, and a token only its gateway knows. */
export interface InFlightRecord {
  readonly state: 'in-flight';
  readonly fingerprint: string;
  readonly token: string;
}

/** A key store. Created once per process; every routing table's policies share it. */
export interface IdempotencyStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Claims `key` for a request atomically: resolves undefined when the claim was taken (the
   * record is `claim` until `ttlMs` passes), else the record already there. Rejects when the
   * store cannot be reached.
   */
  claim(key: string, claim: InFlightRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  /** Replaces `claim` by `record` for `ttlMs`; nothing when the claim is gone (expired, or another's). */
  complete(key: string, claim: InFlightRecord, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  /** Removes `claim`, so that a retry is a new request; nothing when it is gone. */
  release(key: string, claim: InFlightRecord): Promise<void>;
  /** Resolves once the store answers, or with the reason it does not after its connect time (the gateway then starts anyway). */
  ready?(): Promise<string | undefined>;
  close?(): Promise<void> | void;
}

/** Bytes a record costs in a store, its stored body included (for the memory store's budget). */
export function recordBytes(key: string, record: IdempotencyRecord): number {
  const base = 128 + key.length + record.fingerprint.length;
  if (record.state !== 'completed') return base;
  let headers = 0;
  for (const [name, value] of record.response.headers) headers += name.length + (Array.isArray(value) ? value.reduce((n, v) => n + v.length, 0) : value.length);
  return base + headers + record.response.body.length;
}

/**
 * A record as one byte string (Redis): a JSON line of everything but the body, then the body's
 * raw bytes. JSON.stringify never writes a raw newline, so the first one ends the metadata.
 */
export function encodeRecord(record: IdempotencyRecord): Buffer {
  if (record.state === 'in-flight') return Buffer.from(JSON.stringify({ s: 'f', f: record.fingerprint, t: record.token }));
  if (record.state === 'unreplayable') return Buffer.from(JSON.stringify({ s: 'u', f: record.fingerprint, st: record.status }));
  const meta = Buffer.from(`${JSON.stringify({ s: 'c', f: record.fingerprint, st: record.response.status, h: record.response.headers })}\n`);
  return Buffer.concat([meta, record.response.body]);
}

/** The record of a byte string `encodeRecord` wrote; undefined for anything else (a foreign value under the key). */
export function decodeRecord(bytes: Buffer): IdempotencyRecord | undefined {
  const newline = bytes.indexOf(0x0a);
  let meta: unknown;
  try {
    meta = JSON.parse(bytes.subarray(0, newline === -1 ? bytes.length : newline).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof meta !== 'object' || meta === null) return undefined;
  const m = meta as { s?: unknown; f?: unknown; t?: unknown; st?: unknown; h?: unknown };
  if (typeof m.f !== 'string') return undefined;
  if (m.s === 'f' && typeof m.t === 'string') return { state: 'in-flight', fingerprint: m.f, token: m.t };
  if (m.s === 'u' && typeof m.st === 'number') return { state: 'unreplayable', fingerprint: m.f, status: m.st };
  if (m.s === 'c' && typeof m.st === 'number' && Array.isArray(m.h) && newline !== -1) {
    return { state: 'completed', fingerprint: m.f, response: { status: m.st, headers: m.h as StoredResponse['headers'], body: bytes.subarray(newline + 1) } };
  }
  return undefined;
}
