/**
 * `accord contracts register|list|show|diff|deprecate|retire|audit|import`: the registry from the
 * command line, through the admin API (`--admin-url`, ACCORD_TOKEN) or the local store (`--local`).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isAtLeast, type Finding } from '../../governance/findings.js';
import { loadRuleset, RulesetError } from '../../governance/lint/index.js';
import { FileRegistryStore } from '../../registry/store/file-store.js';
import { ContractFolderError, listContractFiles, type ContractFolderEntry } from '../../registry/contract-folder.js';
import { PostgresRegistryStore } from '../../registry/store/postgres-store.js';
import type { RegistryStore } from '../../registry/store/registry-store.js';
import { RegistryService } from '../../registry/registry-service.js';
import { localRegistryClient } from '../../registry/local-registry-client.js';
import type { RegistryClient, RegisterOutcome } from '../../registry/registry-client.js';
import { API_ID } from '../../registry/register-version.js';
import { adminRegistryClient } from '../admin-registry-client.js';
import { resolveDataDir } from '../data-dir.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import { FORMATS, isFormat, renderFindings } from '../formatters/index.js';

/** Default admin API address (DESIGN.md: the admin listener on 127.0.0.1:9080). */
const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9080';

interface ConnectionFlags {
  adminUrl?: string;
  local?: boolean;
  dataDir?: string;
  store?: string;
  ruleset?: string;
  format?: string;
}

/** Opens the registry the flags name: the admin API, or with --local the file store or PostgreSQL. */
async function openClient(flags: ConnectionFlags): Promise<RegistryClient> {
  if (!flags.local) return adminRegistryClient(flags.adminUrl ?? process.env.ACCORD_ADMIN_URL ?? DEFAULT_ADMIN_URL, process.env.ACCORD_TOKEN || undefined);
  let ruleset;
  try {
    ruleset = await loadRuleset(flags.ruleset);
  } catch (error) {
    if (error instanceof RulesetError) throw new UsageError(error.describe());
    throw error;
  }
  let store: RegistryStore;
  const kind = flags.store ?? 'file';
  if (kind === 'file') store = new FileRegistryStore(join(resolveDataDir(flags.dataDir), 'registry'));
  else if (kind === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new UsageError('--store postgres needs DATABASE_URL (a libpq connection string)');
    try {
      store = await PostgresRegistryStore.open({ connectionString: url, schema: process.env.ACCORD_REGISTRY_SCHEMA || undefined });
    } catch (error) {
      throw new UsageError(`cannot open the PostgreSQL registry: ${(error as Error).message}`);
    }
  } else throw new UsageError(`--store must be file or postgres (got "${kind}")`);
  return localRegistryClient(new RegistryService(store, ruleset));
}

/** Adds the options every subcommand shares. */
function connectionOptions(command: Command): Command {
  return command
    .option('--admin-url <url>', `admin API (ACCORD_ADMIN_URL; default ${DEFAULT_ADMIN_URL}); the token comes from ACCORD_TOKEN`)
    .option('--local', 'use the registry store directly instead of the admin API', false)
    .option('--data-dir <dir>', 'with --local: data directory of the file store (ACCORD_DATA_DIR; default .accord/)')
    .option('--store <kind>', 'with --local: file (default) or postgres (DATABASE_URL)')
    .option('--ruleset <file>', 'with --local: the ruleset governance runs (default: the bundled one)');
}

function formatOf(flags: ConnectionFlags, allowed: readonly string[] = ['text', 'json']): string {
  const format = flags.format ?? 'text';
  if (!allowed.includes(format)) throw new UsageError(`unknown --format '${format}' (one of ${allowed.join(', ')})`);
  return format;
}

async function withClient(flags: ConnectionFlags, work: (client: RegistryClient) => Promise<number>): Promise<void> {
  const client = await openClient(flags);
  try {
    process.exitCode = await work(client);
  } finally {
    await client.close();
  }
}

function printFindings(findings: readonly Finding[], file: string, format: string): void {
  if (findings.length === 0) return;
  process.stdout.write(renderFindings({ tool: 'check', findings: [...findings], files: [file], failThreshold: 'error' }, isFormat(format) ? format : 'text'));
}

