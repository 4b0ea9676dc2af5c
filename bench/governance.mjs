// Governance benchmark: lint and diff of a large synthetic contract, run with the built CLI in child
// processes, beside Spectral's own CLI linting the same contract with the same ruleset.
//
// Usage: npm run bench:governance [-- --runs N --resources N --keep --contract FILE | --github]
//        node bench/governance.mjs --generate DIR   (only writes the contracts, for profiling)
// Generates (in a temp dir, never the repo) a contract of ~1,500 operations (~5 MB of YAML) with
// shared components and $refs, and a revision with ~50 scattered changes of different kinds.
// Times `accord lint`, `spectral lint` (@stoplight/spectral-cli with rulesets/accord.yaml, which is
// a plain Spectral ruleset: the same rules, so the same findings) and `accord diff` (median of N
// runs, default 3: wall and CPU time) and reports the peak RSS (ru_maxrss of the process, read in
// the child at exit). --contract FILE measures an existing contract instead (e.g. GitHub's REST
// description, api.github.com.yaml from github/rest-api-description): lint and Spectral on FILE,
// and a diff of FILE against itself. --github measures GitHub's REST description (13 MB of JSON,
// api.github.com.json as published in the npm package @octokit/openapi, version GITHUB_PACKAGE
// below, fetched with `npm pack` into the temp dir). Numbers are printed, never asserted: speed
// belongs here, not in tests.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem, availableParallelism, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const SPECTRAL_CLI = join(ROOT, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
const RULESET = join(ROOT, 'rulesets', 'accord.yaml');
/** GitHub's REST description as @octokit/openapi publishes it (generated/api.github.com.json). */
const GITHUB_PACKAGE = '@octokit/openapi@23.0.2';

function parseArgs(argv) {
  const args = { runs: 3, resources: 300, keep: false, generate: undefined, contract: undefined, github: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Math.max(1, Number(argv[++i]));
    else if (argv[i] === '--generate') args.generate = argv[++i];
    else if (argv[i] === '--resources') args.resources = Math.max(20, Number(argv[++i]));
    else if (argv[i] === '--keep') args.keep = true;
    else if (argv[i] === '--contract') args.contract = argv[++i];
    else if (argv[i] === '--github') args.github = true;
    else throw new Error(`unknown argument ${argv[i]} (use --runs N, --resources N, --keep, --generate DIR, --contract FILE, --github)`);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Synthetic contract. Deterministic: the same arguments give the same bytes, so runs compare.

const WORDS = ['account', 'order', 'invoice', 'shipment', 'customer', 'product', 'warehouse', 'payment', 'refund', 'ticket', 'contract', 'device', 'meter', 'route', 'booking', 'policy', 'claim', 'asset', 'vendor', 'batch'];

/** Small deterministic PRNG (mulberry32) so property mixes vary by resource but not by run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resourceName(i) {
  return `${WORDS[i % WORDS.length]}${Math.floor(i / WORDS.length) + 1}`;
}

function pascal(name) {
  return name[0].toUpperCase() + name.slice(1);
}

const LOREM =
  'This field is kept for reconciliation with the partner ledger and is returned exactly as it was stored; ' +
  'clients must not infer meaning from its format, which may change between minor versions without notice.';

/** One resource schema: ~40 properties of mixed kinds, with shared $refs, enums, formats, arrays and nesting. */
function resourceSchema(i) {
  const rnd = prng(i + 1);
  const properties = {
    id: { type: 'string', description: 'Opaque identifier, stable for the life of the resource.', readOnly: true, pattern: '^[a-z]{3}_[0-9a-z]{16}$', example: 'abc_0123456789abcdef' },
    status: { type: 'string', description: 'Lifecycle status.', enum: ['draft', 'active', 'suspended', 'closed'] },
    name: { type: 'string', description: 'Display name shown to end users.', minLength: 1, maxLength: 200 },
    amount: { $ref: '#/components/schemas/Money' },
    address: { $ref: '#/components/schemas/Address' },
    audit: { $ref: '#/components/schemas/AuditInfo' },
    tags: { type: 'array', description: 'Free-form labels.', items: { type: 'string', maxLength: 40 }, maxItems: 20 },
    createdAt: { type: 'string', format: 'date-time', description: 'When the resource was created.', readOnly: true },
    updatedAt: { type: 'string', format: 'date-time', description: 'When the resource was last changed.', readOnly: true },
    owner: { $ref: '#/components/schemas/PartyRef' },
  };
  for (let p = 0; p < 30; p++) {
    const kind = Math.floor(rnd() * 6);
    const key = `field${p}`;
    if (kind === 0) properties[key] = { type: 'string', description: `Text field ${p}. ${LOREM}`, maxLength: 64 + p };
    else if (kind === 1) properties[key] = { type: 'integer', format: 'int32', minimum: 0, maximum: 1000 * (p + 1), description: `Counter ${p}.` };
    else if (kind === 2) properties[key] = { type: 'boolean', description: `Flag ${p}. ${LOREM}` };
    else if (kind === 3) properties[key] = { type: 'string', enum: ['low', 'medium', 'high', 'critical'], description: `Level ${p}.` };
    else if (kind === 4) properties[key] = { type: 'array', items: { $ref: '#/components/schemas/Money' }, description: `Amounts ${p}.` };
    else properties[key] = { type: 'object', description: `Nested block ${p}.`, properties: { code: { type: 'string', maxLength: 12 }, weight: { type: 'number', minimum: 0 }, note: { type: 'string', description: LOREM } }, required: ['code'] };
  }
  return { type: 'object', description: `A ${resourceName(i)} as returned by the API.`, required: ['id', 'status', 'name', 'createdAt'], properties };
}

function createSchema(i) {
  return {
    type: 'object',
    description: `Fields accepted when creating a ${resourceName(i)}.`,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, description: 'Display name.' },
      status: { type: 'string', enum: ['draft', 'active'], description: 'Initial status.' },
      amount: { $ref: '#/components/schemas/Money' },
      address: { $ref: '#/components/schemas/Address' },
      tags: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 20 },
      reference: { type: 'string', maxLength: 80, description: `Caller's own reference. ${LOREM}` },
    },
  };
}

