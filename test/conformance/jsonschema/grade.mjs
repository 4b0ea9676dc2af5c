#!/usr/bin/env node
// Grades how correctly an OpenAPI gateway (Accord) validates JSON request bodies, with the official
// JSON Schema Test Suite (data/, MIT, see data/LICENSE and data/SOURCE) as ground truth.
//
//   node grade.mjs [--accord DIR] [--dialect oas30|oas31|all] [--target gateway|ajv|both]
//                  [--only REGEX] [--port N] [--concurrency N] [--keep DIR] [--json FILE] [--verbose]
//
//   --accord DIR   a built Accord checkout (dist/cli.js; its node_modules give Ajv for --target ajv);
//                  default: the checkout this grader lives in (`npm run conformance:jsonschema`)
//   --dialect      oas30: tests/draft4 as OpenAPI 3.0.3 schema objects; oas31: tests/draft2020-12
//                  as OpenAPI 3.1.0 schemas; all (default): both
//   --target       gateway (default): one POST /g{n} operation per test group, served by
//                  `accord serve` in front of an echo upstream, each test's data sent as the JSON
//                  body. ajv: the same groups checked by Ajv directly (ajv-draft-04 for oas30,
//                  ajv/dist/2020 for oas31, allErrors, strict off, ajv-formats, like the gateway),
//                  no HTTP. both: ajv then gateway, and the tests on which they disagree.
//   --only REGEX   only test files whose path (e.g. draft4/ref.json) matches
//   --port N       first gateway port tried (default 45310); the echo upstream uses N+1. When either
//                  is taken the next pair is tried, up to 45998. Loopback only.
//   --keep DIR     write the generated config and contracts there and keep them (default: a temp
//                  folder, removed at the end)
//
// Contracts: oas30 groups go into one contract; oas31 groups into as few as keep every `$id` and
// anchor name unique within a contract (the gateway indexes them per file). A `$ref`/`$dynamicRef`
// "#/..." outside any `$id` resource is rebased onto the schema's place in the document, since in
// OpenAPI "#" is the document, not the schema. Each contract is served as its own API, /<api>/v1/g{n}.
//
// Verdicts: a valid test passes when the request reaches the upstream (200 with the echo's header);
// an invalid one when the gateway answers 400 with code REQUEST_INVALID. The opposite answer is a
// failure; anything else (other 4xx/5xx, a 200 not from the upstream, a timeout) is an error.
// Groups whose schema OpenAPI cannot carry are skipped, with a reason (counted in tests). Groups
// whose contract the gateway refuses to load are found by bisection with `accord config validate`
// and counted as load failures (in groups; their tests are not run and not in the score).
// score = passed / (passed + failed + errors). The last line per dialect is
//   jsonschema-conformance: dialect=.. passed=.. failed=.. errors=.. skipped=.. load-failures=.. score=..%
// (with ` target=ajv` appended for the Ajv reference; gateway lines come last).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.join(here, 'data', 'tests');

