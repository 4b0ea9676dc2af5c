/** `accord serve` reloads on SIGHUP, every time, whatever the previous attempt's outcome. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { stringify } from 'yaml';
import { startCli, waitForLine } from '../support/cli.js';
import { rawRequest } from '../support/raw-request.js';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { createTestIssuer } from '../support/test-gateway.js';

const SHOP_V1 = join(import.meta.dirname, '..', 'integration', 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const issuer = await createTestIssuer();

function configFor(upstream: string): string {
  return stringify({
    version: 1,
    contractsDir: '../contracts',
    listen: { host: '127.0.0.1' },
    identityProviders: [issuer.provider()],
    apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream }], auth: { providers: ['test'] } }],
  });
}

describe('accord serve: reload on SIGHUP', () => {
  let dir: string;
  let a: TestUpstream;
  let b: TestUpstream;
  let serve: { child: ChildProcess; lines: string[]; stderr: string[] };
  let url: string;
  const configFile = (): string => join(dir, 'policies', 'gateway.yaml');
  const reloads = (): Array<Record<string, unknown>> =>
    serve.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.outcome !== undefined);
  /** Sends SIGHUP and waits (bounded) for the attempt's log line. */
  async function hangUp(): Promise<Record<string, unknown>> {
    const count = reloads().length;
    serve.child.kill('SIGHUP');
    for (let i = 0; i < 200 && reloads().length === count; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(reloads().length, count + 1, serve.lines.join('\n'));
    return reloads().at(-1)!;
  }
  const answeredBy = async (): Promise<unknown> => (await rawRequest(url, 'GET', '/shop/v1/public/status')).json?.status;

  before(async () => {
    a = await startUpstream(json(200, { status: 'a' }));
    b = await startUpstream(json(200, { status: 'b' }));
    dir = mkdtempSync(join(tmpdir(), 'accord-hup-'));
    mkdirSync(join(dir, 'contracts', 'shop'), { recursive: true });
    copyFileSync(SHOP_V1, join(dir, 'contracts', 'shop', '1.0.0.yaml'));
    mkdirSync(join(dir, 'policies'));
    writeFileSync(configFile(), configFor(a.url));
    serve = startCli(['serve', '--config', join(dir, 'policies'), '--data-dir', join(dir, '.accord'), '--port', '0', '--no-watch']);
    url = (JSON.parse(await waitForLine(serve.lines, /"gateway listening"/)) as { url: string }).url;
  });
  after(async () => {
    if (serve?.child.exitCode === null) {
      serve.child.kill('SIGTERM');
      await once(serve.child, 'exit');
    }
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads a valid edit', async () => {
    assert.equal(await answeredBy(), 'a');
    writeFileSync(configFile(), configFor(b.url));
    const line = await hangUp();
    assert.deepEqual([line.trigger, line.outcome, line.msg], ['SIGHUP', 'success', 'configuration reloaded']);
    assert.equal(await answeredBy(), 'b');
  });

  it('rejects an invalid edit, naming file, pointer and line, and keeps serving', async () => {
    writeFileSync(configFile(), configFor(a.url).replace('host: 127.0.0.1', 'host: 127.0.0.1\n  colour: blue'));
    const line = await hangUp();
    assert.deepEqual([line.trigger, line.outcome], ['SIGHUP', 'rejected']);
    assert.deepEqual(line.problems, [`${configFile()}:5: /listen/colour: unknown property "colour"`]);
    assert.equal(await answeredBy(), 'b');
  });

  it('reloads again after a rejection', async () => {
    writeFileSync(configFile(), configFor(a.url));
    const line = await hangUp();
    assert.deepEqual([line.trigger, line.outcome], ['SIGHUP', 'success']);
    assert.equal(await answeredBy(), 'a');
  });

  it('reloads an unchanged configuration as often as asked', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await hangUp()).outcome, 'success');
    assert.deepEqual(reloads().map((l) => l.outcome), ['success', 'rejected', 'success', 'success', 'success', 'success']);
  });
});
