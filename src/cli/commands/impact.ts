/**
 * `accord impact BASE REVISION --api ID`: which consumers a contract change would affect, from the
 * usage records of a running gateway (its admin API): exit 1 when a breaking change affects a
 * consumer, 0 otherwise, 2 unusable input or refused. `accord impact deprecations [--api ID]`:
 * which consumers still call deprecated operations (exit 1 when any does).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { adminGet, adminPost, adminUrl } from '../admin-request.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.js';
import { DEFAULT_WINDOW, MAX_WINDOW_DAYS, isAffecting, parseWindowDays, type ImpactReport } from '../../impact/index.js';
import { formatImpactMarkdown, formatImpactText } from '../../impact/format-impact.js';
import { impactFindings } from '../../impact/impact-findings.js';
import { renderFindings } from '../formatters/index.js';
import { formatDeprecationsMarkdown, formatDeprecationsText, type DeprecationReport } from '../../impact/deprecations.js';

const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
const SEMVER = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const API_ID = /^[a-z][a-z0-9-]{0,62}$/;

interface ImpactOptions {
  api?: string;
  window: string;
  format: string;
  failOn: string;
  adminUrl?: string;
  local?: boolean;
}

/** REVISION: a file to propose, else a registered version. */
function revisionOf(arg: string): { file: string; text: string } | { version: string } {
  let isFile = false;
  try {
    isFile = statSync(arg).isFile();
  } catch {
    isFile = false;
  }
  if (isFile) {
    try {
      return { file: arg, text: readFileSync(arg, 'utf8') };
    } catch {
      throw new UsageError(`${arg}: file unreadable`);
    }
  }
  if (SEMVER.test(arg)) return { version: arg };
  throw new UsageError(`${arg}: no such file, and not a version (MAJOR.MINOR.PATCH)`);
}

function render(report: ImpactReport, format: string, revisionFile: string | undefined): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return formatImpactMarkdown(report);
    case 'sarif':
      return renderFindings({ tool: 'impact', findings: impactFindings(report, revisionFile), files: revisionFile ? [revisionFile] : [], failThreshold: 'error' }, 'sarif', { color: false });
    default:
      return formatImpactText(report);
  }
}

const DEPRECATION_FORMATS = ['text', 'json', 'markdown'] as const;

/** Registers `impact` and `impact deprecations`. */
export function registerImpact(program: Command): void {
  const impact = program
    .command('impact')
    // The subcommand's options are its own: `impact deprecations --api x`.
    .enablePositionalOptions();
  impact
    .command('deprecations')
    .description('list, per consumer, the deprecated operations it called in the window (operations of deprecated versions, and operations marked deprecated), with calls and the sunset date, from a running gateway\'s usage records (exit 1 when a consumer still calls one, 0 otherwise, 2 unusable input or refused)')
    .option('--api <id>', 'only this API (an owner token needs it)')
    .option('--window <days>', `days of usage to read, ending today: <n>d, 1d to ${MAX_WINDOW_DAYS}d`, '7d')
    .option('--format <format>', `output format (${DEPRECATION_FORMATS.join(', ')})`, 'text')
    .option('--admin-url <url>', 'admin listener (default http://127.0.0.1:9080, or ADMIN_PORT)')
    .action(async (opts: { api?: string; window: string; format: string; adminUrl?: string }) => {
      if (!(DEPRECATION_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${DEPRECATION_FORMATS.join(', ')} (got "${opts.format}")`);
      if (opts.api !== undefined && !API_ID.test(opts.api)) throw new UsageError(`--api must be an API id such as orders (got "${opts.api}")`);
      if (parseWindowDays(opts.window) === undefined) throw new UsageError(`--window must be a number of days such as 7d (1d to ${MAX_WINDOW_DAYS}d), got "${opts.window}"`);
      const report = (await adminGet(adminUrl(opts.adminUrl), '/admin/impact/deprecations', { ...(opts.api !== undefined ? { api: opts.api } : {}), window: opts.window })) as DeprecationReport;
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : opts.format === 'markdown' ? formatDeprecationsMarkdown(report) : formatDeprecationsText(report));
      process.exitCode = report.consumers.length > 0 ? EXIT_FINDINGS : EXIT_OK;
    });
  impact
    .description('list the consumers a contract change would affect, from a running gateway\'s usage records (admin API, bearer token from ACCORD_TOKEN; exit 1 when a breaking change affects a consumer, 0 otherwise, 2 unusable input or refused)')
    .argument('<base>', 'the registered version the change starts from, e.g. 1.0.0')
    .argument('<revision>', 'the proposed contract (a file), or a registered version')
    .option('--api <id>', 'the API id in the registry, e.g. orders (required)')
    .option('--window <days>', `days of usage to read, ending today: <n>d, 1d to ${MAX_WINDOW_DAYS}d`, DEFAULT_WINDOW)
    .option('--format <format>', `output format (${FORMATS.join(', ')})`, 'text')
    .option('--fail-on <severity>', 'lowest severity that fails when it affects a consumer: error (breaking) or warn (possibly breaking)', 'error')
    .option('--admin-url <url>', 'admin listener (default http://127.0.0.1:9080, or ADMIN_PORT)')
    .option('--local', 'not supported: usage records live in the running gateway (its memory, or Redis), so impact asks its admin API')
    .action(async (baseArg: string, revisionArg: string, opts: ImpactOptions) => {
      if (opts.local) throw new UsageError('--local is not supported: usage records live in the running gateway (memory or Redis); run against its admin API (--admin-url)');
      if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${opts.format}")`);
      if (opts.failOn !== 'error' && opts.failOn !== 'warn') throw new UsageError(`--fail-on must be error or warn (got "${opts.failOn}")`);
      if (!opts.api || !API_ID.test(opts.api)) throw new UsageError(`--api must be an API id such as orders (got "${opts.api ?? ''}")`);
      if (parseWindowDays(opts.window) === undefined) throw new UsageError(`--window must be a number of days such as 30d (1d to ${MAX_WINDOW_DAYS}d), got "${opts.window}"`);
      if (!SEMVER.test(baseArg)) throw new UsageError(`BASE must be a registered version (MAJOR.MINOR.PATCH), got "${baseArg}"`);
      const revision = revisionOf(revisionArg);
      const base = adminUrl(opts.adminUrl);
      const path = `/admin/apis/${encodeURIComponent(opts.api)}/impact`;
      const report = ('version' in revision
        ? await adminGet(base, path, { base: baseArg, revision: revision.version, window: opts.window })
        : await adminPost(base, path, { base: baseArg, window: opts.window }, { text: revision.text, contentType: revision.text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml' })) as ImpactReport;
      process.stdout.write(render(report, opts.format, 'file' in revision ? revision.file : undefined));
      const failing = report.changes.some((c) => (c.severity === 'error' || (opts.failOn === 'warn' && c.severity === 'warn')) && isAffecting(c));
      process.exitCode = failing ? EXIT_FINDINGS : EXIT_OK;
    });
}