// ---------------------------------------------------------------------------------------------
// Options
const opts = { accord: path.resolve(here, '..', '..', '..'), dialect: 'all', target: 'gateway', only: null, port: 45310, concurrency: 8, keep: null, json: null, verbose: false };
{
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) usage(`${a} needs a value`);
      return args[++i];
    };
    if (a === '--accord') opts.accord = path.resolve(next());
    else if (a === '--dialect') opts.dialect = next();
    else if (a === '--target') opts.target = next();
    else if (a === '--only') opts.only = new RegExp(next());
    else if (a === '--port') opts.port = Number(next());
    else if (a === '--concurrency') opts.concurrency = Number(next());
    else if (a === '--keep') opts.keep = path.resolve(next());
    else if (a === '--json') opts.json = path.resolve(next());
    else if (a === '--verbose') opts.verbose = true;
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown argument ${a}`);
  }
  if (!['oas30', 'oas31', 'all'].includes(opts.dialect)) usage('--dialect must be oas30, oas31 or all');
  if (!['gateway', 'ajv', 'both'].includes(opts.target)) usage('--target must be gateway, ajv or both');
  if (!(opts.port >= 45000 && opts.port <= 45998)) usage('--port must be in 45000..45998');
  if (!(opts.concurrency >= 1 && opts.concurrency <= 64)) usage('--concurrency must be 1..64');
}

function usage(problem) {
  const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const text = lines.slice(0, lines.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
  if (problem) {
    process.stderr.write(`grade.mjs: ${problem}\n`);
    process.exit(2);
  }
  process.stdout.write(text + '\n');
  process.exit(0);
}

const DIALECTS = {
  oas30: { folder: 'draft4', openapi: '3.0.3' },
  oas31: { folder: 'draft2020-12', openapi: '3.1.0' },
};

// ---------------------------------------------------------------------------------------------
// Schema walking (schema positions only: enum/const/default/examples hold data, not schemas)
const SINGLE = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema']);
const MAP = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions', 'dependencies']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Calls visit(schema, ctx) on every object subschema; ctx.idDepth counts enclosing `$id`/`id`s (the schema's own included). */
function walk(schema, visit, idKey, ctx = { idDepth: 0, base: undefined }) {
  if (!isObj(schema)) return;
  const here = { ...ctx };
  if (typeof schema[idKey] === 'string') here.idDepth = ctx.idDepth + 1;
  visit(schema, here);
  for (const [key, value] of Object.entries(schema)) {
    if (SINGLE.has(key) && isObj(value)) walk(value, visit, idKey, here);
    else if (MAP.has(key) && isObj(value)) for (const v of Object.values(value)) walk(v, visit, idKey, here);
    else if (LIST.has(key) && Array.isArray(value)) for (const v of value) walk(v, visit, idKey, here);
  }
}

// OpenAPI 3.0 schema objects: the draft-4 subset. The first reason found, in this order, is the one counted.
const OAS30_REASONS = [
  ['$schema', (s) => '$schema' in s],
  ['id', (s) => typeof s.id === 'string'],
  ['remote $ref', (s) => typeof s.$ref === 'string' && !s.$ref.startsWith('#')],
  ['dependencies', (s) => 'dependencies' in s],
  ['patternProperties', (s) => 'patternProperties' in s],
  ['additionalItems', (s) => 'additionalItems' in s],
  ['array-form items', (s) => Array.isArray(s.items)],
  ['const', (s) => 'const' in s],
  ['contains', (s) => 'contains' in s],
  ['propertyNames', (s) => 'propertyNames' in s],
  ['if/then/else', (s) => 'if' in s || 'then' in s || 'else' in s],
  ['type array', (s) => Array.isArray(s.type)],
  // OpenAPI 3.0 has no "null" type (nullable: true stands for it).
  ['type null', (s) => s.type === 'null'],
];

function skipReason30(schema) {
  const found = new Set();
  walk(schema, (s) => {
    for (const [reason, test] of OAS30_REASONS) if (test(s)) found.add(reason);
  }, 'id');
  for (const [reason] of OAS30_REASONS) if (found.has(reason)) return reason;
  return undefined;
}

const ROOT_BASE = 'https://jsts.invalid/root.json';
const stripFragment = (u) => (u.includes('#') ? u.slice(0, u.indexOf('#')) : u);
function resolveUri(ref, base) {
  try {
    return stripFragment(new URL(ref, base).href);
  } catch {
    return undefined;
  }
}

/** The `$id`s, anchor names and references of a 2020-12 schema, with bases resolved as JSON Schema does. */
function identifiers31(schema) {
  const ids = new Set([ROOT_BASE]);
  const rawIds = new Set();
  const anchors = new Set();
  const refs = [];
  const visitWithBase = (s, base) => {
    if (!isObj(s)) return;
    let b = base;
    if (typeof s.$id === 'string') {
      rawIds.add(s.$id);
      const abs = resolveUri(s.$id, base);
      if (abs) {
        ids.add(abs);
        b = abs;
      }
    }
    if (typeof s.$anchor === 'string') anchors.add(s.$anchor);
    if (typeof s.$dynamicAnchor === 'string') anchors.add(s.$dynamicAnchor);
    for (const k of ['$ref', '$dynamicRef']) if (typeof s[k] === 'string') refs.push({ ref: s[k], base: b });
    for (const [key, value] of Object.entries(s)) {
      if (SINGLE.has(key) && isObj(value)) visitWithBase(value, b);
      else if (MAP.has(key) && isObj(value)) for (const v of Object.values(value)) visitWithBase(v, b);
      else if (LIST.has(key) && Array.isArray(value)) for (const v of value) visitWithBase(v, b);
    }
  };
  visitWithBase(schema, ROOT_BASE);
  const remote = refs.filter(({ ref, base }) => {
    const target = resolveUri(ref, base);
    return target === undefined || !ids.has(target);
  });
  return { rawIds, anchors, remote, hasVocabulary: JSON.stringify(schema).includes('"$vocabulary"') };
}

function skipReason31(file, schema) {
  if (file.includes('/optional/')) return 'optional/';
  if (file.endsWith('/refRemote.json')) return 'refRemote';
  if (file.endsWith('/vocabulary.json')) return '$vocabulary';
  // Accord asserts `format` by design (OpenAPI lets a validator do so); the suite's required tests
  // expect it to be an annotation only.
  if (file.endsWith('/format.json')) return 'format asserted by design';
  if (!isObj(schema)) return undefined;
  const info = identifiers31(schema);
  if (info.hasVocabulary) return '$vocabulary';
  if (info.remote.length > 0) return 'remote $ref';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Loading the suite
function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

function loadDialect(dialect) {
  const { folder } = DIALECTS[dialect];
  const files = listFiles(path.join(DATA, folder)).map((p) => path.relative(DATA, p).split(path.sep).join('/'));
  const groups = [];
  for (const file of files) {
    if (opts.only && !opts.only.test(file)) continue;
    const content = JSON.parse(fs.readFileSync(path.join(DATA, file), 'utf8'));
    content.forEach((group, index) => {
      let skip;
      if (file.includes('/optional/')) skip = 'optional/';
      else skip = dialect === 'oas30' ? skipReason30(group.schema) : skipReason31(file, group.schema);
      groups.push({ n: groups.length, file, index, description: group.description, schema: group.schema, tests: group.tests, skip });
    });
  }
  return { files: [...new Set(groups.map((g) => g.file))], groups };
}

// ---------------------------------------------------------------------------------------------
// Contracts
const opPointer = (n) => `/paths/~1g${n}/post/requestBody/content/application~1json/schema`;

/**
 * The group's schema as it sits inside the contract. A `$ref` whose fragment is a JSON pointer and
 * that is not inside a schema with an `$id` (`id` in draft 4) means "from the root of this schema";
 * inside an OpenAPI document `#` is the document, so the pointer is prefixed with where the schema
 * now lives (what any bundler does). Everything else is kept as written.
 */
