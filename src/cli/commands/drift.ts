/**
 * `accord drift`: which upstream broke which operation's contract, where and since when, from a
 * running gateway's admin API: exit 1 when responses broke a contract in the window, 0 when none
 * did, 2 unusable input or refused.
 */
import type { Command } from 'commander';
import { adminGet, adminUrl } from '../admin-request.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.js';
import { DEFAULT_RETENTION_HOURS, parseDriftWindow, type DriftReport } from '../../observability/drift-recorder.js';
import { formatDriftMarkdown, formatDriftText } from '../../observability/format-drift.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
const API_ID = /^[a-z][a-z0-9-]{0,62}$/;

interface DriftOptions {
  api?: string;
  apiVersion?: string;
  window: string;
  format: string;
  adminUrl?: string;
}

/** Registers `drift`. */
export function registerDrift(program: Command): void {
  program
    .command('drift')
    .description('summarise responses that broke their contract, per API, version, operation and upstream target, from a running gateway\'s admin API (bearer token from ACCORD_TOKEN; exit 1 when drift was found in the window, 0 when none, 2 unusable input or refused)')
    .option('--api <id>', 'only this API (required with an API owner\'s token)')
    .option('--api-version <version>', 'only this version of the API (not --version, which prints accord\'s own)')
    .option('--window <window>', `how far back: <n>m (up to 60m), <n>h or <n>d (up to ${DEFAULT_RETENTION_HOURS}h)`, '24h')
    .option('--format <format>', `output format (${FORMATS.join(', ')})`, 'text')
    .option('--admin-url <url>', 'admin listener (default http://127.0.0.1:9080, or ADMIN_PORT)')
    .action(async (opts: DriftOptions) => {
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${opts.format}")`);
      if (parseDriftWindow(opts.window) === undefined) throw new UsageError(`--window must be <n>m (up to 60m), <n>h or <n>d, at most ${DEFAULT_RETENTION_HOURS}h (got "${opts.window}")`);
      if (opts.api !== undefined && !API_ID.test(opts.api)) throw new UsageError(`--api must be an API id such as orders (got "${opts.api}")`);
      if (opts.apiVersion !== undefined && opts.apiVersion === '') throw new UsageError('--api-version must not be empty');
      const base = adminUrl(opts.adminUrl);
      const report = (await adminGet(base, '/admin/drift', { window: opts.window, api: opts.api, version: opts.apiVersion })) as DriftReport;
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : opts.format === 'markdown' ? formatDriftMarkdown(report) : formatDriftText(report));
      process.exitCode = report.violations > 0 ? EXIT_FINDINGS : EXIT_OK;
    });
}
