/** Runs the built `accord` binary (dist/cli.js) as a user would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { assertNoLeaks } from './log-leaks.js';

/** Absolute path of the built CLI. `npm test` builds before running the tests. */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

/** Result of a finished command. */
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `accord ...args` to completion. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    // A free admin port unless the test names one: parallel `accord serve` runs must not contend for 9080.
    env: { ...process.env, NO_COLOR: '1', ADMIN_PORT: '0', ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs `accord ...args` to completion without blocking the event loop, for tests whose server
 * (an admin listener, say) runs in the test process itself.
 */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ADMIN_PORT: '0', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Starts a long-running `accord` command; `lines` collects its stdout lines. */
export function startCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): { child: ChildProcess; lines: string[]; stderr: string[] } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, ADMIN_PORT: '0', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  // Every log line of a long-running command (`accord serve`, `accord mock`) is checked for
  // credentials when it exits; a leak fails the test file that ran it. Other output (a token
  // `accord token` prints on purpose) is not a log line and is not checked.
  child.once('close', () => {
    const logLines = [...lines, ...stderr.join('').split('\n')].filter((l) => l.startsWith('{"level":'));
    assertNoLeaks(logLines, `accord ${args.join(' ')}`);
  });
  return { child, lines, stderr };
}

/** Waits until a collected line matches, or fails after `timeoutMs`. */
export async function waitForLine(lines: string[], pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = lines.find((l) => pattern.test(l));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no output line matched ${pattern} within ${timeoutMs} ms; got:\n${lines.join('\n')}`);
}