/** Prints a registration outcome; returns its exit code (DESIGN.md: 0 stored or identical, 1 rejected, 2 refused). */
function reportRegistration(outcome: RegisterOutcome, api: string, file: string, format: string): number {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ api, file, ...outcome })}\n`);
  } else {
    switch (outcome.kind) {
      case 'created':
        process.stdout.write(`stored ${api} ${outcome.record.version} (${outcome.record.digest})${outcome.overridden ? ' over a governance rejection: the reason is in the audit log' : ''}\n`);
        // What an owner should read: warnings and overridden errors; compatible changes are in `contracts diff`.
        printFindings(outcome.findings.filter((f) => isAtLeast(f.severity, 'warn')), file, 'text');
        break;
      case 'identical':
        process.stdout.write(`${api} ${outcome.record.version} is already registered with this content: nothing to do\n`);
        break;
      case 'rejected':
        printFindings(outcome.findings, file, 'text');
        process.stdout.write(`rejected: ${api} ${file} did not pass governance (fix the errors, publish breaking changes as a new major, or pass --override-reason)\n`);
        break;
      case 'conflict':
      case 'invalid':
        process.stderr.write(`accord: ${file}: ${outcome.detail}\n`);
        break;
    }
  }
  if (outcome.kind === 'rejected') return EXIT_FINDINGS;
  if (outcome.kind === 'conflict' || outcome.kind === 'invalid') return EXIT_USAGE;
  return EXIT_OK;
}

function readDocument(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${file}: file not found or unreadable`);
  }
}