function embed(group, dialect) {
  const schema = structuredClone(group.schema);
  const idKey = dialect === 'oas30' ? 'id' : '$id';
  walk(schema, (s, ctx) => {
    if (ctx.idDepth > 0) return;
    for (const k of ['$ref', '$dynamicRef']) {
      const ref = s[k];
      if (typeof ref === 'string' && (ref === '#' || ref.startsWith('#/'))) s[k] = `#${opPointer(group.n)}${ref.slice(1)}`;
    }
  }, idKey);
  return schema;
}

function contractFor(groups, dialect) {
  const paths = {};
  for (const g of groups) {
    paths[`/g${g.n}`] = {
      post: {
        operationId: `g${g.n}`,
        summary: `${g.file} #${g.index}: ${g.description}`.slice(0, 200),
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: embed(g, dialect) } } },
        responses: { 200: { description: 'reached the upstream' } },
      },
    };
  }
  return { openapi: DIALECTS[dialect].openapi, info: { title: `JSON Schema Test Suite (${dialect})`, version: '1.0.0' }, paths };
}

/** Splits groups into packs that share no `$id` or anchor name (3.1 indexes them per contract file). */
function pack(groups, dialect) {
  if (dialect === 'oas30') return [groups];
  const packs = [];
  for (const g of groups) {
    const info = isObj(g.schema) ? identifiers31(g.schema) : { rawIds: new Set(), anchors: new Set() };
    const keys = [...[...info.rawIds].map((x) => `id:${x}`), ...[...info.anchors].map((x) => `anchor:${x}`)];
    let target = packs.find((p) => keys.every((k) => !p.keys.has(k)));
    if (!target) {
      target = { keys: new Set(), groups: [] };
      packs.push(target);
    }
    keys.forEach((k) => target.keys.add(k));
    target.groups.push(g);
  }
  return packs.map((p) => p.groups);
}

