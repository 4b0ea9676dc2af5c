/** `accord config validate`: checks a configuration and the contracts it serves, without serving. */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { ConfigError, formatIssue } from '../../config/config-error.js';
import { ContractError } from '../../contracts/openapi-document.js';
import { SourceError } from '../../contracts/source.js';
import { buildRouteTable } from '../../gateway/pipeline/build-routes.js';
import { createLogger } from '../../observability/logger.js';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.js';
import { displayPath } from '../display-path.js';
import { TlsFileError, TlsMaterial } from '../../gateway/policies/mtls/index.js';

/** Registers `config validate`. */
export function registerConfigValidate(program: Command): void {
  const config = program.command('config').description('work with the gateway configuration');
  config
    .command('validate')
    .description('validate policies/gateway.yaml and compile every contract it serves (exit 0 valid, 1 invalid, 2 unusable)')
    .option('--config <dir>', 'configuration folder or file', 'policies')
    .action((opts: { config: string }) => {
      let loaded;
      try {
        loaded = loadConfig(opts.config);
      } catch (error) {
        // A missing or unparsable gateway.yaml (SourceError) is unusable input: it propagates to exit 2.
        if (!(error instanceof ConfigError)) throw error;
        for (const issue of error.issues) process.stdout.write(formatIssue({ ...issue, file: displayPath(issue.file) }) + '\n');
        process.exitCode = EXIT_FINDINGS;
        return;
      }
      const tls = loaded.config.listen.tls;
      if (tls) {
        // The TLS files are read as at start: missing, unreadable or mismatched files are configuration errors.
        try {
          new TlsMaterial(tls, loaded.dir, createLogger({ level: 'silent' }));
        } catch (error) {
          if (!(error instanceof TlsFileError)) throw error;
          process.stdout.write(formatIssue({ file: displayPath(loaded.file), pointer: error.pointer, line: loaded.lineOf(error.pointer), message: error.message }) + '\n');
          process.exitCode = EXIT_FINDINGS;
          return;
        }
      }
      try {
        const table = buildRouteTable(loaded, { logger: createLogger({ level: 'silent' }), authenticator: undefined, dryRun: true });
        table.close();
        process.stdout.write(`${displayPath(loaded.file)}: valid (${table.served.length} API version${table.served.length === 1 ? '' : 's'} served)\n`);
        process.exitCode = EXIT_OK;
      } catch (error) {
        // A contract the configuration points at that cannot be served makes the configuration invalid.
        if (!(error instanceof ContractError || error instanceof SourceError)) throw error;
        // One no reader can walk safely (past the parser's limits, an alias bomb, $refs nested
        // beyond any reader) is unusable input, as for lint and diff: exit 2 naming file and cause.
        if (error.code === 'SOURCE_TOO_COMPLEX' || error.code === 'CONTRACT_TOO_COMPLEX') throw error;
        process.stdout.write(error.describe() + '\n');
        process.exitCode = EXIT_FINDINGS;
      }
    });
}
