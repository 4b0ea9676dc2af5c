/**
 * API keys in one JSON file under the data directory: written atomically (temp file, fsync,
 * rename) under a lock file, followed by every instance through a short stat poll.
 */
import { RefreshPoller } from './refresh-poller.js';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateKey, KEY_ID_PATTERN } from '../api-key-format.js';
import { EMPTY_SNAPSHOT, KeyStoreInputError, publicRecord, snapshotOf, type ApiKeyRecord, type ApiKeyStore, type CreateKeyInput, type IssuedApiKey, type KeySnapshot, type StoredApiKey } from './key-store.js';
import { checkCreateInput } from './check-input.js';

/** The file's format. */
interface KeyFile {
  version: 1;
  keys: StoredApiKey[];
}

/** Options of the file store. */
export interface FileKeyStoreOptions {
  /** The JSON file. */
  path: string;
  /**
   * How often a following instance looks at the file. A stat is cheap (no read unless the file
   * changed); 250 ms keeps a revocation's reach well inside a second.
   */
  pollMs?: number;
  /** Called when the file cannot be read or parsed while following (the last snapshot stays). */
  onError?: (error: Error) => void;
}

/** How long a writer waits for the lock before giving up, and when a lock is taken to be abandoned. */
const LOCK_WAIT_MS = 5000;
const LOCK_STALE_MS = 10_000;

function parseKeyFile(text: string, path: string): StoredApiKey[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  const file = data as Partial<KeyFile> | null;
  if (!file || typeof file !== 'object' || file.version !== 1 || !Array.isArray(file.keys)) throw new Error(`${path}: not an Accord key file (version 1 with keys[])`);
  for (const [i, k] of file.keys.entries()) {
    const ok = k && typeof k === 'object' && typeof k.id === 'string' && KEY_ID_PATTERN.test(k.id) && typeof k.consumer === 'string' && typeof k.salt === 'string' && typeof k.hash === 'string' && typeof k.createdAt === 'string';
    if (!ok) throw new Error(`${path}: keys[${i}] is not a key record`);
  }
  return file.keys;
}

/** Opens a file store; nothing is read until a method is called. */
export function fileKeyStore(options: FileKeyStoreOptions): ApiKeyStore {
  const { path } = options;
  const pollMs = options.pollMs ?? 250;
  let snapshot: KeySnapshot = EMPTY_SNAPSHOT;
  let generation = 0;
  let lastRead = 0;
  let seen = '';

  /** The records on disk; none when the file does not exist yet. */
  const readAll = (): StoredApiKey[] => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return parseKeyFile(text, path);
  };

  /** Identity of the file's current content: a rename-save always gives a new inode. */
  const signature = (s: { ino: number; size: number; mtimeMs: number } | undefined): string => (s ? `${s.ino}:${s.size}:${s.mtimeMs}` : 'absent');

  const statSignature = async (): Promise<string> => {
    try {
      return signature(await stat(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return signature(undefined);
      throw error;
    }
  };

  const refresh = async (): Promise<void> => {
    const current = await statSignature();
    if (current !== seen) {
      const records = readAll();
      seen = current;
      generation++;
      snapshot = snapshotOf(records, generation);
    }
    lastRead = Date.now();
  };
  const poller = new RefreshPoller(refresh, pollMs, options.onError);

  /** Runs `change` on the records under the lock and writes the result atomically. */
  const update = async <T>(change: (records: StoredApiKey[]) => { records: StoredApiKey[]; result: T }): Promise<T> => {
    mkdirSync(dirname(path), { recursive: true });
    const lock = `${path}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx', 0o600));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        try {
          if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
        } catch {
          // The holder released it meanwhile.
        }
        if (Date.now() > deadline) throw new Error(`${path}: another writer holds ${lock}; remove it if no accord process is writing keys`);
        await sleep(20);
      }
    }
    try {
      const { records, result } = change(readAll());
      const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const fd = openSync(temp, 'w', 0o600);
      try {
        writeSync(fd, `${JSON.stringify({ version: 1, keys: records } satisfies KeyFile, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, path);
      return result;
    } finally {
      rmSync(lock, { force: true });
    }
  };

  return {
    description: path,
    async create(input: CreateKeyInput): Promise<IssuedApiKey> {
      checkCreateInput(input);
      const generated = generateKey();
      const stored: StoredApiKey = {
        id: generated.id,
        consumer: input.consumer,
        createdAt: new Date().toISOString(),
        expiresAt: input.expiresAt ? input.expiresAt.toISOString() : null,
        revokedAt: null,
        salt: generated.salt,
        hash: generated.hash,
      };
      return update((records) => {
        // 64 random bits make a clash unlikely; refusing one keeps ids unique for sure.
        if (records.some((r) => r.id === stored.id)) throw new Error('key id collision, try again');
        return { records: [...records, stored], result: { record: publicRecord(stored), key: generated.key } };
      });
    },
    async list(filter = {}): Promise<ApiKeyRecord[]> {
      return readAll()
        .filter((r) => filter.consumer === undefined || r.consumer === filter.consumer)
        .map(publicRecord);
    },
    async revoke(id: string): Promise<ApiKeyRecord | undefined> {
      if (!KEY_ID_PATTERN.test(id)) throw new KeyStoreInputError(`"${id}" is not a key id (16 hex digits)`);
      return update((records) => {
        const found = records.find((r) => r.id === id);
        if (!found) return { records, result: undefined };
        if (found.revokedAt !== null) return { records, result: publicRecord(found) };
        const revoked: StoredApiKey = { ...found, revokedAt: new Date().toISOString() };
        return { records: records.map((r) => (r === found ? revoked : r)), result: publicRecord(revoked) };
      });
    },
    async follow(): Promise<void> {
      await refresh();
      poller.start();
    },
    snapshot: () => snapshot,
    lastReadAt: () => lastRead,
    async close(): Promise<void> {
      poller.stop();
    },
  };
}