function writeConfig(dir, apis, extra = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'contracts'), { recursive: true });
  const config = {
    version: 1,
    contractsDir: './contracts',
    listen: { host: '127.0.0.1', port: extra.port ?? opts.port, maxBodyBytes: 1048576, shutdownGraceMs: 500 },
    apis: apis.map((a) => ({
      id: a.id,
      basePath: `/${a.id}`,
      versions: [{ version: '1.0.0' }],
      upstream: { url: extra.upstream ?? 'http://127.0.0.1:9', timeoutMs: 5000 },
      requestValidation: true,
      responseValidation: 'off',
    })),
  };
  fs.writeFileSync(path.join(dir, 'gateway.yaml'), JSON.stringify(config, null, 2) + '\n');
  for (const a of apis) {
    fs.mkdirSync(path.join(dir, 'contracts', a.id), { recursive: true });
    fs.writeFileSync(path.join(dir, 'contracts', a.id, '1.0.0.yaml'), JSON.stringify(a.contract, null, 1) + '\n');
  }
}

const cli = () => path.join(opts.accord, 'dist', 'cli.js');

/** `accord config validate` on one pack alone: undefined when it loads, else the gateway's message. */
let validations = 0;
function loadProblem(groups, dialect, dir) {
  validations++;
  writeConfig(dir, [{ id: 'probe', contract: contractFor(groups, dialect) }]);
  const r = spawnSync(process.execPath, [cli(), 'config', 'validate', '--config', dir], { encoding: 'utf8', timeout: 60000, cwd: dir });
  if (r.status === 0) return undefined;
  return (r.stdout + r.stderr).trim().replace(/\s+/g, ' ').replace(dir, '').slice(0, 400) || `exit ${r.status ?? r.signal}`;
}

/** Bisects a pack until every part loads; returns the loadable parts and the groups refused alone. */
function bisect(groups, dialect, dir) {
  const problem = loadProblem(groups, dialect, dir);
  if (problem === undefined) return { ok: [groups], failed: [] };
  if (groups.length === 1) return { ok: [], failed: [{ group: groups[0], message: problem }] };
  const mid = Math.ceil(groups.length / 2);
  const a = bisect(groups.slice(0, mid), dialect, dir);
  const b = bisect(groups.slice(mid), dialect, dir);
  // Two halves that load alone but not together stay apart (a.ok and b.ok are separate packs).
  return { ok: [...a.ok, ...b.ok], failed: [...a.failed, ...b.failed] };
}

// ---------------------------------------------------------------------------------------------
// Processes (started here, stopped here by PID)
const started = [];

function startProcess(name, args, cwd, logFile) {
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', log, log], env: { ...process.env, LOG_LEVEL: 'warn' } });
  fs.closeSync(log);
  const entry = { name, child, pid: child.pid, exited: false, code: null };
  child.on('exit', (code, signal) => {
    entry.exited = true;
    entry.code = code ?? signal;
  });
  started.push(entry);
  return entry;
}

async function stopAll() {
  for (const entry of started.splice(0)) {
    if (entry.exited) continue;
    try {
      process.kill(entry.pid, 'SIGTERM');
    } catch {
      continue;
    }
    const deadline = Date.now() + 5000;
    while (!entry.exited && Date.now() < deadline) await sleep(50);
    if (!entry.exited) {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {}
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));

const ECHO = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2', 'x-jsts-echo': '1' });
    res.end('{}');
  });
});
server.keepAliveTimeout = 10000;
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('echo listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

function request(port, urlPath, body, agent) {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: urlPath, agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: 15000 },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ status: 0, text: `response error: ${e.message}` }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, text: `request error: ${e.message}` }));
    req.end(body);
  });
}

async function waitReady(port, entry, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (entry.exited) return false;
    const r = await new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/readyz', timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => resolve(0));
      req.on('timeout', () => req.destroy());
    });
    if (r === 200) return true;
    await sleep(150);
  }
  return false;
}

