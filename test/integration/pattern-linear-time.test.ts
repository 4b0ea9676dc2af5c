/** Contract patterns are evaluated in linear time: a hostile value cannot stall the gateway, and patterns RE2 cannot express are refused at load. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { stringify } from 'yaml';
import { startUpstream, type TestUpstream } from '../support/upstream.js';
import { runCli, startCli, waitForLine } from '../support/cli.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'patterns');
/** 40 characters that make a backtracking engine try about 2^39 ways to split the a's before failing. */
const HOSTILE = `${'a'.repeat(39)}!`;
/** Far above what a linear-time check needs, far below what backtracking over HOSTILE takes (hours). */
const HANG_GUARD_MS = 2000;

/** A gateway configuration serving one contract as API `words` (or another id), in a fresh folder. */
function configDir(contract: string, upstream: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-patterns-'));
  mkdirSync(join(dir, 'contracts', 'words'), { recursive: true });
  copyFileSync(join(FIXTURES, contract), join(dir, 'contracts', 'words', '1.0.0.yaml'));
  mkdirSync(join(dir, 'policies'));
  const config = {
    version: 1,
    contractsDir: '../contracts',
    listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
    apis: [{ id: 'words', basePath: '/words', versions: [{ version: '1.0.0', upstream }], requestValidation: true }],
  };
  writeFileSync(join(dir, 'policies', 'gateway.yaml'), stringify(config));
  return dir;
}

/** The request, or a rejection once the hang guard runs out (the test process stays responsive: the gateway is another process). */
function withinGuard(request: Promise<RawResponse>): Promise<RawResponse> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HANG_GUARD_MS} ms`)), HANG_GUARD_MS);
  });
  return Promise.race([request, guard]).finally(() => clearTimeout(timer));
}

describe('linear-time contract patterns: hostile values', () => {
  let upstream: TestUpstream;
  let dir: string;
  let serve: ReturnType<typeof startCli>;
  let url: string;

  before(async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    dir = configDir('words-1.0.0.yaml', upstream.url);
    serve = startCli(['serve', '--config', join(dir, 'policies'), '--data-dir', join(dir, '.accord'), '--port', '0', '--no-watch'], { cwd: dir });
    url = (JSON.parse(await waitForLine(serve.lines, /"gateway listening"/)) as { url: string }).url;
  });
  after(async () => {
    if (serve.child.exitCode === null) {
      serve.child.kill('SIGTERM');
      await once(serve.child, 'exit');
    }
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown): Promise<RawResponse> =>
    rawRequest(url, 'POST', '/words/v1/words', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const scenarios: Array<{ name: string; body: unknown; status: number; pointer?: string }> = [
    { name: 'pattern ^(a+)+$ against 39 a\'s and a "!"', body: { word: HOSTILE }, status: 400, pointer: '/body/word' },
    { name: 'patternProperties ^(a|aa)+$ against a hostile property name', body: { labels: { [HOSTILE]: 'x' } }, status: 400, pointer: `/body/labels/${HOSTILE}` },
    { name: 'propertyNames pattern ^(\\w+\\s?)*$ against a hostile property name', body: { tags: { [`${'ab '.repeat(13)}!`]: 1 } }, status: 400, pointer: '/body/tags' },
    { name: 'values that match still reach the upstream', body: { word: 'aaaa', labels: { aaa: 'x' }, tags: { 'big red': 1 } }, status: 204 },
  ];
  for (const s of scenarios) {
    it(`${s.name}: ${s.status}, answered within the hang guard`, async () => {
      const response = await withinGuard(post(s.body));
      assert.equal(response.status, s.status, response.text);
      if (s.pointer !== undefined) {
        assert.equal(response.json?.code, 'REQUEST_INVALID');
        const pointers = (response.json?.errors as Array<{ pointer: string }>).map((e) => e.pointer);
        assert.ok(pointers.includes(s.pointer), `${s.pointer} in ${JSON.stringify(pointers)}`);
      }
    });
  }

  it('/healthz answers while hostile requests are being checked', async () => {
    const hostile = Array.from({ length: 4 }, () => withinGuard(post({ word: HOSTILE })));
    const health = await withinGuard(rawRequest(url, 'GET', '/healthz'));
    const answers = await Promise.all(hostile);
    assert.equal(health.status, 200);
    assert.deepEqual(answers.map((a) => a.status), [400, 400, 400, 400]);
  });
});

describe('linear-time contract patterns: refused at load', () => {
  const cases: Array<{ name: string; contract: string; stdout: RegExp }> = [
    {
      name: 'a lookahead in a component schema, with file, line and pointer',
      contract: 'lookahead-1.0.0.yaml',
      stdout: /1\.0\.0\.yaml:26 \(#\/components\/schemas\/Password\/properties\/secret\/pattern\): pattern "\^\(\?=\.\*\\d\)\\w\{8,\}\$" uses a lookahead, which the linear-time engine \(RE2\) cannot evaluate/,
    },
    {
      name: 'a backreference in an additionalProperties schema (OpenAPI 3.0)',
      contract: 'backreference-1.0.0.yaml',
      stdout: /1\.0\.0\.yaml:18 \(#\/paths\/~1pairs\/post\/requestBody\/content\/application~1json\/schema\/additionalProperties\/pattern\): pattern "\^\(\\w\)\\1\$" uses a backreference, which the linear-time engine \(RE2\) cannot evaluate/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = configDir(c.contract, 'http://127.0.0.1:9');
      try {
        const result = runCli(['config', 'validate', '--config', join(dir, 'policies')], { cwd: dir });
        assert.equal(result.status, 1, result.stdout + result.stderr);
        assert.match(result.stdout, c.stdout);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
