/**
 * Every command of the `accord` binary, in the order `--help` lists them. Adding one touches this
 * list. Commands load lazily: `accord token` should not pay for Spectral, nor `accord lint` for
 * the gateway, so only the invoked command's module is imported (all of them for `--help`).
 */
import type { CommandRegistrar } from '../command.js';

/** A command by name, with a loader for its registrar. */
export interface CommandEntry {
  name: string;
  load: () => Promise<CommandRegistrar>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'serve', load: async () => (await import('./serve.js')).registerServe },
  { name: 'config', load: async () => (await import('./config-validate.js')).registerConfigValidate },
  { name: 'token', load: async () => (await import('./token.js')).registerToken },
  { name: 'keys', load: async () => (await import('./keys.js')).registerKeys },
  { name: 'mock', load: async () => (await import('./mock.js')).registerMock },
  { name: 'lint', load: async () => (await import('./lint.js')).registerLint },
  { name: 'diff', load: async () => (await import('./diff.js')).registerDiff },
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
  { name: 'contracts', load: async () => (await import('./contracts.js')).registerContracts },
  { name: 'usage', load: async () => (await import('./usage.js')).registerUsage },
  { name: 'impact', load: async () => (await import('./impact.js')).registerImpact },
  { name: 'drift', load: async () => (await import('./drift.js')).registerDrift },
];
