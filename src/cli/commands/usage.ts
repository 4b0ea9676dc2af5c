/** `accord usage`: who calls which operation, how often, when last, and what they send (from the admin listener). */
import type { Command } from 'commander';
import { adminGet, adminUrl } from '../admin-request.js';
import { UsageError } from '../exit-codes.js';
import { formatUsageText } from '../../usage/format-usage-text.js';
import type { UsageReport } from '../../usage/usage-record.js';

interface UsageOptions {
  api?: string;
  operation?: string;
  consumer?: string;
  since?: string;
  format: string;
  adminUrl?: string;
}

/** Registers `usage`. */
export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description('show usage records from a running gateway\'s admin listener (bearer token from ACCORD_TOKEN; exit 0 shown, 2 refused or unreachable)')
    .option('--api <id>', 'only this API')
    .option('--operation <operationId>', 'only this operation')
    .option('--consumer <id>', 'only this consumer')
    .option('--since <date>', 'only calls on this UTC day (YYYY-MM-DD) or later')
    .option('--format <format>', 'text or json', 'text')
    .option('--admin-url <url>', 'admin listener (default http://127.0.0.1:9080, or ADMIN_PORT)')
    .action(async (opts: UsageOptions) => {
      if (opts.format !== 'text' && opts.format !== 'json') throw new UsageError(`--format must be text or json (got "${opts.format}")`);
      const base = adminUrl(opts.adminUrl);
      const report = (await adminGet(base, '/usage', { api: opts.api, operation: opts.operation, consumer: opts.consumer, since: opts.since })) as UsageReport;
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatUsageText(report));
    });
}
