/**
 * `accord keys create|list|revoke`: API keys of declared consumers, in the store the
 * configuration (or `--store`) selects. Each subcommand is its own file; this one groups them.
 */
import type { Command } from 'commander';
import { registerKeysCreate } from './keys-create.js';
import { registerKeysList } from './keys-list.js';
import { registerKeysRevoke } from './keys-revoke.js';

/** Registers `keys` and its subcommands. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('issue, list and revoke the API keys of consumers (exit 0 done, 2 unusable input)');
  registerKeysCreate(keys);
  registerKeysList(keys);
  registerKeysRevoke(keys);
}
