/** `accord keys create`: issues an API key to a consumer and prints it, the only time it is shown. */
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { openStoreFromFlags, withKeyStoreOptions, withStore, type KeyStoreFlags } from '../key-store-options.js';

interface CreateFlags extends KeyStoreFlags {
  consumer: string;
  expires?: string;
  format: string;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30d`, `12h`, `90m` from now, or an ISO 8601 date or date-time; undefined when not given. */
export function parseExpiry(text: string | undefined, now: number = Date.now()): Date | undefined {
  if (text === undefined) return undefined;
  const relative = /^([1-9][0-9]{0,5})([mhd])$/.exec(text);
  if (relative) return new Date(now + Number(relative[1]) * UNIT_MS[relative[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) {
      if (date.getTime() <= now) throw new UsageError(`--expires ${text} is not in the future`);
      return date;
    }
  }
  throw new UsageError(`--expires must be a duration such as 30d, 12h or 90m, or an ISO 8601 date (got "${text}")`);
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
    const expiresAt = parseExpiry(flags.expires);
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
