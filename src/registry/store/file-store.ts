/**
 * The file registry store: one state file (versions and audit log) replaced atomically per
 * change, documents stored by digest beside it, a lock file between processes, and a stat poll
 * so every process sharing the folder follows changes.
 */
import { existsSync, mkdirSync, readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, AuditPage, AuditQuery, NewAuditEntry, VersionRecord } from '../model.js';
import { compareSemVer, parseSemVer } from '../../governance/check/contract-version.js';
import { writeFileAtomic } from './atomic-file.js';
import { withDirectoryLock } from './directory-lock.js';
import type { ChangeOutcome, LifecycleChange, PutOutcome, RegistryStore } from './registry-store.js';

/** What the state file holds. */
interface State {
  format: 1;
  versions: VersionRecord[];
  audit: AuditEntry[];
  /** Lifecycle notifications sent (`[api, version, event]` as JSON), so that each is sent once. */
  notifications?: Array<{ key: string; at: string }>;
}

/** Options of the file store. */
export interface FileStoreOptions {
  /** How often other processes' changes are looked for (default 200 ms: served within 1 s). */
  pollMs?: number;
  /** How long a writer waits for another process's lock (default 5 s). */
  lockTimeoutMs?: number;
  /** Called between the steps of a write (fault injection in tests). */
  checkpoint?: (point: string) => void;
}

/** The state file could not be read as a registry (hand-edited, or another program's file). */
export class RegistryStateError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'RegistryStateError';
  }
}

function emptyState(): State {
  return { format: 1, versions: [], audit: [] };
}

function byApiThenVersion(a: VersionRecord, b: VersionRecord): number {
  if (a.api !== b.api) return a.api < b.api ? -1 : 1;
  return compareSemVer(parseSemVer(a.version)!, parseSemVer(b.version)!);
}

export class FileRegistryStore implements RegistryStore {
  private readonly stateFile: string;
  private readonly lockFile: string;
  private readonly documentsDir: string;
  private readonly options: Required<Omit<FileStoreOptions, 'checkpoint'>> & Pick<FileStoreOptions, 'checkpoint'>;
  private readonly listeners = new Set<() => void>();
  private watching = false;

  /** `dir` is the registry folder (created if missing), e.g. `<data dir>/registry`. */
  constructor(readonly dir: string, options: FileStoreOptions = {}) {
    this.stateFile = join(dir, 'state.json');
    this.lockFile = join(dir, 'lock');
    this.documentsDir = join(dir, 'documents');
    this.options = { pollMs: options.pollMs ?? 200, lockTimeoutMs: options.lockTimeoutMs ?? 5000, checkpoint: options.checkpoint };
    mkdirSync(this.documentsDir, { recursive: true, mode: 0o700 });
  }

  private read(): State {
    if (!existsSync(this.stateFile)) return emptyState();
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.stateFile, 'utf8'));
    } catch (error) {
      throw new RegistryStateError(this.stateFile, `not valid JSON (${(error as Error).message})`);
    }
    const state = parsed as Partial<State>;
    if (state.format !== 1 || !Array.isArray(state.versions) || !Array.isArray(state.audit)) {
      throw new RegistryStateError(this.stateFile, 'not an Accord registry state file (format 1)');
    }
    return state as State;
  }

  private write(state: State): void {
    writeFileAtomic(this.stateFile, `${JSON.stringify(state)}\n`, this.options.checkpoint);
  }

  private documentPath(digest: string): string {
    return join(this.documentsDir, digest.replace(/^sha256:/, ''));
  }

  async list(): Promise<VersionRecord[]> {
    return [...this.read().versions].sort(byApiThenVersion);
  }

  async get(api: string, version: string): Promise<VersionRecord | undefined> {
    return this.read().versions.find((v) => v.api === api && v.version === version);
  }

  async document(api: string, version: string): Promise<string | undefined> {
    const record = await this.get(api, version);
    if (!record) return undefined;
    return readFileSync(this.documentPath(record.digest), 'utf8');
  }

  put(record: VersionRecord, document: string, audit: NewAuditEntry): Promise<PutOutcome> {
    return withDirectoryLock(
      this.lockFile,
      () => {
        const state = this.read();
        const existing = state.versions.find((v) => v.api === record.api && v.version === record.version);
        if (existing) return { kind: existing.digest === record.digest ? 'identical' : 'conflict', record: existing } as const;
        // The document first: until the state names it, it is an unreferenced file that a crash
        // may leave behind, never a version without its document.
        const path = this.documentPath(record.digest);
        if (!existsSync(path)) writeFileAtomic(path, document, this.options.checkpoint);
        this.options.checkpoint?.('document-written');
        state.versions.push(record);
        state.audit.push({ ...audit, seq: state.audit.length + 1 });
        this.write(state);
        return { kind: 'created', record } as const;
      },
      this.options.lockTimeoutMs,
    );
  }

  change(change: LifecycleChange, audit: NewAuditEntry): Promise<ChangeOutcome> {
    return withDirectoryLock(
      this.lockFile,
      () => {
        const state = this.read();
        const index = state.versions.findIndex((v) => v.api === change.api && v.version === change.version);
        if (index < 0) return { kind: 'not-found' } as const;
        const current = state.versions[index]!;
        if (!change.from.includes(current.status)) return { kind: 'wrong-state', record: current } as const;
        const record: VersionRecord = { ...current, ...change.patch };
        state.versions[index] = record;
        state.audit.push({ ...audit, seq: state.audit.length + 1 });
        this.write(state);
        return { kind: 'changed', record } as const;
      },
      this.options.lockTimeoutMs,
    );
  }

  claimNotification(api: string, version: string, event: string, at: string): Promise<boolean> {
    return withDirectoryLock(
      this.lockFile,
      () => {
        const state = this.read();
        const key = JSON.stringify([api, version, event]);
        const sent = state.notifications ?? [];
        if (sent.some((n) => n.key === key)) return false;
        state.notifications = [...sent, { key, at }];
        this.write(state);
        return true;
      },
      this.options.lockTimeoutMs,
    );
  }

  async audit(query: AuditQuery): Promise<AuditPage> {
    const entries: AuditEntry[] = [];
    const all = this.read().audit;
    const since = query.since !== undefined ? Date.parse(query.since) : undefined;
    const until = query.until !== undefined ? Date.parse(query.until) : undefined;
    for (const entry of all) {
      if (query.after !== undefined && entry.seq <= query.after) continue;
      if (query.api !== undefined && entry.api !== query.api) continue;
      if (query.actor !== undefined && `${entry.actor.provider}/${entry.actor.subject}` !== query.actor && entry.actor.subject !== query.actor) continue;
      const at = Date.parse(entry.at);
      if (since !== undefined && at < since) continue;
      if (until !== undefined && at > until) continue;
      if (entries.length === query.limit) return { entries, next: entries[entries.length - 1]!.seq };
      entries.push(entry);
    }
    return { entries };
  }

  watch(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.watching) {
      this.watching = true;
      watchFile(this.stateFile, { interval: this.options.pollMs, persistent: false }, this.onStat);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  private readonly onStat = (current: Stats, previous: Stats): void => {
    // A replaced file has a new inode; a rewritten one a new mtime.
    if (current.ino === previous.ino && current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
    for (const listener of this.listeners) listener();
  };

  private stopWatching(): void {
    if (!this.watching) return;
    this.watching = false;
    unwatchFile(this.stateFile, this.onStat);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.stopWatching();
  }
}
