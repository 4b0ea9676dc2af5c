/**
 * Runs one fixed-length load run against a URL with wrk (preferred) or autocannon (fallback),
 * pinned to the load generator's CPU, and returns requests served, latency percentiles and errors.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RESULT_PREFIX = 'BENCH_RESULT ';

/** 'wrk' when it is on PATH (unless autocannon is asked for), else 'autocannon'. */
export function chooseLoadGenerator(preference) {
  if (preference === 'autocannon') return { name: 'autocannon', version: autocannonVersion() };
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error === undefined) {
    const version = /wrk\s+(\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1] ?? 'unknown';
    return { name: 'wrk', version };
  }
  if (preference === 'wrk') throw new Error('wrk was asked for (--load wrk) but is not on PATH; install it (Debian: apt-get install wrk)');
  return { name: 'autocannon', version: autocannonVersion() };
}

function autocannonVersion() {
  return createRequire(import.meta.url)('autocannon/package.json').version;
}

function luaString(text) {
  // A long bracket whose level does not occur in the text needs no escaping.
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}

/**
 * Writes the wrk script of one request shape: method, headers, body, and either one token on
 * every request or a file of tokens used round-robin. Its `done` prints the exact figures as JSON.
 */
function writeWrkScript(dir, name, request) {
  const lines = [`wrk.method = ${luaString(request.method)}`];
  for (const [header, value] of Object.entries(request.headers)) lines.push(`wrk.headers[ ${luaString(header)} ] = ${luaString(value)}`);
  if (request.body !== undefined) lines.push(`wrk.body = ${luaString(request.body)}`);
  if (request.uniqueIdempotencyKeys) {
    // A new key on every request: each wrk thread numbers its own, under its own prefix.
    lines.push(
      'local threads = 0',
      'setup = function(thread) threads = threads + 1; thread:set("thread_id", threads) end',
      'local sent = 0',
      'request = function()',
      '  sent = sent + 1',
      '  wrk.headers["Idempotency-Key"] = string.format("\\"bench-%d-%d\\"", thread_id, sent)',
      '  return wrk.format()',
      'end',
    );
  }
  if (request.tokensFile !== undefined) {
    lines.push(
      'local tokens = {}',
      'local index = 0',
      `init = function(args) for line in io.lines(${luaString(request.tokensFile)}) do if #line > 0 then tokens[#tokens + 1] = "Bearer " .. line end end end`,
      'request = function()',
      '  index = index % #tokens + 1',
      '  wrk.headers["Authorization"] = tokens[index]',
      '  return wrk.format()',
      'end',
    );
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format("${RESULT_PREFIX}{\\"requests\\":%.0f,\\"durationUs\\":%.0f,\\"p50Us\\":%.0f,\\"p99Us\\":%.0f,\\"status\\":%.0f,\\"connect\\":%.0f,\\"read\\":%.0f,\\"write\\":%.0f,\\"errors\\":0,\\"timeout\\":%.0f}\\n",`,
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect, e.read, e.write, e.timeout))',
    'end',
  );
  const file = join(dir, `${name}.lua`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Runs a command to completion within a deadline; the child is registered so that it is killed on abort. */
function runBounded(children, cpu, command, args, deadlineMs) {
  return new Promise((resolve, reject) => {
    const child = children.spawn(cpu, command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line === undefined) reject(new Error(`${command} ${args.join(' ')} gave no result (exit ${code ?? signal}): ${err.trim() || out.trim()}`));
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)));
    });
  });
}

/**
 * A load generator bound to a working folder and a child-process registry. `run(request, durationS)`
 * resolves to `{ requests, durationS, p50Ms, p99Ms, non2xx, socketErrors }`.
 */
export function createLoadGenerator({ generator, dir, children, cpu, connections }) {
  const scripts = new Map();
  const scriptFor = (request) => {
    let file = scripts.get(request.key);
    if (file === undefined) {
      file = generator.name === 'wrk' ? writeWrkScript(dir, `wrk-${request.key}`, request) : writeAutocannonSpec(dir, request, connections);
      scripts.set(request.key, file);
    }
    return file;
  };
  return {
    async run(request, durationS) {
      const script = scriptFor(request);
      const deadlineMs = (durationS + 20) * 1000;
      const [command, args] =
        generator.name === 'wrk'
          ? ['wrk', ['-t1', `-c${connections}`, `-d${durationS}s`, '--timeout', '5s', '-s', script, request.url]]
          : [process.execPath, [join(import.meta.dirname, 'autocannon-load.mjs'), script, String(durationS)]];
      const raw = await runBounded(children, cpu, command, args, deadlineMs);
      return {
        requests: raw.requests,
        durationS: raw.durationUs / 1e6,
        p50Ms: raw.p50Us / 1000,
        p99Ms: raw.p99Us / 1000,
        non2xx: raw.status,
        socketErrors: raw.connect + raw.read + raw.write + raw.errors + raw.timeout,
      };
    },
  };
}

function writeAutocannonSpec(dir, request, connections) {
  const file = join(dir, `autocannon-${request.key}.json`);
  writeFileSync(file, JSON.stringify({ url: request.url, method: request.method, headers: request.headers, body: request.body, tokensFile: request.tokensFile, uniqueIdempotencyKeys: request.uniqueIdempotencyKeys, connections }));
  return file;
}
