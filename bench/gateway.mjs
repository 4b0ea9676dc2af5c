/**
 * `npm run bench`: the data-plane benchmark. Starts an upstream, a bare node:http proxy, an
 * Express 5 + http-proxy-middleware proxy and Accord (JWT, scopes, rate limit, request
 * validation; response validation off, then report), each in its own pinned process; drives each
 * with wrk (or autocannon) over interleaved rounds; prints medians of requests/s, latency, RSS
 * and the proxy's CPU time per request, with ratios. docs/benchmarks.md explains the method.
 */
import { mkdtempSync, rmSync, existsSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import { canPin, pinSelf, createChildSet, waitForListening } from './gateway/child-processes.mjs';
import { chooseLoadGenerator, createLoadGenerator } from './gateway/load-generator.mjs';
import { clockTicksPerSecond, cpuTimeMicros, memoryBytes } from './gateway/proc-stats.mjs';
import { createBenchIssuer, writeDistinctTokens, writeContracts, writeAccordConfig } from './gateway/accord-setup.mjs';
import { describeMachine, summarise, methodTable, targetLines, policyCostLines } from './gateway/report-table.mjs';

const USAGE = `usage: npm run bench -- [options]
  --rounds N        interleaved rounds (default 3; env BENCH_ROUNDS)
  --duration S      measured seconds per variant and method (default 6; env BENCH_DURATION)
  --warmup S        warm-up seconds before a variant's first method (default 5; env BENCH_WARMUP)
  --connections N   keep-alive connections (default 50; env BENCH_CONNECTIONS)
  --load NAME       wrk or autocannon (default: wrk when on PATH; env BENCH_LOAD)
  --variants LIST   comma-separated subset of: direct,bare,express,express-proto,accord,accord-core,accord-tls,accord-report,accord-distinct,
                    accord-no-usage,accord-no-ip-rules,accord-no-plan,accord-no-consumers (all policies but one: what that one costs),
                    accord-idempotency (core policies + Idempotency-Key, a new key on every POST; run only when named)
                    accord-tracing (all policies, every request traced and exported over OTLP/HTTP to a local sink)
  --baseline-cli F  also run another Accord build (its dist/cli.js) with the core policies, beside this
                    build with the same config (accord-core): the cost of a change, measured in one run
  --no-distinct     skip the Accord run with 12,000 distinct tokens (same as leaving accord-distinct out)
  --node-flags STR  V8/Node flags for every proxy process, baseline and Accord alike
                    (e.g. "--max-semi-space-size=4"; env BENCH_NODE_FLAGS)
  --json FILE       also write every measurement as JSON
  --keep-temp       keep the temp folder (configs, tokens, server logs)
  --quick           smoke run: 1 round, 1 s warm-up, 2 s measured`;

const GENERATOR_CPU = 0;
const PROXY_CPU = 1;
/** More than the gateway's verified-token cache holds (10,000 entries), so every request verifies. */
const DISTINCT_TOKENS = 12_000;
const GET_PATH = '/shop/v1/items?limit=10';
const POST_PATH = '/shop/v1/items';
const TARGETS = { maxCpuOverhead: 0.1, maxRssMb: 130 };
/** Variants with every policy but one, run only when named: the partner policies' costs one by one. */
const WITHOUT_ONE = ['usage', 'ip-rules', 'plan', 'consumers'];
const VARIANT_IDS = ['direct', 'bare', 'express', 'express-proto', 'accord', 'accord-core', 'accord-baseline', 'accord-tls', 'accord-report', 'accord-distinct', 'accord-idempotency', 'accord-tracing', ...WITHOUT_ONE.map((p) => `accord-no-${p}`)];

/**
 * Whether a build's config schema has `admin.enabled` (builds from before the admin listener
 * refuse the key; builds after it need it, or their admin listener asks for an identity provider).
 */
function knowsAdminSwitch(cliPath) {
  const schema = join(dirname(cliPath), 'admin', 'schema.js');
  return existsSync(schema) && /\benabled\b/.test(readFileSync(schema, 'utf8'));
}

function parseOptions(argv, env) {
  const options = {
    rounds: Number(env.BENCH_ROUNDS ?? 3),
    duration: Number(env.BENCH_DURATION ?? 6),
    warmup: Number(env.BENCH_WARMUP ?? 5),
    switchWarmup: 1,
    connections: Number(env.BENCH_CONNECTIONS ?? 50),
    load: env.BENCH_LOAD ?? 'auto',
    nodeFlags: (env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    variants: undefined,
    json: undefined,
    keepTemp: false,
    baselineCli: undefined,
  };
  const value = (i, name) => {
    if (i >= argv.length) throw new Error(`${name} needs a value\n${USAGE}`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rounds') options.rounds = Number(value(++i, arg));
    else if (arg === '--duration') options.duration = Number(value(++i, arg));
    else if (arg === '--warmup') options.warmup = Number(value(++i, arg));
    else if (arg === '--connections') options.connections = Number(value(++i, arg));
    else if (arg === '--load') options.load = value(++i, arg);
    else if (arg === '--json') options.json = value(++i, arg);
    else if (arg === '--node-flags') options.nodeFlags = value(++i, arg).split(/\s+/).filter(Boolean);
    else if (arg === '--variants') options.variants = value(++i, arg).split(',').map((v) => v.trim()).filter(Boolean);
    else if (arg === '--no-distinct') options.noDistinct = true;
    else if (arg === '--baseline-cli') options.baselineCli = value(++i, arg);
    else if (arg === '--keep-temp') options.keepTemp = true;
    else if (arg === '--quick') Object.assign(options, { rounds: 1, duration: 2, warmup: 1, switchWarmup: 1 });
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  for (const name of ['rounds', 'duration', 'warmup', 'connections']) {
    if (!Number.isInteger(options[name]) || options[name] < 1) throw new Error(`--${name} must be a positive integer, got ${options[name]}`);
  }
  const notFlag = options.nodeFlags.find((flag) => !flag.startsWith('--'));
  if (notFlag !== undefined) throw new Error(`--node-flags takes Node/V8 flags starting with --, got ${notFlag}`);
  if (!['auto', 'wrk', 'autocannon'].includes(options.load)) throw new Error(`--load must be wrk or autocannon, got ${options.load}`);
  options.switchWarmup = Math.min(options.switchWarmup, options.warmup);
  options.variants ??= VARIANT_IDS.filter((id) => !(options.noDistinct && id === 'accord-distinct') && (id !== 'accord-baseline' || options.baselineCli !== undefined) && !id.startsWith('accord-no-') && id !== 'accord-idempotency' && id !== 'accord-tracing');
  if (options.variants.includes('accord-baseline') && options.baselineCli === undefined) throw new Error('the accord-baseline variant needs --baseline-cli PATH');
  const unknown = options.variants.filter((id) => !VARIANT_IDS.includes(id));
  if (unknown.length > 0) throw new Error(`unknown variant ${unknown.join(', ')}; known: ${VARIANT_IDS.join(', ')}`);
  return options;
}

/** A JSON body of exactly 1,024 bytes that the bench contract accepts (description ≤ 500 characters). */
function postBody() {
  const base = { name: 'Widget', price: 1234, tags: Array.from({ length: 30 }, (_, i) => `category-${String(i).padStart(4, '0')}-bench`), description: '' };
  const pad = 1024 - JSON.stringify(base).length;
  if (pad < 0 || pad > 500) throw new Error(`the POST body cannot be padded to 1024 bytes (${pad})`);
  return JSON.stringify({ ...base, description: 'd'.repeat(pad) });
}

/** One HTTP request from the orchestrator, for the checks before measuring. */
/**
 * A self-signed server certificate for 127.0.0.1 in `dir` (made once, with the openssl CLI): the
 * HTTPS variant measures what TLS costs the listener; no client certificate is asked for by the load.
 */
function serverCertificate(dir) {
  const key = join(dir, 'tls-key.pem');
  const cert = join(dir, 'tls-cert.pem');
  if (!existsSync(cert)) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl could not make the bench's server certificate: ${made.stderr}`);
  }
  return { key, cert, ca: cert };
}

function probe(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const req = client.request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) }, agent: false, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from ${url} within 5 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function tail(file, lines = 8) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const progress = (line) => process.stderr.write(`${line}\n`);

/** Starts one server child on `cpu` with its output in a log file; resolves once it logs where it listens. */
async function startServer(children, { cpu, args, logFile, env = {} }) {
  const fd = openSync(logFile, 'a');
  const child = children.spawn(cpu, process.execPath, args, { stdio: ['ignore', fd, fd], env: { ...process.env, NODE_ENV: 'production', ...env } });
  closeSync(fd);
  try {
    const url = await waitForListening(logFile, child, 20_000);
    return { child, url };
  } catch (error) {
    throw new Error(`${error.message}${tail(logFile) ? `\n${tail(logFile)}` : ''}`);
  }
}

/** Checks that a variant answers 200 to the GET and 201 to the POST, and for Accord that its policies are on. */
async function verify(variant, request, issuer) {
  for (const method of variant.methods) {
    const r = request(variant, method);
    const headers = { ...r.headers };
    if (r.tokensFile) {
      const tokens = readFileSync(r.tokensFile, 'utf8').split('\n').filter(Boolean);
      for (const token of [tokens[0], tokens.at(-1)]) {
        const res = await probe(r.url, { method, headers: { ...headers, Authorization: `Bearer ${token}` }, body: r.body });
        if (res.status !== r.expect) throw new Error(`${method} with a distinct token answered ${res.status}, not ${r.expect}: ${res.text.slice(0, 200)}`);
      }
      continue;
    }
    const res = await probe(r.url, { method, headers, body: r.body });
    if (res.status !== r.expect) throw new Error(`${method} answered ${res.status}, not ${r.expect}: ${res.text.slice(0, 200)}`);
    JSON.parse(res.text);
    if (variant.accord && method === 'GET' && res.headers.ratelimit === undefined) throw new Error('GET answered without RateLimit: is the rate limit on?');
  }
  if (!variant.accord || variant.tokensFile) return;
  const get = request(variant, 'GET');
  const post = request(variant, 'POST');
  const { Authorization: _, ...anonymous } = get.headers;
  const checks = [
    ['GET without a token', await probe(get.url, { headers: anonymous }), 401],
    ['POST with a read-only token', await probe(post.url, { method: 'POST', headers: { ...post.headers, Authorization: `Bearer ${issuer.readOnlyToken}` }, body: post.body }), 403],
    ['POST with an invalid body', await probe(post.url, { method: 'POST', headers: post.headers, body: JSON.stringify({ name: '', price: -1 }) }), 400],
    ['GET with an invalid query', await probe(get.url.replace('limit=10', 'limit=0'), { headers: get.headers }), 400],
  ];
  for (const [what, res, expected] of checks) {
    if (res.status !== expected) throw new Error(`${what} answered ${res.status}, not ${expected}: is the policy on? ${res.text.slice(0, 200)}`);
  }
  if (variant.idempotency) {
    const keyed = { ...post.headers, 'Idempotency-Key': '"bench-verify"' };
    await probe(post.url, { method: 'POST', headers: keyed, body: post.body });
    const again = await probe(post.url, { method: 'POST', headers: keyed, body: post.body });
    if (again.headers['idempotent-replayed'] !== 'true') throw new Error('a POST retried with its Idempotency-Key was not replayed: is the policy on?');
  }
}

/** One measured run: the load, the proxy's and upstream's CPU time over it, and the proxy's memory. */
async function measure(load, r, durationS, { proxyPid, upstreamPid, ticks }) {
  const cpuPid = proxyPid ?? upstreamPid;
  const cpuBefore = proxyPid === undefined ? NaN : cpuTimeMicros(proxyPid, ticks);
  const upstreamBefore = cpuTimeMicros(upstreamPid, ticks);
  let rssMax = 0;
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, memoryBytes(cpuPid).rss);
  }, 500);
  let result;
  try {
    result = await load.run(r, durationS);
  } finally {
    clearInterval(sampler);
  }
  const cpuUsed = proxyPid === undefined ? NaN : cpuTimeMicros(proxyPid, ticks) - cpuBefore;
  const upstreamUsed = cpuTimeMicros(upstreamPid, ticks) - upstreamBefore;
  const memory = memoryBytes(cpuPid);
  const served = Math.max(result.requests, 1);
  return {
    requests: result.requests,
    requestsPerSecond: result.requests / result.durationS,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    cpuUsPerRequest: cpuUsed / served,
    cpuBusy: cpuUsed / (result.durationS * 1e6),
    upstreamUsPerRequest: upstreamUsed / served,
    rssMb: Math.max(rssMax, memory.rss) / 2 ** 20,
    peakMb: memory.hwm / 2 ** 20,
    non2xx: result.non2xx,
    socketErrors: result.socketErrors,
  };
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  const pin = canPin();
  if (pin) pinSelf(GENERATOR_CPU);
  else progress('warning: taskset not found; processes are not pinned and the CPU figures mix with the load generator');
  const generator = chooseLoadGenerator(options.load === 'auto' ? undefined : options.load);
  const children = createChildSet({ pin });
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-'));
  const cleanup = () => {
    children.killAllNow();
    if (!options.keepTemp) rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.once(signal, () => {
      progress(`\n${signal}: stopping every child process`);
      process.exit(code);
    });
  }

  const machine = describeMachine();
  const loadBefore = loadavg()[0];
  if (loadBefore > 0.5) progress(`warning: load average ${loadBefore.toFixed(2)} before starting: other processes compete for the cores and the figures will be noisy`);
  const ticks = clockTicksPerSecond();
  const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');
  const issuer = await createBenchIssuer();
  const body = postBody();
  writeContracts(dir);

  const upstream = await startServer(children, { cpu: GENERATOR_CPU, args: [join(import.meta.dirname, 'gateway', 'upstream-server.mjs')], logFile: join(dir, 'upstream.log') });

  const variants = [
    { id: 'direct', label: 'direct (no proxy)', methods: ['GET', 'POST'] },
    { id: 'bare', label: 'bare node:http proxy', methods: ['GET', 'POST'], script: 'bare-proxy.mjs' },
    { id: 'express', label: 'Express 5 + hpm 3 (baseline)', methods: ['GET', 'POST'], script: 'express-proxy.mjs' },
    { id: 'express-proto', label: "Express 5 + hpm 3, messages born with Express's prototypes (Accord's transport)", methods: ['GET', 'POST'], script: 'express-proto-proxy.mjs' },
    { id: 'accord', label: 'Accord, all policies, responses not validated', methods: ['GET', 'POST'], accord: 'off' },
    { id: 'accord-core', label: 'Accord, core policies (JWT + scopes, rate limit, request validation)', methods: ['GET', 'POST'], accord: 'off', profile: 'core' },
    { id: 'accord-baseline', label: `Accord at --baseline-cli, core policies`, methods: ['GET', 'POST'], accord: 'off', profile: 'core', cli: options.baselineCli },
    { id: 'accord-tls', label: 'Accord, all policies, HTTPS listener (TLS 1.3, RSA 2048 server certificate)', methods: ['GET', 'POST'], accord: 'off', tls: true },
    { id: 'accord-report', label: 'Accord, all policies, responses validated (report)', methods: ['GET', 'POST'], accord: 'report' },
    { id: 'accord-tracing', label: 'Accord, all policies, tracing on (always_on, OTLP/HTTP to a local sink)', methods: ['GET', 'POST'], accord: 'off', tracing: true },
    { id: 'accord-distinct', label: `Accord, responses not validated, ${DISTINCT_TOKENS.toLocaleString('en')} distinct tokens`, methods: ['GET'], accord: 'off' },
    // Every POST carries a new key: the whole path (claim, forward, capture, store), never a replay.
    { id: 'accord-idempotency', label: 'Accord, core policies + Idempotency-Key (memory store, a new key per POST)', methods: ['GET', 'POST'], accord: 'off', profile: 'core', idempotency: true },
    ...WITHOUT_ONE.map((policy) => ({ id: `accord-no-${policy}`, label: `Accord, all policies but ${policy}`, methods: ['GET', 'POST'], accord: 'off', omit: policy })),
  ].filter((v) => options.variants.includes(v.id));
  // The tracing variant's collector: a sink on the generator's core that discards what it receives.
  const sink = variants.some((v) => v.tracing) ? await startServer(children, { cpu: GENERATOR_CPU, args: [join(import.meta.dirname, 'gateway', 'otlp-sink.mjs')], logFile: join(dir, 'otlp-sink.log') }) : undefined;
  const distinct = variants.find((v) => v.id === 'accord-distinct');
  if (distinct) {
    distinct.tokensFile = join(dir, 'distinct-tokens.txt');
    progress(`minting ${DISTINCT_TOKENS} distinct RS256 tokens…`);
    writeDistinctTokens(issuer, DISTINCT_TOKENS, distinct.tokensFile);
  }

  const failures = [];
  for (const variant of variants) {
    if (variant.id === 'direct') {
      Object.assign(variant, { url: upstream.url, pid: undefined });
      continue;
    }
    const logFile = join(dir, `${variant.id}.log`);
    try {
      let args;
      if (variant.accord) {
        const variantCli = variant.cli ?? cli;
        if (!existsSync(variantCli)) throw new Error(`${variantCli} is missing: run npm run build`);
        const tls = variant.tls ? serverCertificate(dir) : undefined;
        const configDir = writeAccordConfig(dir, `policies-${variant.id}`, { issuer, upstreamUrl: upstream.url, responseValidation: variant.accord, profile: variant.profile ?? 'all', distinct: variant.tokensFile !== undefined, tls, olderBuild: variant.cli !== undefined && !knowsAdminSwitch(variant.cli), omit: variant.omit, idempotency: variant.idempotency });
        args = [variantCli, 'serve', '--config', configDir, '--port', '0', '--data-dir', join(dir, `data-${variant.id}`), '--no-watch'];
      } else {
        args = [join(import.meta.dirname, 'gateway', variant.script), upstream.url];
      }
      // The same Node flags for every proxy, so that a tuning applies to the baseline too.
      const env = variant.tracing ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_TRACES_SAMPLER: 'always_on' } : {};
      const { child, url } = await startServer(children, { cpu: PROXY_CPU, args: [...options.nodeFlags, ...args], logFile, env });
      Object.assign(variant, { url, pid: child.pid });
    } catch (error) {
      failures.push(`${variant.label} did not start: ${error.message}`);
      variant.failed = true;
    }
  }

  const request = (variant, method) => {
    const headers = { 'User-Agent': 'accord-bench' };
    if (!variant.tokensFile) headers.Authorization = `Bearer ${issuer.token}`;
    const isPost = method === 'POST';
    if (isPost) headers['Content-Type'] = 'application/json';
    return {
      key: `${variant.id}-${method}`,
      url: `${variant.url}${isPost ? POST_PATH : GET_PATH}`,
      method,
      headers,
      body: isPost ? body : undefined,
      tokensFile: variant.tokensFile,
      uniqueIdempotencyKeys: isPost && variant.idempotency === true,
      expect: isPost ? 201 : 200,
    };
  };

  for (const variant of variants.filter((v) => !v.failed)) {
    try {
      await verify(variant, request, issuer);
    } catch (error) {
      failures.push(`${variant.label} failed its checks: ${error.message}`);
      variant.failed = true;
    }
  }
  for (const failure of failures) progress(`error: ${failure}`);
  const active = variants.filter((v) => !v.failed);
  // Memory after start-up and the checks, before any load (the upstream's for "direct").
  for (const variant of active) variant.idleRssMb = memoryBytes(variant.pid ?? upstream.child.pid).rss / 2 ** 20;

  const load = createLoadGenerator({ generator, dir, children, cpu: pin ? GENERATOR_CPU : undefined, connections: options.connections });
  const results = new Map(active.map((v) => [v.id, new Map(v.methods.map((m) => [m, []]))]));
  const runCount = active.reduce((n, v) => n + v.methods.length, 0);
  const estimate = options.rounds * active.reduce((s, v) => s + options.warmup + options.duration + (v.methods.length - 1) * (options.switchWarmup + options.duration), 0);
  progress(`${generator.name} ${generator.version}; ${active.length} variants, ${runCount} runs per round, ${options.rounds} rounds: about ${Math.ceil(estimate / 60)} min`);

  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order so that no variant always follows the same neighbour.
    const order = active.map((_, i) => active[(i + round) % active.length]);
    for (const variant of order) {
      for (const [i, method] of variant.methods.entries()) {
        const r = request(variant, method);
        try {
          await load.run(r, i === 0 ? options.warmup : options.switchWarmup);
          const m = await measure(load, r, options.duration, { proxyPid: variant.pid, upstreamPid: upstream.child.pid, ticks });
          results.get(variant.id).get(method).push(m);
          const flag = m.non2xx + m.socketErrors > 0 ? `  ERRORS non-2xx ${m.non2xx}, socket ${m.socketErrors}` : '';
          if (flag) failures.push(`round ${round + 1}, ${variant.label} ${method}: ${m.non2xx} non-2xx answers and ${m.socketErrors} socket errors during the measured run`);
          progress(
            `round ${round + 1}/${options.rounds}  ${variant.id.padEnd(15)} ${method.padEnd(4)} ${m.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${m.p50Ms.toFixed(2)} ms  p99 ${m.p99Ms.toFixed(2)} ms  ` +
              `${Number.isFinite(m.cpuUsPerRequest) ? `${m.cpuUsPerRequest.toFixed(0)} µs/req  ` : ''}RSS ${m.rssMb.toFixed(0)} MiB${flag}`,
          );
        } catch (error) {
          failures.push(`round ${round + 1}, ${variant.label} ${method}: ${error.message}`);
          progress(`error: ${failures.at(-1)}`);
        }
      }
    }
  }

  const loadAfter = loadavg()[0];
  const rowsByMethod = new Map();
  for (const method of ['GET', 'POST']) {
    rowsByMethod.set(
      method,
      active.filter((v) => v.methods.includes(method) && results.get(v.id).get(method).length > 0).map((v) => ({ id: v.id, label: v.label, idleRssMb: v.idleRssMb, summary: summarise(results.get(v.id).get(method)) })),
    );
  }

  const out = [];
  out.push('# Accord data-plane bench', '');
  out.push(`- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.kernel}; Node ${machine.node}; ${machine.date}`);
  out.push(
    `- Load: ${generator.name} ${generator.version}, 1 thread, ${options.connections} keep-alive connections; ` +
      (pin ? `generator + upstream on CPU ${GENERATOR_CPU}, each proxy alone on CPU ${PROXY_CPU} (taskset)` : 'processes NOT pinned (no taskset)'),
  );
  out.push(
    `- ${options.rounds} interleaved round(s); per variant ${options.warmup} s warm-up, ${options.duration} s measured per method (${options.switchWarmup} s warm-up before POST); medians over rounds`,
  );
  out.push(`- Node flags of every proxy process: ${options.nodeFlags.length > 0 ? options.nodeFlags.map((f) => `\`${f}\``).join(' ') : 'none (defaults)'}`);
  out.push(`- Load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end`);
  out.push(`- GET ${GET_PATH}; POST ${POST_PATH} with a ${Buffer.byteLength(body)}-byte JSON body; one RS256 token (${issuer.token.length} chars) on every request unless stated`);
  for (const [method, rows] of rowsByMethod) {
    if (rows.length === 0) continue;
    out.push('', `## ${method}`, '', methodTable(rows, { baselineId: 'express', directId: 'direct' }));
  }
  out.push('', '## Targets (issue): Accord with every policy ≤ +10 % CPU per request over Express + hpm, RSS under load ≤ 130 MiB', '');
  const targets = targetLines(rowsByMethod, { baselineId: 'express', accordIds: ['accord', 'accord-report'], ...TARGETS });
  out.push(...(targets.length > 0 ? targets : ['- Accord was not measured.']));
  const policyCost = policyCostLines(rowsByMethod, { transportId: 'express-proto', accordIds: ['accord', 'accord-report'] });
  const coreRows = (id) => [...rowsByMethod].map(([method, rows]) => [method, rows.find((r) => r.id === id)]);
  const changeCost = [];
  for (const [method, current] of coreRows('accord-core')) {
    const baseline = rowsByMethod.get(method).find((r) => r.id === 'accord-baseline');
    const all = rowsByMethod.get(method).find((r) => r.id === 'accord');
    if (current && baseline) changeCost.push(`- ${method}: this build ${current.summary.cpuUsPerRequest.toFixed(1)} µs/req, --baseline-cli build ${baseline.summary.cpuUsPerRequest.toFixed(1)} µs/req with the same config: ${(current.summary.cpuUsPerRequest - baseline.summary.cpuUsPerRequest).toFixed(1)} µs/req`);
    if (current && all) changeCost.push(`- ${method}: all policies ${all.summary.cpuUsPerRequest.toFixed(1)} µs/req against the core policies ${current.summary.cpuUsPerRequest.toFixed(1)} µs/req: the policies beyond the core cost ${(all.summary.cpuUsPerRequest - current.summary.cpuUsPerRequest).toFixed(1)} µs/req`);
  }
  for (const [method, all] of coreRows('accord')) {
    for (const policy of WITHOUT_ONE) {
      const without = rowsByMethod.get(method).find((r) => r.id === `accord-no-${policy}`);
      if (all && without) changeCost.push(`- ${method}: ${policy} costs ${(all.summary.cpuUsPerRequest - without.summary.cpuUsPerRequest).toFixed(1)} µs/req (all policies ${all.summary.cpuUsPerRequest.toFixed(1)}, all but ${policy} ${without.summary.cpuUsPerRequest.toFixed(1)}; peak RSS ${all.summary.peakMb.toFixed(0)} vs ${without.summary.peakMb.toFixed(0)} MiB)`);
    }
  }
  if (changeCost.length > 0) out.push('', '## Cost of a change and of the policies beyond the core (medians, same run)', '', ...changeCost);
  if (policyCost.length > 0) {
    out.push('', "## What the policies cost: Accord against Express + hpm with the same message construction (its transport alone)", '', ...policyCost);
  }
  if (failures.length > 0) out.push('', '## Problems', '', ...failures.map((f) => `- ${f}`));
  process.stdout.write(`${out.join('\n')}\n`);

  if (options.json) {
    const raw = Object.fromEntries([...results].map(([id, byMethod]) => [id, Object.fromEntries(byMethod)]));
    writeFileSync(options.json, `${JSON.stringify({ machine, options, generator, loadBefore, loadAfter, failures, summaries: Object.fromEntries(rowsByMethod), runs: raw }, null, 2)}\n`);
  }
  await children.stopAll();
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
    process.exit(1);
  },
);
