/**
 * The PostgreSQL registry store: versions and audit rows in one transaction per change, unique
 * keys so that two concurrent registrations of a version cannot both win, and LISTEN/NOTIFY so
 * every instance follows changes (re-read after a reconnection, when a notification may be lost).
 */
import pg from 'pg';
import type { AuditEntry, AuditPage, AuditQuery, NewAuditEntry, VersionRecord } from '../model.js';
import { compareSemVer, parseSemVer } from '../../governance/check/contract-version.js';
import { quoteIdent, registryMigrations } from './postgres-migrations.js';
import type { ChangeOutcome, LifecycleChange, PutOutcome, RegistryStore } from './registry-store.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  /** A libpq connection string (from DATABASE_URL: never from the YAML). */
  connectionString: string;
  /** The schema holding the registry's tables (default `accord`). */
  schema?: string;
  /** Longest wait between reconnection attempts of the listener (default 5 s). */
  maxReconnectDelayMs?: number;
  /** Told when the listener loses or regains its connection (log lines, metrics). */
  onListenerState?: (state: 'lost' | 'restored', error?: Error) => void;
}

interface VersionRow {
  api: string;
  version: string;
  status: VersionRecord['status'];
  digest: string;
  format: VersionRecord['format'];
  published_at: Date;
  deprecated_at: Date | null;
  sunset: Date | null;
  successor: string | null;
  retired_at: Date | null;
}

interface AuditRow {
  seq: string;
  at: Date;
  actor_provider: string;
  actor_subject: string;
  action: AuditEntry['action'];
  api: string;
  version: string;
  digest: string | null;
  governance: AuditEntry['governance'] | null;
  override_reason: string | null;
  sunset: Date | null;
  successor: string | null;
  trigger: AuditEntry['trigger'] | null;
  consumers: AuditEntry['consumers'] | null;
}

const VERSION_COLUMNS = 'api, version, status, digest, format, published_at, deprecated_at, sunset, successor, retired_at';

function toRecord(row: VersionRow): VersionRecord {
  return {
    api: row.api,
    version: row.version,
    status: row.status,
    digest: row.digest,
    format: row.format,
    publishedAt: row.published_at.toISOString(),
    ...(row.deprecated_at ? { deprecatedAt: row.deprecated_at.toISOString() } : {}),
    ...(row.sunset ? { sunset: row.sunset.toISOString() } : {}),
    ...(row.successor !== null ? { successor: row.successor } : {}),
    ...(row.retired_at ? { retiredAt: row.retired_at.toISOString() } : {}),
  };
}

function toAudit(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actor: { provider: row.actor_provider, subject: row.actor_subject },
    action: row.action,
    api: row.api,
    version: row.version,
    ...(row.digest !== null ? { digest: row.digest } : {}),
    ...(row.governance !== null ? { governance: row.governance } : {}),
    ...(row.override_reason !== null ? { overrideReason: row.override_reason } : {}),
    ...(row.sunset ? { sunset: row.sunset.toISOString() } : {}),
    ...(row.successor !== null ? { successor: row.successor } : {}),
    ...(row.trigger !== null ? { trigger: row.trigger } : {}),
    ...(row.consumers !== null && row.consumers !== undefined ? { consumers: row.consumers } : {}),
  };
}

export class PostgresRegistryStore implements RegistryStore {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly channel: string;
  private readonly listeners = new Set<() => void>();
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = 100;
  private closed = false;

