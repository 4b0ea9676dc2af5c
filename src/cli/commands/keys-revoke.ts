/** `accord keys revoke`: revokes a key; every gateway instance refuses it within a second. */
import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { openStoreFromFlags, withKeyStoreOptions, withStore, type KeyStoreFlags } from '../key-store-options.js';

/** Registers `keys revoke`. */
export function registerKeysRevoke(keys: Command): void {
  withKeyStoreOptions(
    keys
      .command('revoke')
      .description('revoke an API key by its id (the 16 hex digits after acc_); exit 2 when no key has it')
      .argument('<key-id>', 'the key id, as `accord keys list` shows it'),
  ).action(async (keyId: string, flags: KeyStoreFlags) => {
    const { store } = openStoreFromFlags(flags);
    const record = await withStore(store, (s) => s.revoke(keyId));
    if (!record) throw new UsageError(`no key has the id ${keyId} in ${store.description}`);
    process.stdout.write(`revoked ${record.id} (consumer ${record.consumer}) at ${record.revokedAt}\n`);
  });
}
