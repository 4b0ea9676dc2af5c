/** The local development issuer's signing key: generated on first use under the data directory, reused afterwards. */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/** The `iss` of every development token; the example gateway config trusts it. */
export const DEV_ISSUER = 'urn:accord:dev';

/** The signing algorithm of the development key (P-256: small keys, fast to generate). */
export const DEV_ALGORITHM = 'ES256';

/** Folder under the data directory holding the key. */
const KEY_DIR = 'dev-issuer';
const KEY_FILE = 'signing-key.private.jwk.json';

/** The development issuer as the gateway and `accord token` need it. */
export interface DevKeys {
  issuer: typeof DEV_ISSUER;
  algorithm: typeof DEV_ALGORITHM;
  kid: string;
  /** Signs tokens; never leaves the process. */
  privateKey: CryptoKey;
  /** The public half, as a JSON Web Key Set for verifiers. */
  publicJwks: { keys: JWK[] };
  /** Where the private JWK lives. */
  keyFile: string;
}

/** Why the development issuer refused to work; branch on `code`. */
export class DevIssuerError extends Error {
  readonly code: 'DEV_ISSUER_REFUSED_IN_PRODUCTION' | 'DEV_KEY_UNREADABLE';

  constructor(code: DevIssuerError['code'], message: string) {
    super(message);
    this.name = 'DevIssuerError';
    this.code = code;
  }
}

/** Throws DEV_ISSUER_REFUSED_IN_PRODUCTION when NODE_ENV is `production`: a dev key must never sign production traffic. */
export function assertDevelopment(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production') {
    throw new DevIssuerError('DEV_ISSUER_REFUSED_IN_PRODUCTION', 'the development issuer is refused when NODE_ENV=production');
  }
}

function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y, kid } = jwk;
  return { kty, crv, x, y, kid, alg: DEV_ALGORITHM, use: 'sig' };
}

async function createKeyFile(file: string): Promise<void> {
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const text = `${JSON.stringify({ ...jwk, kid, alg: DEV_ALGORITHM, use: 'sig' }, null, 2)}\n`;
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  // Created 0600 from the start (the mode applies at creation), so the key is never readable by others.
  await writeFile(temp, text, { mode: 0o600, flag: 'wx' });
  try {
    // link() publishes the complete file atomically and, unlike rename(), never replaces a key that a
    // concurrent first run published a moment earlier: every process ends up signing with the same key.
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
      // File systems without hard links: fall back to rename, still atomic.
      await rename(temp, file);
      return;
    }
  }
  await unlink(temp);
}

async function readKeyFile(file: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DevIssuerError('DEV_KEY_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`);
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    jwk = undefined;
  }
  const candidate = jwk as JWK | undefined;
  if (!candidate || candidate.kty !== 'EC' || candidate.crv !== 'P-256' || typeof candidate.d !== 'string' || typeof candidate.kid !== 'string') {
    throw new DevIssuerError('DEV_KEY_UNREADABLE', `${file} is not an ES256 private JWK; delete it to generate a new development key`);
  }
  return candidate;
}

/**
 * Returns the development issuer's keys, generating an ES256 key pair under
 * `<dataDir>/dev-issuer/` on first use (private JWK, mode 0600). Later calls, in this or another
 * process, read the same key, so the `kid` stays stable. Throws DevIssuerError when NODE_ENV is
 * production or the key file is damaged.
 */
export async function ensureDevKeys(dataDir: string): Promise<DevKeys> {
  assertDevelopment();
  const dir = join(dataDir, KEY_DIR);
  const keyFile = join(dir, KEY_FILE);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let jwk = await readKeyFile(keyFile);
  if (!jwk) {
    await createKeyFile(keyFile);
    jwk = await readKeyFile(keyFile);
    if (!jwk) throw new DevIssuerError('DEV_KEY_UNREADABLE', `${keyFile} vanished right after it was written`);
  }
  const privateKey = (await importJWK(jwk, DEV_ALGORITHM)) as CryptoKey;
  return { issuer: DEV_ISSUER, algorithm: DEV_ALGORITHM, kid: jwk.kid!, privateKey, publicJwks: { keys: [publicPart(jwk)] }, keyFile };
}