async function pool(items, size, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------------------------------------
// Targets. Each returns { results: [{group, test, expected, got, outcome}], loadFailures: [{group, message}] }
async function runGateway(dialect, groups, work) {
  const live = groups.filter((g) => !g.skip);
  const probeDir = path.join(work, `${dialect}-probe`);
  const loadable = [];
  const loadFailures = [];
  for (const p of pack(live, dialect)) {
    let { ok, failed } = bisect(p, dialect, probeDir);
    // Bisection leaves the loadable groups in pieces: put them back together when they load so.
    if (ok.length > 1 && loadProblem(ok.flat(), dialect, probeDir) === undefined) ok = [ok.flat()];
    loadable.push(...ok);
    loadFailures.push(...failed);
  }
  fs.rmSync(probeDir, { recursive: true, force: true });
  const apis = loadable.map((gs, i) => ({ id: `${dialect.replace(/[^a-z0-9]/g, '')}c${i}`, groups: gs, contract: contractFor(gs, dialect) }));
  const results = [];
  if (apis.length === 0) return { results, loadFailures, note: 'nothing to serve' };

  const configDir = path.join(work, dialect);
  const port = await freePair(opts.port);
  const echoPort = port + 1;
  writeConfig(configDir, apis, { upstream: `http://127.0.0.1:${echoPort}`, port });
  const echo = startProcess('echo', ['-e', ECHO, String(echoPort)], work, path.join(work, `${dialect}-echo.log`));
  const gwLog = path.join(work, `${dialect}-gateway.log`);
  const gateway = startProcess('gateway', [cli(), 'serve', '--config', configDir, '--no-watch', '--port', String(port), '--data-dir', path.join(work, 'data-dir')], work, gwLog);
  try {
    const echoUp = await waitFor(() => fs.readFileSync(path.join(work, `${dialect}-echo.log`), 'utf8').includes('echo listening') || echo.exited, 10000);
    if (!echoUp || echo.exited) throw new Error(`echo upstream did not start on port ${echoPort}`);
    if (!(await waitReady(port, gateway, 60000))) {
      const tail = fs.readFileSync(gwLog, 'utf8').slice(-1500);
      throw new Error(`gateway did not become ready on port ${port} (exit ${gateway.code}):\n${tail}`);
    }
    const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
    const jobs = [];
    for (const api of apis) for (const g of api.groups) for (const t of g.tests) jobs.push({ api, g, t });
    await pool(jobs, opts.concurrency, async ({ api, g, t }) => {
      const r = await request(port, `/${api.id}/v1/g${g.n}`, JSON.stringify(t.data), agent);
      results.push(classify(g, t, r));
    });
    agent.destroy();
  } finally {
    await stopAll();
  }
  return { results, loadFailures };
}

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port from `start` (stepping by 2, below 45999) that is free together with the next one. */
async function freePair(start) {
  for (let port = start; port + 1 <= 45999; port += 2) {
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error(`no free pair of ports from ${start} to 45999`);
}

async function waitFor(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (predicate()) return true;
    } catch {}
    await sleep(50);
  }
  return false;
}

function classify(g, t, r) {
  let got;
  let detail = '';
  let code;
  try {
    const body = JSON.parse(r.text);
    code = body?.code;
    if (Array.isArray(body?.errors) && body.errors.length) detail = body.errors.slice(0, 2).map((e) => `${e.pointer ?? ''} ${e.message ?? ''}`.trim()).join('; ');
    else if (body?.detail) detail = String(body.detail);
  } catch {}
  if (r.status === 200 && r.headers?.['x-jsts-echo'] === '1') got = 'valid';
  else if (r.status === 400 && code === 'REQUEST_INVALID') got = 'invalid';
  else got = `error ${r.status}${code ? ' ' + code : ''}${r.status === 0 ? ' ' + r.text : ''}`;
  return outcome(g, t, got, detail);
}

function outcome(g, t, got, detail) {
  const expected = t.valid ? 'valid' : 'invalid';
  const result = got === expected ? 'passed' : got === 'valid' || got === 'invalid' ? 'failed' : 'errors';
  return { file: g.file, group: g.description, groupIndex: g.index, n: g.n, test: t.description, expected, got, detail: detail.slice(0, 300), outcome: result };
}

