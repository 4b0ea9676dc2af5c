/**
 * The shared services some tests need (PostgreSQL, Redis), read from DATABASE_URL / REDIS_URL.
 * Under CI=true an unreachable service fails the test; elsewhere the test is skipped with the reason.
 */
import { createConnection } from 'node:net';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a TCP connection to the URL's host and port opens within a second. */
function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Undefined when the service can be used; otherwise the reason to skip. Throws under CI=true,
 * where a missing service is a broken runner, not a reason to skip.
 */
async function availability(name: string, variable: string, url: string, defaultPort: number): Promise<string | undefined> {
  if (await reachable(url, defaultPort)) return undefined;
  const reason = `${name} is unreachable at ${url} (set ${variable})`;
  if (process.env.CI === 'true') throw new Error(`${reason}: under CI=true the ${name} tests must run`);
  return `skipped: ${reason}`;
}

/** For `describe(name, { skip: await postgresSkip() }, …)`. */
export function postgresSkip(): Promise<string | undefined> {
  return availability('PostgreSQL', 'DATABASE_URL', DATABASE_URL, 5432);
}

/** For `describe(name, { skip: await redisSkip() }, …)`. */
export function redisSkip(): Promise<string | undefined> {
  return availability('Redis', 'REDIS_URL', REDIS_URL, 6379);
}

/** A schema (or key prefix) name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
