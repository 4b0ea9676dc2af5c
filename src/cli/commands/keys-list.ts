/** `accord keys list`: the keys of every consumer, or of one, without their secrets. */
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { openStoreFromFlags, withKeyStoreOptions, withStore, type KeyStoreFlags } from '../key-store-options.js';

interface ListFlags extends KeyStoreFlags {
  consumer?: string;
  format: string;
}

/** Registers `keys list`. */
export function registerKeysList(keys: Command): void {
  withKeyStoreOptions(
    keys
      .command('list')
      .description('list API keys (id, consumer, created, expires, revoked); never their secrets')
      .option('--consumer <id>', 'only the keys of this consumer')
      .option('--format <format>', 'text or json', 'text'),
  ).action(async (flags: ListFlags) => {
    if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
    const { store } = openStoreFromFlags(flags);
    const records = await withStore(store, (s) => s.list({ consumer: flags.consumer }));
    if (flags.format === 'json') {
      process.stdout.write(`${JSON.stringify({ keys: records })}\n`);
      return;
    }
    const rows = [['ID', 'CONSUMER', 'CREATED', 'EXPIRES', 'REVOKED'], ...records.map((r) => [r.id, r.consumer, r.createdAt, r.expiresAt ?? '-', r.revokedAt ?? '-'])];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    for (const row of rows) process.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
  });
}