  private constructor(private readonly options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'accord';
    this.channel = `${this.schema}_registry`;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 5 });
    // An idle client that loses its server must not take the process down.
    this.pool.on('error', () => undefined);
  }

  /** Connects, applies pending migrations, and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresRegistryStore> {
    const store = new PostgresRegistryStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.pool.end();
      throw error;
    }
    return store;
  }

  private table(name: string): string {
    return `${quoteIdent(this.schema)}.${name}`;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One migrator at a time across instances starting together.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}:migrations`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table('migrations')} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Set((await client.query<{ version: number }>(`SELECT version FROM ${this.table('migrations')}`)).rows.map((r) => r.version));
      const known = registryMigrations(this.schema);
      const newest = Math.max(0, ...applied);
      if (newest > known.length) throw new Error(`the registry schema "${this.schema}" is at migration ${newest}, newer than this Accord knows (${known.length}): upgrade Accord`);
      for (const migration of known) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements) await client.query(statement);
        await client.query(`INSERT INTO ${this.table('migrations')} (version) VALUES ($1)`, [migration.version]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `work` in a transaction that also notifies every instance when it commits a change. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<{ result: T; changed: boolean }>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { result, changed } = await work(client);
      if (changed) await client.query('SELECT pg_notify($1, $2)', [this.channel, 'changed']);
      await client.query(changed ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Appends an audit entry with the next gap-free sequence number (writers are serialised by the table lock). */
  private async appendAudit(client: pg.PoolClient, entry: NewAuditEntry): Promise<void> {
    await client.query(`LOCK TABLE ${this.table('audit')} IN EXCLUSIVE MODE`);
    await client.query(
      `INSERT INTO ${this.table('audit')} (seq, at, actor_provider, actor_subject, action, api, version, digest, governance, override_reason, sunset, successor, trigger, consumers)
       SELECT coalesce(max(seq), 0) + 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM ${this.table('audit')}`,
      [entry.at, entry.actor.provider, entry.actor.subject, entry.action, entry.api, entry.version, entry.digest ?? null, entry.governance ? JSON.stringify(entry.governance) : null, entry.overrideReason ?? null, entry.sunset ?? null, entry.successor ?? null, entry.trigger ?? null, entry.consumers ? JSON.stringify(entry.consumers) : null],
    );
  }

  async list(): Promise<VersionRecord[]> {
    const rows = (await this.pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM ${this.table('versions')}`)).rows.map(toRecord);
    return rows.sort((a, b) => (a.api !== b.api ? (a.api < b.api ? -1 : 1) : compareSemVer(parseSemVer(a.version)!, parseSemVer(b.version)!)));
  }

  async get(api: string, version: string): Promise<VersionRecord | undefined> {
    const rows = (await this.pool.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM ${this.table('versions')} WHERE api = $1 AND version = $2`, [api, version])).rows;
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async document(api: string, version: string): Promise<string | undefined> {
    const rows = (await this.pool.query<{ document: string }>(`SELECT document FROM ${this.table('versions')} WHERE api = $1 AND version = $2`, [api, version])).rows;
    return rows[0]?.document;
  }

  put(record: VersionRecord, document: string, audit: NewAuditEntry): Promise<PutOutcome> {
    return this.transaction<PutOutcome>(async (client) => {
      const inserted = await client.query<VersionRow>(
        `INSERT INTO ${this.table('versions')} (api, version, status, digest, format, document, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (api, version) DO NOTHING RETURNING ${VERSION_COLUMNS}`,
        [record.api, record.version, record.status, record.digest, record.format, document, record.publishedAt],
      );
      if (inserted.rows[0]) {
        await this.appendAudit(client, audit);
        return { result: { kind: 'created', record: toRecord(inserted.rows[0]) } as const, changed: true };
      }
      // The unique key decided: another registration of this version committed first.
      const existing = toRecord((await client.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM ${this.table('versions')} WHERE api = $1 AND version = $2`, [record.api, record.version])).rows[0]!);
      return { result: { kind: existing.digest === record.digest ? 'identical' : 'conflict', record: existing } as const, changed: false };
    });
  }

  change(change: LifecycleChange, audit: NewAuditEntry): Promise<ChangeOutcome> {
    return this.transaction<ChangeOutcome>(async (client) => {
      const rows = (await client.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM ${this.table('versions')} WHERE api = $1 AND version = $2 FOR UPDATE`, [change.api, change.version])).rows;
      if (!rows[0]) return { result: { kind: 'not-found' } as const, changed: false };
      const current = toRecord(rows[0]);
      if (!change.from.includes(current.status)) return { result: { kind: 'wrong-state', record: current } as const, changed: false };
      const next: VersionRecord = { ...current, ...change.patch };
      const updated = await client.query<VersionRow>(
        `UPDATE ${this.table('versions')} SET status = $3, deprecated_at = $4, sunset = $5, successor = $6, retired_at = $7 WHERE api = $1 AND version = $2 RETURNING ${VERSION_COLUMNS}`,
        [change.api, change.version, next.status, next.deprecatedAt ?? null, next.sunset ?? null, next.successor ?? null, next.retiredAt ?? null],
      );
      await this.appendAudit(client, audit);
      return { result: { kind: 'changed', record: toRecord(updated.rows[0]!) } as const, changed: true };
    });
  }

  async claimNotification(api: string, version: string, event: string, at: string): Promise<boolean> {
    // The primary key decides between instances: one INSERT wins, the others insert nothing.
    const result = await this.pool.query(`INSERT INTO ${this.table('notifications')} (api, version, event, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [api, version, event, at]);
    return result.rowCount === 1;
  }

  async audit(query: AuditQuery): Promise<AuditPage> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      values.push(value);
      where.push(clause.replace('?', `$${values.length}`));
    };
    if (query.after !== undefined) add('seq > ?', query.after);
    if (query.api !== undefined) add('api = ?', query.api);
    if (query.actor !== undefined) {
      values.push(query.actor);
      where.push(`(actor_subject = $${values.length} OR actor_provider || '/' || actor_subject = $${values.length})`);
    }
    if (query.since !== undefined) add('at >= ?', query.since);
    if (query.until !== undefined) add('at <= ?', query.until);
    values.push(query.limit + 1);
    const sql = `SELECT * FROM ${this.table('audit')}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT $${values.length}`;
    const rows = (await this.pool.query<AuditRow>(sql, values)).rows.map(toAudit);
    if (rows.length > query.limit) {
      const entries = rows.slice(0, query.limit);
      return { entries, next: entries[entries.length - 1]!.seq };
    }
    return { entries: rows };
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.listener && !this.reconnectTimer) void this.listen(false);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Opens the LISTEN connection; after a reconnection, tells the listeners to re-read. */
  private async listen(isReconnect: boolean): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.connectionString });
    const lost = (error?: Error): void => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.onListenerState?.('lost', error);
      this.scheduleReconnect();
    };
    client.on('error', (error: Error) => lost(error));
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.notify();
    });
    try {
      this.listener = client;
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      if (this.listener === client) lost(error as Error);
      return;
    }
    this.reconnectDelay = 100;
    if (isReconnect) this.options.onListenerState?.('restored');
    // Changes committed before LISTEN took effect (while disconnected, or between watch() and now)
    // were notified to nobody: have the listeners re-read.
    this.notify();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.maxReconnectDelayMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.listen(true);
    }, delay);
    this.reconnectTimer.unref();
  }

  /** The backend PID of the LISTEN connection (tests terminate it to simulate a lost connection). */
  async listenerPid(): Promise<number | undefined> {
    const client = this.listener;
    if (!client) return undefined;
    const rows = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
    return rows[0]?.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.listener;
    this.listener = undefined;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
    await this.pool.end();
  }
}