function errorResponses() {
  return {
    400: { $ref: '#/components/responses/BadRequest' },
    401: { $ref: '#/components/responses/Unauthorized' },
    403: { $ref: '#/components/responses/Forbidden' },
    429: { $ref: '#/components/responses/TooManyRequests' },
  };
}

/** Five operations per resource: list and create on the collection, read, replace and delete on items. */
function resourcePaths(i) {
  const name = resourceName(i);
  const Schema = pascal(name);
  const tag = WORDS[i % WORDS.length];
  const json = (ref) => ({ 'application/json': { schema: { $ref: ref } } });
  const common = (verb, what) => ({
    summary: `${verb} ${what}`,
    description: `${verb} ${what}. ${LOREM}`,
    tags: [tag],
    security: [{ oauth2: [`${tag}:${verb === 'List' || verb === 'Read' ? 'read' : 'write'}`] }],
  });
  return {
    [`/${name}s`]: {
      get: {
        operationId: `list${Schema}s`,
        ...common('List', `${name}s`),
        parameters: [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Cursor' }, { $ref: '#/components/parameters/RequestId' }, { name: 'status', in: 'query', required: false, description: 'Only resources in this status.', schema: { type: 'string', enum: ['draft', 'active', 'suspended', 'closed'] } }],
        responses: { 200: { description: `A page of ${name}s.`, content: { 'application/json': { schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${Schema}` } }, nextCursor: { type: 'string', nullable: true } } } } } }, ...errorResponses() },
      },
      post: {
        operationId: `create${Schema}`,
        ...common('Create', `a ${name}`),
        parameters: [{ $ref: '#/components/parameters/RequestId' }, { $ref: '#/components/parameters/IdempotencyKey' }],
        requestBody: { required: true, content: json(`#/components/schemas/${Schema}Create`) },
        responses: { 201: { description: `The created ${name}.`, content: json(`#/components/schemas/${Schema}`) }, ...errorResponses() },
      },
    },
    [`/${name}s/{id}`]: {
      parameters: [{ $ref: '#/components/parameters/Id' }],
      get: {
        operationId: `read${Schema}`,
        ...common('Read', `one ${name}`),
        parameters: [{ $ref: '#/components/parameters/RequestId' }],
        responses: { 200: { description: `The ${name}.`, content: json(`#/components/schemas/${Schema}`) }, 404: { $ref: '#/components/responses/NotFound' }, ...errorResponses() },
      },
      put: {
        operationId: `replace${Schema}`,
        ...common('Replace', `one ${name}`),
        requestBody: { required: true, content: json(`#/components/schemas/${Schema}Create`) },
        responses: { 200: { description: `The replaced ${name}.`, content: json(`#/components/schemas/${Schema}`) }, 404: { $ref: '#/components/responses/NotFound' }, ...errorResponses() },
      },
      delete: {
        operationId: `delete${Schema}`,
        ...common('Delete', `one ${name}`),
        responses: { 204: { description: 'Deleted.' }, 404: { $ref: '#/components/responses/NotFound' }, ...errorResponses() },
      },
    },
  };
}

function problem(description) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function baseContract(resources) {
  const paths = {};
  const schemas = {
    Money: { type: 'object', required: ['amount', 'currency'], properties: { amount: { type: 'string', pattern: '^-?[0-9]+\\.[0-9]{2}$' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } },
    Address: { type: 'object', properties: { line1: { type: 'string', maxLength: 100 }, line2: { type: 'string', maxLength: 100 }, city: { type: 'string', maxLength: 60 }, postcode: { type: 'string', maxLength: 12 }, country: { type: 'string', pattern: '^[A-Z]{2}$' } }, required: ['line1', 'city', 'country'] },
    AuditInfo: { type: 'object', properties: { createdBy: { $ref: '#/components/schemas/PartyRef' }, updatedBy: { $ref: '#/components/schemas/PartyRef' }, revision: { type: 'integer', minimum: 1 } } },
    PartyRef: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['user', 'service', 'partner'] } } },
    Problem: { type: 'object', required: ['type', 'title', 'status'], properties: { type: { type: 'string', format: 'uri' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' }, instance: { type: 'string' } } },
  };
  for (let i = 0; i < resources; i++) {
    Object.assign(paths, resourcePaths(i));
    schemas[pascal(resourceName(i))] = resourceSchema(i);
    schemas[`${pascal(resourceName(i))}Create`] = createSchema(i);
  }
  const scopes = {};
  for (const w of WORDS) {
    scopes[`${w}:read`] = `Read ${w}s`;
    scopes[`${w}:write`] = `Change ${w}s`;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Synthetic Enterprise API', version: '1.0.0', description: 'A generated contract for the governance benchmark.', contact: { name: 'Bench', email: 'bench@example.com' }, license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' } },
    servers: [{ url: 'https://api.example.com/v1', description: 'Production' }],
    tags: WORDS.map((w) => ({ name: w, description: `Operations on ${w}s.` })),
    security: [{ oauth2: [] }],
    paths,
    components: {
      schemas,
      parameters: {
        Id: { name: 'id', in: 'path', required: true, description: 'Resource identifier.', schema: { type: 'string' } },
        Limit: { name: 'limit', in: 'query', required: false, description: 'Page size.', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        Cursor: { name: 'cursor', in: 'query', required: false, description: 'Opaque cursor of the next page.', schema: { type: 'string' } },
        RequestId: { name: 'X-Request-Id', in: 'header', required: false, description: 'Correlation id.', schema: { type: 'string', maxLength: 64 } },
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: 'Makes a retried create safe.', schema: { type: 'string', maxLength: 64 } },
      },
      responses: {
        BadRequest: problem('The request is invalid.'),
        Unauthorized: problem('No valid access token.'),
        Forbidden: problem('The token lacks a scope.'),
        NotFound: problem('No such resource.'),
        TooManyRequests: problem('Rate limit exceeded.'),
      },
      securitySchemes: { oauth2: { type: 'oauth2', description: 'Client credentials.', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes } } } },
    },
  };
}

/**
 * The revision: ~50 changes spread over the document, four or five of each kind. `expect` is what
 * a diff should classify them as (breaking or not), to read the diff's output against.
 */
function applyChanges(doc, resources) {
  const rev = structuredClone(doc);
  rev.info.version = '1.1.0';
  const changes = [];
  const kinds = [
    ['remove an item DELETE operation', 'breaking', (r) => delete rev.paths[`/${r}s/{id}`].delete],
    ['add a required query parameter to a list', 'breaking', (r) => rev.paths[`/${r}s`].get.parameters.push({ name: 'region', in: 'query', required: true, description: 'Region.', schema: { type: 'string' } })],
    ['add an optional query parameter to a list', 'compatible', (r) => rev.paths[`/${r}s`].get.parameters.push({ name: 'sort', in: 'query', required: false, description: 'Sort order.', schema: { type: 'string', enum: ['asc', 'desc'] } })],
    ['add a new path', 'compatible', (r) => (rev.paths[`/${r}s/{id}/history`] = { parameters: [{ $ref: '#/components/parameters/Id' }], get: { operationId: `history${pascal(r)}`, summary: 'History', description: 'Change history.', tags: [WORDS[0]], responses: { 200: { description: 'History entries.', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/AuditInfo' } } } } } } } })],
    ['change a response property type', 'breaking', (r) => (rev.components.schemas[pascal(r)].properties.name = { type: 'integer', description: 'Display number.' })],
    ['make a request property required', 'breaking', (r) => rev.components.schemas[`${pascal(r)}Create`].required.push('reference')],
    ['add an enum value to a response property', 'possibly breaking', (r) => rev.components.schemas[pascal(r)].properties.status.enum.push('archived')],
    ['deprecate an operation with a sunset', 'compatible', (r) => Object.assign(rev.paths[`/${r}s/{id}`].put, { deprecated: true, 'x-sunset': '2027-06-30' })],
    ['remove a response property', 'possibly breaking', (r) => delete rev.components.schemas[pascal(r)].properties.tags],
    ['relax a request maxLength', 'compatible', (r) => delete rev.components.schemas[`${pascal(r)}Create`].properties.reference.maxLength],
    ['add a scope to an operation', 'breaking', (r) => rev.paths[`/${r}s`].post.security[0].oauth2.push(`${r.replace(/\d+$/, '')}:admin`)],
  ];
  // Indices spread evenly across the document so changes land early, middle and late.
  const perKind = 5;
  const total = kinds.length * perKind;
  for (let k = 0; k < total; k++) {
    const [what, expect, apply] = kinds[k % kinds.length];
    const r = resourceName(Math.floor(((k + 0.5) * resources) / total));
    apply(r);
    changes.push({ what, expect, resource: r });
  }
  // A scope added to an operation must exist in the scheme to stay a valid document.
  for (const w of WORDS) rev.components.securitySchemes.oauth2.flows.clientCredentials.scopes[`${w}:admin`] = `Administer ${w}s`;
  return { rev, changes };
}

// ---------------------------------------------------------------------------------------------
// Measurement.

/**
 * Preloaded into each CLI run: at exit, writes the process's own peak RSS (KiB) and CPU time
 * (user + system, µs) to fd 3. CPU time is steadier than wall time when the machine is shared.
 */
const EXIT_STATS_HOOK =
  'data:text/javascript,' +
  encodeURIComponent(
    'import{writeSync}from"node:fs";process.on("exit",()=>{try{const u=process.resourceUsage();writeSync(3,`${u.maxRSS} ${u.userCPUTime+u.systemCPUTime}`)}catch{}});',
  );

function runCli(script, args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', EXIT_STATS_HOOK, script, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let stats = '';
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.stdio[3].on('data', (c) => (stats += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const [maxRssKiB, cpuMicros] = stats.split(' ').map(Number);
      resolve({ code, seconds, cpuSeconds: cpuMicros / 1e6, peakRssMiB: maxRssKiB / 1024, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const SPECTRAL_SEVERITIES = ['error', 'warn', 'info', 'hint'];

function summarise(command, output) {
  try {
    const data = JSON.parse(output);
    if (Array.isArray(data)) {
      // Spectral's JSON: an array of results with numeric severities.
      const by = {};
      for (const r of data) by[SPECTRAL_SEVERITIES[r.severity] ?? r.severity] = (by[SPECTRAL_SEVERITIES[r.severity] ?? r.severity] ?? 0) + 1;
      return `${data.length} findings (${Object.entries(by).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`;
    }
    if (command === 'diff') {
      const by = {};
      for (const c of data.changes) by[c.severity] = (by[c.severity] ?? 0) + 1;
      return `${data.changes.length} changes (${Object.entries(by).map(([k, v]) => `${v} ${k}`).join(', ')}), breaking=${data.breaking}`;
    }
    const list = data.findings ?? data.changes ?? [];
    const by = {};
    for (const f of list) by[f.severity] = (by[f.severity] ?? 0) + 1;
    return `${list.length} findings (${Object.entries(by).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'})`;
  } catch {
    return 'output is not JSON';
  }
}

async function measure(label, script, args, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const result = await runCli(script, args);
    let parsed = true;
    try {
      JSON.parse(result.stdout);
    } catch {
      parsed = false;
    }
    // Exit 1 only means "findings"; anything else, or output that is not the report, is a failed run.
    if ((result.code !== 0 && result.code !== 1) || !parsed) {
      return { label, error: `exit ${result.code}: ${(result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? ''}` };
    }
    samples.push(result);
  }
  return {
    label,
    runs,
    median: median(samples.map((s) => s.seconds)),
    cpu: median(samples.map((s) => s.cpuSeconds)),
    min: Math.min(...samples.map((s) => s.seconds)),
    max: Math.max(...samples.map((s) => s.seconds)),
    peak: Math.max(...samples.map((s) => s.peakRssMiB)),
    exit: samples[0].code,
    summary: summarise(args[0], samples[0].stdout),
  };
}

/**
 * Each command once per round, the rounds one after another: commands see the same moments of a
 * shared machine, so outside load inflates them alike instead of whichever ran last.
 */
async function measureInterleaved(commands, runs) {
  const samples = commands.map(() => []);
  const failed = commands.map(() => undefined);
  for (let round = 0; round < runs; round++) {
    for (let c = 0; c < commands.length; c++) {
      if (failed[c]) continue;
      const [label, script, args] = commands[c];
      const result = await measure(label, script, args, 1);
      if (result.error) failed[c] = result;
      else samples[c].push(result);
    }
  }
  return commands.map(([label], c) => {
    if (failed[c]) return failed[c];
    const s = samples[c];
    return {
      label,
      runs,
      median: median(s.map((r) => r.median)),
      cpu: median(s.map((r) => r.cpu)),
      min: Math.min(...s.map((r) => r.min)),
      max: Math.max(...s.map((r) => r.max)),
      peak: Math.max(...s.map((r) => r.peak)),
      exit: s[0].exit,
      summary: s[0].summary,
    };
  });
}

function table(rows) {
  const header = ['command', 'runs', 'median wall s', 'min s', 'max s', 'median CPU s', 'peak RSS MiB', 'exit', 'result'];
  const body = rows.map((r) =>
    r.error
      ? [r.label, '-', '-', '-', '-', '-', '-', '-', r.error]
      : [r.label, String(r.runs), r.median.toFixed(2), r.min.toFixed(2), r.max.toFixed(2), r.cpu.toFixed(2), r.peak.toFixed(0), String(r.exit), r.summary],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.generate !== undefined) {
    // Only write the contracts (base.yaml, revision.yaml) into a folder, for profiling by hand.
    const base = baseContract(args.resources);
    const { rev } = applyChanges(base, args.resources);
    mkdirSync(args.generate, { recursive: true });
    writeFileSync(join(args.generate, 'base.yaml'), stringify(base, { lineWidth: 0, aliasDuplicateObjects: false }));
    writeFileSync(join(args.generate, 'revision.yaml'), stringify(rev, { lineWidth: 0, aliasDuplicateObjects: false }));
    console.log(`wrote ${join(args.generate, 'base.yaml')} and revision.yaml`);
    return;
  }
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build first (npm run bench:governance does)`);
  if (!existsSync(SPECTRAL_CLI)) throw new Error(`${SPECTRAL_CLI} not found: run npm ci (@stoplight/spectral-cli is a devDependency)`);
  const dir = mkdtempSync(join(tmpdir(), 'accord-bench-governance-'));
  try {
    const cpu = cpus();
    console.log('Accord governance benchmark');
    console.log(`machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores (${availableParallelism()} available), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), ${process.platform} ${release()}`);
    console.log(`node: ${process.version}; load average at start ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min): other work on the machine inflates times`);
    let baseFile;
    let revFile;
    if (args.github) {
      // npm pack prints the tarball's name; only the one JSON file is unpacked.
      const tarball = execFileSync('npm', ['pack', GITHUB_PACKAGE, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
      execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir, 'package/generated/api.github.com.json']);
      args.contract = join(dir, 'package', 'generated', 'api.github.com.json');
      console.log(`GitHub's REST description from ${GITHUB_PACKAGE}`);
    }
    if (args.contract !== undefined) {
      baseFile = resolve(args.contract);
      revFile = baseFile;
      console.log(`contract: ${baseFile}, ${(statSync(baseFile).size / 2 ** 20).toFixed(2)} MiB (the diff compares it with itself)`);
    } else {
      const t0 = process.hrtime.bigint();
      const base = baseContract(args.resources);
      const { rev, changes } = applyChanges(base, args.resources);
      baseFile = join(dir, 'base.yaml');
      revFile = join(dir, 'revision.yaml');
      writeFileSync(baseFile, stringify(base, { lineWidth: 0, aliasDuplicateObjects: false }));
      writeFileSync(revFile, stringify(rev, { lineWidth: 0, aliasDuplicateObjects: false }));
      const generated = Number(process.hrtime.bigint() - t0) / 1e9;
      const operations = Object.values(base.paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length, 0);
      const expected = {};
      for (const c of changes) expected[c.expect] = (expected[c.expect] ?? 0) + 1;
      console.log(`contract: ${operations} operations, ${Object.keys(base.paths).length} paths, ${Object.keys(base.components.schemas).length} schemas, base ${(statSync(baseFile).size / 2 ** 20).toFixed(2)} MiB, revision ${(statSync(revFile).size / 2 ** 20).toFixed(2)} MiB of YAML (generated in ${generated.toFixed(1)} s)`);
      console.log(`revision: ${changes.length} changes of ${new Set(changes.map((c) => c.what)).size} kinds (${Object.entries(expected).map(([k, v]) => `${v} ${k}`).join(', ')})`);
      console.log(`files: ${dir}${args.keep ? ' (kept)' : ' (removed at the end)'}`);
    }
    console.log('');

    const rows = await measureInterleaved(
      [
        ['accord lint', CLI, ['lint', baseFile, '--format', 'json']],
        ['spectral lint (same ruleset)', SPECTRAL_CLI, ['lint', baseFile, '--ruleset', RULESET, '--format', 'json', '--quiet', '--fail-severity', 'error']],
        [args.contract === undefined ? 'accord diff base revision' : 'accord diff (contract with itself)', CLI, ['diff', baseFile, revFile, '--format', 'json']],
      ],
      args.runs,
    );
    console.log(table(rows));
    const [lint, spectral] = rows;
    if (!lint.error && !spectral.error) {
      // Both run on the same machine in the same rounds: the ratio moves less than either time
      // when other work on a shared machine slows everything down.
      console.log(`accord lint / Spectral's CLI, wall: ${(lint.median / spectral.median).toFixed(3)}; CPU: ${(lint.cpu / spectral.cpu).toFixed(3)}`);
    }
    console.log('');
    console.log('Wall time per CLI process (startup, parse, work, output); CPU = user + system time of that process;');
    console.log('peak RSS = the largest ru_maxrss over the runs. Commands take turns, one run each per round.');
    console.log(`load average at end ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
