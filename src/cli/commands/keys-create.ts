/** `accord keys create`: issues an API key to a consumer and prints it, the only time it is shown. */
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { parseExpiry } from '../../gateway/policies/auth/key-expiry.js';
import { openStoreFromFlags, withKeyStoreOptions, withStore, type KeyStoreFlags } from '../key-store-options.js';

interface CreateFlags extends KeyStoreFlags {
  consumer: string;
  expires?: string;
  format: string;
}

/** Registers `keys create`. */
export function registerKeysCreate(keys: Command): void {
  withKeyStoreOptions(
    keys
      .command('create')
      .description('issue an API key to a consumer; the key is printed once and only its salted hash is kept')
      .requiredOption('--consumer <id>', 'the consumer the key identifies (consumers[].id)')
      .option('--expires <when>', 'expiry: 30d, 12h, 90m or an ISO 8601 date (default: never)')
      .option('--format <format>', 'text or json', 'text'),
  ).action(async (flags: CreateFlags) => {
    if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`--format must be text or json (got "${flags.format}")`);
    let expiresAt: Date | undefined;
    if (flags.expires !== undefined) {
      const parsed = parseExpiry(flags.expires);
      if ('problem' in parsed) throw new UsageError(`--expires: ${parsed.problem}`);
      expiresAt = parsed.date;
    }
    const { store, loaded } = openStoreFromFlags(flags);
    if (loaded && !loaded.config.consumers.some((c) => c.id === flags.consumer)) {
      await store.close();
      throw new UsageError(`consumer "${flags.consumer}" is not declared in ${loaded.file}`);
    }
    const issued = await withStore(store, (s) => s.create({ consumer: flags.consumer, expiresAt }));
    const { record } = issued;
    if (flags.format === 'json') {
      process.stdout.write(`${JSON.stringify({ ...record, key: issued.key })}\n`);
    } else {
      process.stdout.write(`key:      ${issued.key}\nid:       ${record.id}\nconsumer: ${record.consumer}\nexpires:  ${record.expiresAt ?? 'never'}\n`);
      process.stderr.write('Store the key now: it is not shown again (Accord keeps only a salted hash).\n');
    }
  });
}