async function runAjv(dialect, groups) {
  const require = createRequire(path.join(opts.accord, 'package.json'));
  const addFormats = require('ajv-formats');
  const Ajv = dialect === 'oas30' ? require('ajv-draft-04') : require('ajv/dist/2020');
  const AjvClass = Ajv.default ?? Ajv;
  const formats = addFormats.default ?? addFormats;
  const results = [];
  const loadFailures = [];
  for (const g of groups) {
    if (g.skip) continue;
    const ajv = new AjvClass({ allErrors: true, strict: false, logger: false });
    formats(ajv);
    let validate;
    try {
      validate = ajv.compile(g.schema);
    } catch (e) {
      loadFailures.push({ group: g, message: e.message.slice(0, 300) });
      continue;
    }
    for (const t of g.tests) {
      let got;
      let detail = '';
      try {
        got = validate(structuredClone(t.data)) ? 'valid' : 'invalid';
        if (validate.errors) detail = validate.errors.slice(0, 2).map((e) => `${e.instancePath} ${e.message}`).join('; ');
      } catch (e) {
        got = `error ${e.message}`;
      }
      results.push(outcome(g, t, got, detail));
    }
  }
  return { results, loadFailures };
}

// ---------------------------------------------------------------------------------------------
// Report
function report(dialect, target, loaded, run) {
  const label = target === 'gateway' ? 'gateway (accord serve)' : dialect === 'oas30' ? 'Ajv reference (ajv-draft-04)' : 'Ajv reference (ajv/dist/2020)';
  const out = [];
  out.push(`\n=== ${dialect} (${DIALECTS[dialect].folder}, OpenAPI ${DIALECTS[dialect].openapi}) — ${label} ===`);
  const perFile = new Map(loaded.files.map((f) => [f, { passed: 0, failed: 0, errors: 0, skipped: 0, loadFailures: 0 }]));
  for (const g of loaded.groups) if (g.skip) perFile.get(g.file).skipped += g.tests.length;
  for (const lf of run.loadFailures) perFile.get(lf.group.file).loadFailures += 1;
  for (const r of run.results) perFile.get(r.file)[r.outcome] += 1;
  const width = Math.max(...loaded.files.map((f) => f.length), 10);
  out.push(`${'file'.padEnd(width)}  passed failed errors skipped load-failures`);
  for (const [file, c] of perFile) {
    out.push(`${file.padEnd(width)}  ${String(c.passed).padStart(6)} ${String(c.failed).padStart(6)} ${String(c.errors).padStart(6)} ${String(c.skipped).padStart(7)} ${String(c.loadFailures).padStart(13)}`);
  }
  const bad = run.results.filter((r) => r.outcome !== 'passed').sort((a, b) => a.n - b.n || a.test.localeCompare(b.test));
  out.push(`\nfailing tests (${bad.length}):`);
  for (const r of bad) {
    out.push(`  ${r.outcome === 'failed' ? 'FAIL ' : 'ERROR'} ${r.file} | ${r.group} | ${r.test} | expected ${r.expected} | got ${r.got}${opts.verbose && r.detail ? ` (${r.detail})` : ''}`);
  }
  const reasons = new Map();
  for (const g of loaded.groups) {
    if (!g.skip) continue;
    const c = reasons.get(g.skip) ?? { groups: 0, tests: 0 };
    c.groups += 1;
    c.tests += g.tests.length;
    reasons.set(g.skip, c);
  }
  out.push(`\nskipped by reason:`);
  for (const [reason, c] of [...reasons].sort((a, b) => b[1].tests - a[1].tests)) out.push(`  ${reason}: ${c.groups} groups, ${c.tests} tests`);
  out.push(`\nload failures (${run.loadFailures.length} groups, ${run.loadFailures.reduce((s, l) => s + l.group.tests.length, 0)} tests not run):`);
  for (const lf of run.loadFailures) out.push(`  ${lf.group.file} | ${lf.group.description} | ${lf.message}`);
  const count = (o) => run.results.filter((r) => r.outcome === o).length;
  const passed = count('passed');
  const failed = count('failed');
  const errors = count('errors');
  const skipped = loaded.groups.filter((g) => g.skip).reduce((s, g) => s + g.tests.length, 0);
  const total = passed + failed + errors;
  const score = total ? ((100 * passed) / total).toFixed(2) : '0.00';
  const summary = `jsonschema-conformance: dialect=${dialect} passed=${passed} failed=${failed} errors=${errors} skipped=${skipped} load-failures=${run.loadFailures.length} score=${score}%${target === 'ajv' ? ' target=ajv' : ''}`;
  process.stdout.write(out.join('\n') + '\n');
  return { summary, counts: { passed, failed, errors, skipped, loadFailures: run.loadFailures.length, score: Number(score) } };
}

