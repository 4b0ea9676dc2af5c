/**
 * Hot reload of the configuration: edits in place and editor-style rename-saves are picked up,
 * a rejected edit leaves the old configuration serving and does not stop later reloads, every
 * attempt is logged and counted, and a request in flight during a swap finishes on the old table.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { stringify } from 'yaml';
import { startUpstream, json, type TestUpstream } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway } from '../support/test-gateway.js';
import { rawRequest } from '../support/raw-request.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');

/** A key the configurations trust (no token is ever signed: only the public operation is called). */
const issuer = await createTestIssuer();

/** A configuration serving the public operation of the shop contract from `upstream`. */
function configFor(upstream: string): Record<string, unknown> {
  return {
    version: 1,
    contractsDir: '../contracts',
    listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 5000 },
    identityProviders: [issuer.provider()],
    admin: { auth: { providers: ['test'] } },
    apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream }], auth: { providers: ['test'] } }],
  };
}

/** Which upstream answered: the `status` member each test upstream puts in its body. */
async function answeredBy(gw: TestGateway): Promise<string> {
  const res = await rawRequest(gw.url, 'GET', '/shop/v1/public/status');
  assert.equal(res.status, 200, res.text);
  return String(res.json?.status);
}

/** Reload log lines so far, by outcome. */
function reloadOutcomes(gw: TestGateway): string[] {
  return gw.logs.filter((l) => l.outcome === 'success' || l.outcome === 'rejected').map((l) => String(l.outcome));
}

/** Waits (bounded) until `count` reload attempts were logged, and returns their outcomes. */
async function waitForReloads(gw: TestGateway, count: number): Promise<string[]> {
  for (let i = 0; i < 200 && reloadOutcomes(gw).length < count; i++) await new Promise((r) => setTimeout(r, 50));
  return reloadOutcomes(gw);
}

describe('configuration hot reload', () => {
  let a: TestUpstream;
  let b: TestUpstream;
  let gw: TestGateway;
  let configFile: string;

  before(async () => {
    a = await startUpstream(json(200, { status: 'a' }));
    b = await startUpstream(json(200, { status: 'b' }));
    const { version: _v, contractsDir: _c, ...config } = configFor(a.url);
    gw = await startTestGateway({ contracts: { 'shop/1.0.0': SHOP_V1 }, config, start: { watch: true, watchDebounceMs: 100 } });
    configFile = join(gw.dir, 'policies', 'gateway.yaml');
  });
  after(async () => {
    await gw?.stop();
    await a?.close();
    await b?.close();
  });

  it('serves the configuration it started with', async () => {
    assert.equal(await answeredBy(gw), 'a');
  });

  it('a valid edit in place is reloaded', async () => {
    writeFileSync(configFile, stringify(configFor(b.url)));
    assert.deepEqual(await waitForReloads(gw, 1), ['success']);
    assert.equal(await answeredBy(gw), 'b');
  });

  it('an invalid edit is rejected, logged with file, pointer and line, and the previous configuration keeps serving', async () => {
    writeFileSync(configFile, stringify(configFor(a.url)).replace('port: 0', 'port: high'));
    assert.deepEqual(await waitForReloads(gw, 2), ['success', 'rejected']);
    const rejected = gw.logs.find((l) => l.outcome === 'rejected');
    assert.deepEqual(rejected?.problems, [`${configFile}:5: /listen/port: must be integer`]);
    assert.equal(rejected?.trigger, 'file-change');
    assert.equal(await answeredBy(gw), 'b');
  });

  it('a valid edit after a rejected one is reloaded', async () => {
    writeFileSync(configFile, stringify(configFor(a.url)));
    assert.deepEqual(await waitForReloads(gw, 3), ['success', 'rejected', 'success']);
    assert.equal(await answeredBy(gw), 'a');
  });

  it('an editor-style save (write a temporary file, rename it over the original) is reloaded, again and again', async () => {
    for (const [i, upstream] of [b, a, b].entries()) {
      const temporary = join(gw.dir, 'policies', `gateway.yaml.${i}.partial`);
      writeFileSync(temporary, stringify(configFor(upstream.url)));
      renameSync(temporary, configFile);
      assert.equal((await waitForReloads(gw, 4 + i)).length, 4 + i);
      assert.equal(await answeredBy(gw), upstream === a ? 'a' : 'b');
    }
    assert.deepEqual(reloadOutcomes(gw), ['success', 'rejected', 'success', 'success', 'success', 'success']);
  });

  it('an in-place edit of a file an editor replaced before is still seen', async () => {
    // Node 20's recursive fs.watch stops reporting a file once it was replaced by a rename.
    writeFileSync(configFile, stringify(configFor(a.url)));
    assert.equal((await waitForReloads(gw, 7)).at(-1), 'success');
    assert.equal(await answeredBy(gw), 'a');
    writeFileSync(configFile, stringify(configFor(b.url)));
    assert.equal((await waitForReloads(gw, 8)).at(-1), 'success');
    assert.equal(await answeredBy(gw), 'b');
  });

  it('a contract replaced by a rename-save is reloaded too', async () => {
    const contract = join(gw.dir, 'contracts', 'shop', '1.0.0.yaml');
    const temporary = `${contract}.partial`;
    writeFileSync(temporary, readFileSync(contract, 'utf8').replace('/public/status:', '/public/health:'));
    renameSync(temporary, contract);
    assert.equal((await waitForReloads(gw, 9)).at(-1), 'success');
    assert.equal((await rawRequest(gw.url, 'GET', '/shop/v1/public/status')).status, 404);
    assert.equal((await rawRequest(gw.url, 'GET', '/shop/v1/public/health')).json?.status, 'b');
  });

  it('counts every attempt in accord_config_reloads_total and stamps the last success', async () => {
    const metrics = await scrapeMetrics(gw, issuer);
    assert.match(metrics, /^accord_config_reloads_total\{outcome="success"\} 8$/m);
    assert.match(metrics, /^accord_config_reloads_total\{outcome="rejected"\} 1$/m);
    const stamp = /^accord_config_last_reload_success_timestamp_seconds (\S+)$/m.exec(metrics);
    const lastSuccess = gw.logs.filter((l) => l.outcome === 'success').at(-1);
    assert.ok(stamp && lastSuccess, metrics);
    // The gauge is set just before the success line is logged, both from the same clock.
    assert.ok(Number(stamp[1]) * 1000 <= Number(lastSuccess.time), `${stamp[1]} vs ${String(lastSuccess.time)}`);
  });

  it('a request held by a slow upstream during a swap completes on the old table', async () => {
    const contract = join(gw.dir, 'contracts', 'shop', '1.0.0.yaml');
    writeFileSync(contract, readFileSync(SHOP_V1, 'utf8'));
    await waitForReloads(gw, 10);
    const held: ServerResponse[] = [];
    b.respond((_req, res) => void held.push(res));
    const before = b.received.length;
    const inFlight = rawRequest(gw.url, 'GET', '/shop/v1/public/status');
    for (let i = 0; i < 200 && b.received.length === before; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(held.length, 1, 'the slow upstream holds the request');

    writeFileSync(configFile, stringify(configFor(a.url)));
    assert.equal((await waitForReloads(gw, 11)).at(-1), 'success');
    assert.equal(await answeredBy(gw), 'a', 'new requests use the new table');

    json(200, { status: 'b, held across the swap' })({ method: 'GET', url: '/', headers: {}, rawHeaders: [], body: Buffer.alloc(0) }, held[0]!);
    const finished = await inFlight;
    assert.equal(finished.status, 200, finished.text);
    assert.equal(finished.json?.status, 'b, held across the swap');
  });
});
