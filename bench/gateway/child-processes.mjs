/**
 * The bench's registry of child processes: each is started pinned to a CPU with `taskset -c`
 * (which execs the command, so the PID is the server's own), and every one still running is
 * killed by its PID when the bench ends, fails or is interrupted.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** True when `taskset` can be run here. */
export function canPin() {
  return spawnSync('taskset', ['-V'], { encoding: 'utf8' }).error === undefined;
}

/** Pins the calling process (the orchestrator) to `cpu`. */
export function pinSelf(cpu) {
  return spawnSync('taskset', ['-cp', String(cpu), String(process.pid)], { encoding: 'utf8' }).status === 0;
}

/** Creates a registry; `pin` false runs children unpinned (no taskset on this machine). */
export function createChildSet({ pin }) {
  const running = new Map();
  return {
    /** Spawns `command args` on `cpu` (undefined: inherit the orchestrator's affinity). */
    spawn(cpu, command, args, options) {
      const [file, argv] = pin && cpu !== undefined ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
      const child = spawn(file, argv, options);
      if (child.pid !== undefined) {
        running.set(child.pid, child);
        child.on('exit', () => running.delete(child.pid));
      }
      return child;
    },
    /** SIGTERM to every child still running, then SIGKILL to those still there after `graceMs`. */
    async stopAll(graceMs = 3000) {
      const pending = [...running.values()].map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      );
      const deadline = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([Promise.all(pending), deadline]);
      this.killAllNow();
    },
    /** SIGKILL to every child still running; synchronous, for the process 'exit' handler. */
    killAllNow() {
      for (const pid of running.keys()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      running.clear();
    },
  };
}

/**
 * Resolves to the URL a server child logged once it listens: a JSON line with `url` and a `msg`
 * containing "listening" (Accord's pino line, or the bench servers' own). Servers bind port 0 and
 * say where they are, so no port is picked by the bench and raced for by other processes.
 */
export function waitForListening(logFile, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const url = listeningUrl(logFile);
      if (url !== undefined) return resolve(url);
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before listening`));
      if (Date.now() > deadline) return reject(new Error(`did not log that it listens within ${timeoutMs} ms`));
      setTimeout(attempt, 100);
    };
    attempt();
  });
}

function listeningUrl(logFile) {
  let text;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      // A build run with its admin listener on (an older one, say) logs that listener too: it is not the data plane.
      if (typeof entry.url === 'string' && typeof entry.msg === 'string' && entry.msg.includes('listening') && !entry.msg.startsWith('admin listener')) return entry.url;
    } catch {
      // A partly written line: read again on the next attempt.
    }
  }
  return undefined;
}

/** Logs the line `waitForListening` looks for, from a bench server that listens on `server`. */
export function announceListening(server) {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
}
