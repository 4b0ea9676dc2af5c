/**
 * API keys in PostgreSQL (table `<schema>.api_keys`, created if missing), followed by every
 * instance through a short poll of a change counter, so a revocation reaches all within a second.
 */
import { RefreshPoller } from './refresh-poller.js';
import pg from 'pg';
import { generateKey, KEY_ID_PATTERN } from '../api-key-format.js';
import { EMPTY_SNAPSHOT, KeyStoreInputError, publicRecord, snapshotOf, type ApiKeyRecord, type ApiKeyStore, type CreateKeyInput, type IssuedApiKey, type KeySnapshot, type StoredApiKey } from './key-store.js';
import { checkCreateInput } from './check-input.js';

/** A schema name the store accepts (it is also double-quoted in every statement). */
export const PG_SCHEMA_PATTERN = '^[a-z_][a-z0-9_]{0,62}$';

/** Options of the PostgreSQL store. */
export interface PostgresKeyStoreOptions {
  /** Connection string (postgres://…). */
  connectionString: string;
  /** Schema holding the table. */
  schema: string;
  /**
   * How often a following instance asks whether anything changed: one index-only query
   * (`max(version)`, `count(*)`); the whole table is read again only when the answer moved.
   */
  pollMs?: number;
  /** Called when the database cannot be read while following (the last snapshot stays). */
  onError?: (error: Error) => void;
}

interface Row {
  id: string;
  consumer: string;
  salt: string;
  hash: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

function stored(row: Row): StoredApiKey {
  return {
    id: row.id,
    consumer: row.consumer,
    salt: row.salt,
    hash: row.hash,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
  };
}

/** Opens a PostgreSQL store; the table is created on first use. */
export function postgresKeyStore(options: PostgresKeyStoreOptions): ApiKeyStore {
  if (!new RegExp(PG_SCHEMA_PATTERN).test(options.schema)) throw new TypeError(`schema "${options.schema}" must match ${PG_SCHEMA_PATTERN}`);
  const schema = `"${options.schema}"`;
  const table = `${schema}."api_keys"`;
  const sequence = `${schema}."api_keys_version"`;
  const pollMs = options.pollMs ?? 250;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 2, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server emits on the pool; the next query reports the problem.
  pool.on('error', (error) => options.onError?.(error));
  let ready: Promise<void> | undefined;
  let snapshot: KeySnapshot = EMPTY_SNAPSHOT;
  let generation = 0;
  let lastRead = 0;
  let seen = '';

  /** Creates schema, sequence and table once; an advisory lock keeps concurrent first starts apart. */
  const ensureTable = (): Promise<void> => {
    ready ??= (async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query("SELECT pg_advisory_xact_lock(hashtext('accord.api_keys'))");
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await client.query(`CREATE SEQUENCE IF NOT EXISTS ${sequence}`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
          id text PRIMARY KEY,
          consumer text NOT NULL,
          salt text NOT NULL,
          hash text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          expires_at timestamptz,
          revoked_at timestamptz,
          version bigint NOT NULL DEFAULT nextval('${options.schema}.api_keys_version')
        )`);
        await client.query(`CREATE INDEX IF NOT EXISTS api_keys_version_idx ON ${table} (version)`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        ready = undefined;
        throw error;
      } finally {
        client.release();
      }
    })();
    return ready;
  };

  const readAll = async (): Promise<StoredApiKey[]> => {
    await ensureTable();
    const result = await pool.query<Row>(`SELECT id, consumer, salt, hash, created_at, expires_at, revoked_at FROM ${table} ORDER BY created_at, id`);
    return result.rows.map(stored);
  };

  const refresh = async (): Promise<void> => {
    await ensureTable();
    const { rows } = await pool.query<{ v: string; n: string }>(`SELECT coalesce(max(version), 0)::text AS v, count(*)::text AS n FROM ${table}`);
    const current = `${rows[0]!.v}:${rows[0]!.n}`;
    if (current !== seen) {
      const records = await readAll();
      seen = current;
      generation++;
      snapshot = snapshotOf(records, generation);
    }
    lastRead = Date.now();
  };
  const poller = new RefreshPoller(refresh, pollMs, options.onError);

  return {
    description: `postgresql ${options.schema}.api_keys`,
    async create(input: CreateKeyInput): Promise<IssuedApiKey> {
      checkCreateInput(input);
      await ensureTable();
      const generated = generateKey();
      const { rows } = await pool.query<Row>(
        `INSERT INTO ${table} (id, consumer, salt, hash, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id, consumer, salt, hash, created_at, expires_at, revoked_at`,
        [generated.id, input.consumer, generated.salt, generated.hash, input.expiresAt ?? null],
      );
      return { record: publicRecord(stored(rows[0]!)), key: generated.key };
    },
    async list(filter = {}): Promise<ApiKeyRecord[]> {
      const all = await readAll();
      return all.filter((r) => filter.consumer === undefined || r.consumer === filter.consumer).map(publicRecord);
    },
    async revoke(id: string): Promise<ApiKeyRecord | undefined> {
      if (!KEY_ID_PATTERN.test(id)) throw new KeyStoreInputError(`"${id}" is not a key id (16 hex digits)`);
      await ensureTable();
      // The new version moves max(version), which is what following instances poll for.
      await pool.query(`UPDATE ${table} SET revoked_at = now(), version = nextval('${options.schema}.api_keys_version') WHERE id = $1 AND revoked_at IS NULL`, [id]);
      const { rows } = await pool.query<Row>(`SELECT id, consumer, salt, hash, created_at, expires_at, revoked_at FROM ${table} WHERE id = $1`, [id]);
      return rows[0] ? publicRecord(stored(rows[0])) : undefined;
    },
    async follow(): Promise<void> {
      await refresh();
      poller.start();
    },
    snapshot: () => snapshot,
    lastReadAt: () => lastRead,
    async close(): Promise<void> {
      poller.stop();
      await pool.end();
    },
  };
}
