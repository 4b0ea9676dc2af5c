/** An exclusive lock between processes sharing one data directory: a lock file created with O_EXCL. */
import { openSync, closeSync, writeSync, readFileSync, unlinkSync, renameSync, statSync, linkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The lock was not obtained in time (another process holds it and is alive). */
export class LockTimeout extends Error {
  constructor(readonly path: string, readonly holder: string) {
    super(`the registry at ${path} is locked by another process (${holder}) and stayed locked`);
    this.name = 'LockTimeout';
  }
}

/** True when a process with this PID exists (on this machine). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` holding the lock at `path`. The file holds the holder's PID: a lock left by a
 * process that died (SIGKILL mid-write) is taken over, since a dead process cannot be writing.
 * Waits at most `timeoutMs`, polling, then throws LockTimeout.
 */
export async function withDirectoryLock<T>(path: string, work: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let fd: number | undefined;
  let holder = '';
  for (let attempt = 0; fd === undefined; attempt++) {
    try {
      fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const seen = inode(path);
      holder = readHolder(path);
      const pid = Number(holder);
      if (seen !== undefined && Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
        takeOver(path, seen);
        continue;
      }
      if (Date.now() >= deadline) throw new LockTimeout(path, holder ? `pid ${holder}` : 'unknown holder');
      await sleep(Math.min(50, 5 * (attempt + 1)));
    }
  }
  try {
    return await work();
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
}

function inode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/**
 * Removes the lock file of a dead holder. Another waiter may have taken the dead lock over and
 * created a live one in the meantime: the lock is moved aside first, and only deleted when it is
 * still the file that was seen (same inode); a live lock moved aside by mistake is put back.
 */
function takeOver(path: string, seen: number): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // Already gone: another waiter took it over.
  }
  if (inode(aside) === seen) {
    unlinkSync(aside);
    return;
  }
  try {
    linkSync(aside, path);
  } catch {
    // A third waiter created a lock in the microseconds between: the live holder we moved aside
    // and that waiter now both run. It takes three processes racing on a dead holder's lock at
    // the same instant; the registry's writes stay whole files either way (atomic rename).
  }
  unlinkSync(aside);
}

function readHolder(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