function compare(dialect, ajvRun, gwRun) {
  const key = (r) => `${r.n}\u0000${r.test}`;
  const ajvBy = new Map(ajvRun.results.map((r) => [key(r), r]));
  const gwBy = new Map(gwRun.results.map((r) => [key(r), r]));
  const gwLoadFailed = new Set(gwRun.loadFailures.map((l) => l.group.n));
  const added = [];
  const fixed = [];
  for (const [k, g] of gwBy) {
    const a = ajvBy.get(k);
    if (!a) continue;
    if (a.outcome === 'passed' && g.outcome !== 'passed') added.push(g);
    if (a.outcome !== 'passed' && g.outcome === 'passed') fixed.push(g);
  }
  const lines = [`\n=== ${dialect}: gateway vs Ajv reference ===`];
  lines.push(`tests Ajv gets right and the gateway does not (${added.length}):`);
  for (const r of added) lines.push(`  ${r.file} | ${r.group} | ${r.test} | expected ${r.expected} | gateway ${r.got}`);
  lines.push(`tests the gateway gets right and Ajv does not (${fixed.length}):`);
  for (const r of fixed) lines.push(`  ${r.file} | ${r.group} | ${r.test} | expected ${r.expected} | Ajv ${ajvBy.get(key(r)).got}`);
  const onlyGw = [...gwLoadFailed].filter((n) => !ajvRun.loadFailures.some((l) => l.group.n === n));
  lines.push(`groups the gateway refuses to load and Ajv compiles: ${onlyGw.length}`);
  process.stdout.write(lines.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------
async function main() {
  if (!fs.existsSync(cli())) usage(`${cli()} not found: build Accord first (npm ci && npm run build)`);
  const work = opts.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jsts-grade-'));
  fs.mkdirSync(work, { recursive: true });
  const dialects = opts.dialect === 'all' ? ['oas30', 'oas31'] : [opts.dialect];
  const targets = opts.target === 'both' ? ['ajv', 'gateway'] : [opts.target];
  const summaries = { ajv: [], gateway: [] };
  const json = {};
  const started0 = Date.now();
  for (const dialect of dialects) {
    const loaded = loadDialect(dialect);
    const runs = {};
    for (const target of targets) {
      const t0 = Date.now();
      runs[target] = target === 'ajv' ? await runAjv(dialect, loaded.groups) : await runGateway(dialect, loaded.groups, work);
      const { summary, counts } = report(dialect, target, loaded, runs[target]);
      if (target === 'gateway') process.stdout.write(`(${validations} load checks with accord config validate; ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      summaries[target].push(summary);
      json[`${dialect}/${target}`] = {
        counts,
        failing: runs[target].results.filter((r) => r.outcome !== 'passed'),
        loadFailures: runs[target].loadFailures.map((l) => ({ file: l.group.file, group: l.group.description, message: l.message })),
        skipped: loaded.groups.filter((g) => g.skip).map((g) => ({ file: g.file, group: g.description, reason: g.skip, tests: g.tests.length })),
      };
    }
    if (runs.ajv && runs.gateway) compare(dialect, runs.ajv, runs.gateway);
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(json, null, 2) + '\n');
  if (!opts.keep) fs.rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`\nconfig, contracts and logs kept in ${work}\n`);
  process.stdout.write(`\n(total ${((Date.now() - started0) / 1000).toFixed(1)} s)\n`);
  for (const line of [...summaries.ajv, ...summaries.gateway]) process.stdout.write(line + '\n');
}

main().catch(async (error) => {
  await stopAll();
  process.stderr.write(`grade.mjs: ${error.stack ?? error}\n`);
  process.exit(1);
});
