/** The API key format (`acc_<key id>_<secret>`), its generation, and the salted hash it is stored as. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every key: lets secret scanners (and people) recognise an Accord key. */
export const KEY_PREFIX = 'acc_';

/** A key id: 16 lower-case hex digits (8 random bytes), public, the lookup key of the store. */
export const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

/** Bytes of randomness in a secret: 32 (256 bits), written as 43 base64url characters. */
const SECRET_BYTES = 32;
const SECRET_LENGTH = 43;
const ID_LENGTH = 16;
/** `acc_` + id + `_` + secret. */
export const KEY_LENGTH = KEY_PREFIX.length + ID_LENGTH + 1 + SECRET_LENGTH;

/** A whole key as presented: prefix, id and secret in fixed positions (base64url may itself contain `_`). */
const KEY_PATTERN = /^acc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

/** A key just generated: the full key (shown once) and what is stored of it. */
export interface GeneratedKey {
  /** The full key, for the caller; never stored nor logged. */
  readonly key: string;
  readonly id: string;
  /** Per-key random salt, base64url. */
  readonly salt: string;
  /** HMAC-SHA256(salt, key), base64url. */
  readonly hash: string;
}

/** Generates a new key with a fresh id, secret and salt. */
export function generateKey(): GeneratedKey {
  const id = randomBytes(ID_LENGTH / 2).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const key = `${KEY_PREFIX}${id}_${secret}`;
  const salt = randomBytes(16).toString('base64url');
  return { key, id, salt, hash: hashKey(key, salt).toString('base64url') };
}

/**
 * The key id of a well-formed key, or undefined when the text cannot be a key (wrong prefix,
 * length or alphabet). Only the shape is checked: whether the key is genuine is `keyMatches`'s.
 */
export function keyIdOf(text: string): string | undefined {
  if (text.length !== KEY_LENGTH || !KEY_PATTERN.test(text)) return undefined;
  return text.slice(KEY_PREFIX.length, KEY_PREFIX.length + ID_LENGTH);
}

/**
 * The stored digest of a key. HMAC-SHA256 keyed with a per-key salt, not a slow KDF (scrypt,
 * argon2): a slow KDF protects guessable secrets such as passwords, and costs milliseconds per
 * request by design; a key carries 256 random bits, so a single fast keyed hash already makes
 * recovering it from a leaked store infeasible, and verifying costs about a microsecond. The salt
 * makes equal digests impossible to spot across stores and keys.
 */
export function hashKey(key: string, salt: string): Buffer {
  return createHmac('sha256', salt).update(key).digest();
}

/** True when `key` hashes to `storedHash` under `salt`; compared in constant time. */
export function keyMatches(key: string, salt: string, storedHash: Buffer): boolean {
  const digest = hashKey(key, salt);
  return digest.length === storedHash.length && timingSafeEqual(digest, storedHash);
}