/** Registers `contracts` and its subcommands. */
export function registerContracts(program: Command): void {
  const contracts = program.command('contracts').description('the contract registry: register, list, show, diff, deprecate, retire, audit, import');

  connectionOptions(contracts.command('register').description('register a contract version (exit 0 stored or identical, 1 rejected by governance, 2 unusable or refused)'))
    .argument('<file>', 'one self-contained OpenAPI document (YAML or JSON); its info.version is the version')
    .option('--api <id>', 'API id (default: the name of the folder holding the file, as in contracts/<api>/<version>.yaml)')
    .option('--override-reason <text>', 'publish even if governance rejects it; the reason is audited')
    .option('--format <format>', 'text or json', 'text')
    .action(async (file: string, flags: ConnectionFlags & { api?: string; overrideReason?: string }) => {
      const format = formatOf(flags);
      const api = flags.api ?? basename(dirname(resolve(file)));
      if (!API_ID.test(api)) throw new UsageError(`API id "${api}" must match ${API_ID.source} (pass --api)`);
      const document = readDocument(file);
      await withClient(flags, async (client) => reportRegistration(await client.register(api, document, flags.overrideReason), api, file, format));
    });

  connectionOptions(contracts.command('import').description('register every contracts/<api>/<version>.yaml of a folder, oldest version first, through governance'))
    .argument('<dir>', 'a contracts folder laid out as <api>/<version>.yaml')
    .option('--format <format>', 'text or json', 'text')
    .action(async (dir: string, flags: ConnectionFlags) => {
      const format = formatOf(flags);
      let files: ContractFolderEntry[];
      try {
        files = listContractFiles(dir);
      } catch (error) {
        if (error instanceof ContractFolderError) throw new UsageError(error.message);
        throw error;
      }
      if (files.length === 0) throw new UsageError(`${dir}: no contracts laid out as <api>/<version>.yaml`);
      await withClient(flags, async (client) => {
        let worst = EXIT_OK;
        for (const f of files) {
          const code = reportRegistration(await client.register(f.api, readDocument(f.path), undefined), f.api, f.path, format);
          worst = Math.max(worst, code);
        }
        return worst;
      });
    });

  connectionOptions(contracts.command('list').description('list APIs and their versions with their lifecycle'))
    .option('--api <id>', 'only this API')
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: ConnectionFlags & { api?: string }) => {
      const format = formatOf(flags);
      await withClient(flags, async (client) => {
        const apis = await client.list(flags.api);
        if (format === 'json') process.stdout.write(`${JSON.stringify({ apis })}\n`);
        else if (apis.length === 0) process.stdout.write('no versions registered\n');
        else
          for (const a of apis) {
            process.stdout.write(`${a.api}\n`);
            for (const v of a.versions) {
              const extra = v.status === 'deprecated' ? ` (sunset ${v.sunset ?? 'not set'}${v.successor ? `, successor ${v.successor}` : ''})` : '';
              process.stdout.write(`  ${v.version.padEnd(12)} ${v.status}${extra}\n`);
            }
          }
        return EXIT_OK;
      });
    });

  connectionOptions(contracts.command('show').description("print a registered version's document (or its record with --format json)"))
    .argument('<api>')
    .argument('<version>')
    .option('--format <format>', 'document (default) or json (the record)', 'document')
    .action(async (api: string, version: string, flags: ConnectionFlags) => {
      const format = formatOf(flags, ['document', 'json']);
      await withClient(flags, async (client) => {
        const found = await client.show(api, version);
        if (!found) throw new UsageError(`${api} ${version} is not registered`);
        process.stdout.write(format === 'json' ? `${JSON.stringify(found.record)}\n` : found.document);
        return EXIT_OK;
      });
    });

  connectionOptions(contracts.command('diff').description('changes between two registered versions (exit 1 when breaking)'))
    .argument('<api>')
    .argument('<base>')
    .argument('<revision>')
    .option('--format <format>', `output format (${FORMATS.join(', ')})`, 'text')
    .action(async (api: string, base: string, revision: string, flags: ConnectionFlags) => {
      const format = formatOf(flags, FORMATS);
      await withClient(flags, async (client) => {
        const result = await client.diff(api, base, revision);
        if (result.kind === 'not-found') throw new UsageError(`${api} ${result.version} is not registered`);
        process.stdout.write(renderFindings({ tool: 'diff', findings: [...result.findings], files: [`${api}/${revision}`, `${api}/${base}`], failThreshold: 'error' }, format as (typeof FORMATS)[number]));
        return result.findings.some((f) => isAtLeast(f.severity, 'error')) ? EXIT_FINDINGS : EXIT_OK;
      });
    });

  connectionOptions(contracts.command('deprecate').description('deprecate a version: it is still served, with Deprecation, Sunset and Link headers'))
    .argument('<api>')
    .argument('<version>')
    .option('--sunset <date-time>', 'when it stops being served (ISO 8601, in the future)')
    .option('--successor <version>', 'the registered version callers should move to')
    .action(async (api: string, version: string, flags: ConnectionFlags & { sunset?: string; successor?: string }) => {
      await withClient(flags, async (client) => {
        const result = await client.deprecate(api, version, { sunset: flags.sunset, successor: flags.successor });
        if (result.kind === 'refused') throw new UsageError(result.detail);
        process.stdout.write(`deprecated ${api} ${version}${result.record.sunset ? `, sunset ${result.record.sunset}` : ''}${result.record.successor ? `, successor ${result.record.successor}` : ''}\n`);
        return EXIT_OK;
      });
    });

  connectionOptions(
    contracts.command('retire').description('retire a version: the gateway answers 410 VERSION_RETIRED (refused while a consumer called the version within registry.lifecycle.inUseWindowDays, unless --force --reason)'),
  )
    .argument('<api>')
    .argument('<version>')
    .option('--force', 'retire even though consumers still call the version (needs --reason; audited)', false)
    .option('--reason <text>', 'why the version is retired while in use (written to the audit log)')
    .action(async (api: string, version: string, flags: ConnectionFlags & { force?: boolean; reason?: string }) => {
      if (flags.force && (flags.reason === undefined || flags.reason.trim() === '')) throw new UsageError('--force needs --reason "<why>" (it is written to the audit log)');
      if (!flags.force && flags.reason !== undefined) throw new UsageError('--reason goes with --force');
      await withClient(flags, async (client) => {
        const result = await client.retire(api, version, flags.force ? { force: true, reason: flags.reason } : {});
        if (result.kind === 'refused') throw new UsageError(result.detail);
        process.stdout.write(`retired ${api} ${version}\n`);
        return EXIT_OK;
      });
    });

  connectionOptions(contracts.command('audit').description('read the audit log, oldest first'))
    .option('--api <id>', 'only this API')
    .option('--actor <who>', 'only this actor (subject, or provider/subject)')
    .option('--since <date-time>', 'from this instant')
    .option('--until <date-time>', 'up to this instant')
    .option('--limit <n>', 'entries per page (1-500)', '50')
    .option('--cursor <n>', 'the next-page cursor a previous call printed')
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: ConnectionFlags & { api?: string; actor?: string; since?: string; until?: string; limit: string; cursor?: string }) => {
      const format = formatOf(flags);
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit must be a whole number from 1 to 500 (got "${flags.limit}")`);
      if (flags.cursor !== undefined && !/^[0-9]{1,15}$/.test(flags.cursor)) throw new UsageError(`--cursor must be the number a previous page printed (got "${flags.cursor}")`);
      for (const [name, value] of [['--since', flags.since], ['--until', flags.until]] as const) {
        if (value !== undefined && Number.isNaN(Date.parse(value))) throw new UsageError(`${name} must be an ISO 8601 date-time (got "${value}")`);
      }
      await withClient(flags, async (client) => {
        const page = await client.audit({ limit, after: flags.cursor !== undefined ? Number(flags.cursor) : undefined, api: flags.api, actor: flags.actor, since: flags.since, until: flags.until });
        if (format === 'json') process.stdout.write(`${JSON.stringify(page)}\n`);
        else {
          for (const e of page.entries) {
            const extra = [e.overrideReason ? `override: ${e.overrideReason}` : '', e.sunset ? `sunset ${e.sunset}` : '', e.trigger === 'sunset' ? 'at sunset' : '', e.governance ? `${e.governance.errors} error(s), ${e.governance.warnings} warning(s)` : ''].filter(Boolean).join('; ');
            process.stdout.write(`${String(e.seq).padStart(5)}  ${e.at}  ${e.actor.provider}/${e.actor.subject}  ${e.action} ${e.api} ${e.version}${extra ? `  (${extra})` : ''}\n`);
          }
          if (page.next !== undefined) process.stdout.write(`more: --cursor ${page.next}\n`);
        }
        return EXIT_OK;
      });
    });
}
