#!/usr/bin/env node
/** Entry point of the `accord` binary: maps errors to the exit codes of the command-line contract. */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './cli/commands/index.js';
import { EXIT_USAGE, UsageError } from './cli/exit-codes.js';
import { SourceError } from './contracts/source.js';
import { ContractError } from './contracts/openapi-document.js';
import { readToolIdentity } from './cli/formatters/tool-identity.js';

function oneLine(error: unknown): string {
  if (error instanceof SourceError || error instanceof ContractError) return error.describe();
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('accord')
    .description('Accord: contract-first API gateway and OpenAPI governance')
    .version(readToolIdentity().version, '-V, --version', 'print the version of accord')
    .showHelpAfterError(false)
    // Options after a command name belong to that command (`accord impact deprecations --api x`:
    // the subcommand's --api, not its parent's).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  // Load only the invoked command; every command when none matches (help, or a usage error).
  const invoked = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const matching = COMMANDS.filter((c) => c.name === invoked);
  // `accord --version` alone needs no command at all.
  const versionOnly = invoked === undefined && argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V');
  if (!versionOnly) for (const entry of matching.length > 0 ? matching : COMMANDS) (await entry.load())(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every other parse problem is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    const expected = error instanceof UsageError || error instanceof SourceError || error instanceof ContractError;
    process.stderr.write(`accord: ${oneLine(error)}\n`);
    if (!expected && process.env.ACCORD_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = EXIT_USAGE;
  }
}

await main(process.argv);
