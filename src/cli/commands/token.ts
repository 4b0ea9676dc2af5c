/** `accord token`: prints a JWT access token signed by the local development issuer. */
import type { Command } from 'commander';
import { resolveDataDir } from '../data-dir.js';
import { UsageError } from '../exit-codes.js';
import { assertDevelopment, DevIssuerError } from '../../dev/dev-issuer.js';
import { DEFAULT_DEV_AUDIENCE, DEFAULT_DEV_TTL_SECONDS, mintDevToken } from '../../dev/mint-dev-token.js';

/** Longest lifetime a development token may ask for: one day. */
const MAX_TTL_SECONDS = 86_400;
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

interface TokenOptions {
  client: string;
  scope: string;
  audience: string;
  ttl: string;
  dataDir?: string;
}

function parseOptions(opts: TokenOptions): { client: string; scopes: string[]; audience: string; ttlSeconds: number } {
  if (!CLIENT_ID.test(opts.client)) throw new UsageError(`--client must be 1-128 letters, digits or ._:@- (got "${opts.client}")`);
  const scopes = opts.scope.split(' ').filter((s) => s !== '');
  const bad = scopes.find((s) => !SCOPE_TOKEN.test(s));
  if (bad !== undefined) throw new UsageError(`--scope: "${bad}" is not a valid OAuth2 scope`);
  if (opts.audience.trim() === '' || /\s/.test(opts.audience)) throw new UsageError('--audience must be one value without spaces');
  const ttlSeconds = Number(opts.ttl);
  if (!/^[0-9]+$/.test(opts.ttl) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (got "${opts.ttl}")`);
  return { client: opts.client, scopes, audience: opts.audience, ttlSeconds };
}

/** Registers `token`. */
export function registerToken(program: Command): void {
  program
    .command('token')
    .description('print a JWT signed by the local development issuer (refused when NODE_ENV=production)')
    .requiredOption('--client <id>', 'client id: the sub and client_id claims')
    .requiredOption('--scope <scopes>', 'space-separated scopes, e.g. "orders:read orders:write"')
    .option('--audience <aud>', 'aud claim', DEFAULT_DEV_AUDIENCE)
    .option('--ttl <seconds>', `lifetime in seconds (at most ${MAX_TTL_SECONDS})`, String(DEFAULT_DEV_TTL_SECONDS))
    .option('--data-dir <dir>', 'data directory holding the dev key (ACCORD_DATA_DIR; default .accord/)')
    .action(async (opts: TokenOptions) => {
      try {
        assertDevelopment();
        const request = parseOptions(opts);
        const token = await mintDevToken({ dataDir: resolveDataDir(opts.dataDir), ...request });
        process.stdout.write(`${token}\n`);
      } catch (error) {
        if (error instanceof DevIssuerError) throw new UsageError(error.message);
        throw error;
      }
    });
}
