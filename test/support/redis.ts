/**
 * Redis for tests: the shared one at REDIS_URL (a test that needs it fails under CI=true when it
 * is unreachable, and skips saying why elsewhere), and private redis-server processes a test
 * starts on a port of its own and stops by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';

/** The shared test Redis. */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** Why Redis at `url` cannot be used, or undefined when it answers PING. */
export async function redisProblem(url = redisUrl()): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  let cause: string | undefined;
  client.on('error', (error: Error) => (cause = error.message));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return `Redis unreachable at ${url}: ${cause ?? (error as Error).message}`;
  } finally {
    client.disconnect();
  }
}

/**
 * The `skip` option of a suite needing the shared Redis: the reason elsewhere, nothing under
 * CI=true (the suite runs and `assertRedis` fails it).
 */
export function skipWithoutRedis(problem: string | undefined): string | undefined {
  return process.env.CI === 'true' ? undefined : problem;
}

/** Fails (under CI=true) when Redis is unreachable. */
export function assertRedis(problem: string | undefined): void {
  if (problem) throw new Error(`${problem} (CI=true: tests needing Redis must run)`);
}

/** A redis-server process of a test's own, without persistence. */
export interface PrivateRedis {
  url: string;
  port: number;
  child: ChildProcess;
  /** Stops it by PID and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `redis-server` on `port` and waits (bounded) until it answers. */
export async function startPrivateRedis(port: number): Promise<PrivateRedis> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  let problem: string | undefined = 'not started';
  for (let i = 0; i < 100 && problem !== undefined && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
    problem = await redisProblem(url);
  }
  if (problem !== undefined) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not start: ${problem}`);
  }
  return {
    url,
    port,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // A test may have paused it (SIGSTOP); a paused process would never act on SIGTERM.
      process.kill(child.pid!, 'SIGCONT');
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
