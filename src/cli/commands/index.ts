/** Every command of the `accord` binary, in the order `--help` lists them. Adding one touches this list. */
import type { CommandRegistrar } from '../command.js';
import { registerServe } from './serve.js';
import { registerConfigValidate } from './config-validate.js';
import { registerDiff } from './diff.js';
import { registerMock } from './mock.js';
import { registerToken } from './token.js';
import { registerCheck } from './check.js';
import { registerLint } from './lint.js';

export const COMMANDS: CommandRegistrar[] = [
  registerServe,
  registerConfigValidate,
  registerDiff,
  registerMock,
  registerToken,
  registerCheck,
  registerLint,
];
