/** The shape every CLI command file exports, so that cli.ts can register them from one list. */
import type { Command } from 'commander';

/** Registers one command (with its options and action) on the root program. */
export type CommandRegistrar = (program: Command) => void;
