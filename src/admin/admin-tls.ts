/** The admin listener's TLS material (`admin.listen.tls`), read once at start; unreadable files are config errors. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';
import type { AdminTlsConfig } from './schema.js';

/** PEM text for the HTTPS admin listener. */
export interface AdminTlsMaterial {
  key: string;
  cert: string;
  /** CAs of accepted client certificates. */
  ca: string;
}

/** Reads the files of `admin.listen.tls` (relative to `dir`); throws ConfigError naming each one that cannot be read. */
export function readAdminTls(tls: AdminTlsConfig | undefined, where: { file: string; dir: string; lineOf(pointer: string): number | undefined }): AdminTlsMaterial | undefined {
  if (!tls) return undefined;
  const issues: ConfigIssue[] = [];
  const read = (name: keyof AdminTlsConfig): string => {
    const path = resolve(where.dir, tls[name]);
    try {
      const text = readFileSync(path, 'utf8');
      if (!text.includes('-----BEGIN ')) throw new Error('not PEM');
      return text;
    } catch (error) {
      const pointer = `/admin/listen/tls/${name}`;
      issues.push({ file: where.file, pointer, line: where.lineOf(pointer), message: `cannot read ${path} as PEM (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
      return '';
    }
  };
  const material = { key: read('key'), cert: read('cert'), ca: read('clientCa') };
  if (issues.length > 0) throw new ConfigError(issues);
  return material;
}
