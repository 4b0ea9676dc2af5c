/**
 * PostgreSQL for tests: the URL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test),
 * whether it answers (under CI=true a test that needs it fails when it does not; elsewhere it
 * skips saying why), and a schema name unique to this run so parallel runs never meet.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The connection string tests use. */
export const POSTGRES_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL cannot be used, or undefined when it answers. */
export async function postgresUnavailable(url: string = POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${url.replace(/\/\/[^@/]*@/, '//***@')} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The `skip` option of a test that needs PostgreSQL: false when it answers; under CI=true it
 * throws (the test run fails) when it does not; elsewhere the reason to skip.
 */
export async function skipUnlessPostgres(): Promise<string | false> {
  const reason = await postgresUnavailable();
  if (reason === undefined) return false;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
  return reason;
}

/** A schema name for one test run: `<prefix>_<pid>_<random>`. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Drops a test schema and all it holds. */
export async function dropSchema(schema: string, url: string = POSTGRES_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
