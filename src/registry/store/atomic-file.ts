/** Crash-safe file replacement: write a temp file, fsync it, rename it over the target, fsync the folder. */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Replaces `path` with `data` so that a crash at any instant leaves either the old or the new
 * content, never a mix: rename is atomic within a file system, and the fsyncs make sure the new
 * bytes, then the new directory entry, are on disk before the caller reports success.
 * `checkpoint` is called between the steps (fault injection in tests).
 */
export function writeFileAtomic(path: string, data: string | Buffer, checkpoint?: (point: string) => void): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    checkpoint?.('temp-written');
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  checkpoint?.('temp-synced');
  renameSync(temp, path);
  checkpoint?.('renamed');
  syncDirectory(dirname(path));
}

/** Makes a directory's entries (a rename, a new file) durable. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
