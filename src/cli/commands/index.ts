/** Every command of the `accord` binary, in the order `--help` lists them. Adding one touches this list. */
import type { CommandRegistrar } from '../command.js';

export const COMMANDS: CommandRegistrar[] = [];
