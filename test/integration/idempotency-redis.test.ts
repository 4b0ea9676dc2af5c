/**
 * Idempotency-Key with the Redis store: a retry sent to another instance is replayed; a gateway
 * killed (SIGKILL) between forwarding and storing leaves its claim, so the retry on a new gateway
 * is refused as in flight and the upstream sees exactly one write; a Redis that goes away is
 * answered as each API's onStoreError says, logged and counted.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';
import { startOrderUpstream, type OrderUpstream } from '../support/order-upstream.js';
import { redisProblem, redisUrl, skipWithoutRedis, assertRedis, startPrivateRedis, type PrivateRedis } from '../support/redis.js';
import { freePort } from '../support/free-port.js';
import { startCli, waitForLine } from '../support/cli.js';

const ORDERS = join(import.meta.dirname, 'fixtures', 'idempotency', 'orders-1.0.0.yaml');
const problem = await redisProblem();
// Its own variable name, so the test shows idempotency.redis.urlEnv at work.
const URL_ENV = 'ACCORD_TEST_IDEMPOTENCY_REDIS_URL';

/** The gateway config of the tests: one `orders` API whose keys live in Redis under `keyPrefix`. */
function config(issuer: TestIssuer, upstreamUrl: string, keyPrefix: string, apis: Array<{ id: string; onStoreError?: 'refuse' | 'pass' }> = [{ id: 'orders' }]): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    identityProviders: [issuer.provider()],
    admin: { auth: { providers: ['test'] } },
    idempotency: { redis: { urlEnv: URL_ENV, keyPrefix, connectTimeoutMs: 2000, commandTimeoutMs: 2000 } },
    apis: apis.map((a) => ({
      id: a.id,
      basePath: `/${a.id}`,
      versions: [{ version: '1.0.0' }],
      upstream: { url: upstreamUrl },
      auth: { providers: ['test'] },
      idempotency: { store: 'redis', expirySeconds: 300, onStoreError: a.onStoreError ?? 'refuse' },
    })),
  };
}

function post(baseUrl: string, token: string, key: string, body: unknown, path = '/orders/v1/orders'): Promise<RawResponse> {
  return rawRequest(baseUrl, 'POST', path, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
}

describe('Idempotency-Key in Redis', { skip: skipWithoutRedis(problem) }, () => {
  let up: OrderUpstream;
  let issuer: TestIssuer;
  let token: string;
  const keyPrefix = `accord-test-idem-${process.pid}-${Date.now()}`;
  const gateways: TestGateway[] = [];

  before(async () => {
    assertRedis(problem);
    process.env[URL_ENV] = redisUrl();
    up = await startOrderUpstream();
    issuer = await createTestIssuer();
    token = await issuer.token({ client_id: 'acme', scope: 'orders:write' }, { expiresIn: '1h' });
    for (let i = 0; i < 2; i++) gateways.push(await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS }, config: config(issuer, up.url, keyPrefix) }));
  });
  after(async () => {
    for (const gw of gateways) await gw.stop();
    await up?.close();
    delete process.env[URL_ENV];
  });

  it('a retry sent to the other instance is replayed byte for byte; the upstream sees one write', async () => {
    const [a, b] = gateways as [TestGateway, TestGateway];
    const before = up.writes().length;
    const first = await post(a.url, token, '"two-instances"', { sku: 't-1', quantity: 1 });
    assert.equal(first.status, 201);
    const retry = await post(b.url, token, '"two-instances"', { sku: 't-1', quantity: 1 });
    assert.equal(retry.status, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.text, first.text);
    assert.deepEqual([retry.headers['x-order-seq'], retry.headers['set-cookie'], retry.headers['content-type']], [first.headers['x-order-seq'], first.headers['set-cookie'], first.headers['content-type']]);
    const mismatch = await post(b.url, token, '"two-instances"', { sku: 't-1', quantity: 9 });
    assert.equal(mismatch.json?.code, 'IDEMPOTENCY_KEY_MISMATCH');
    assert.equal(up.writes().length, before + 1);
  });

  it('a retry on the other instance while the first is in flight is 409', async () => {
    const [a, b] = gateways as [TestGateway, TestGateway];
    const held = up.nextHeld();
    const first = post(a.url, token, '"held-across"', { sku: 'slow', quantity: 1 });
    await held;
    const during = await post(b.url, token, '"held-across"', { sku: 'slow', quantity: 1 });
    assert.equal(during.status, 409);
    assert.equal(during.json?.code, 'IDEMPOTENCY_KEY_IN_FLIGHT');
    up.release();
    assert.equal((await first).status, 201);
    const after = await post(b.url, token, '"held-across"', { sku: 'slow', quantity: 1 });
    assert.equal(after.headers['idempotent-replayed'], 'true');
  });

  it('a gateway killed between forwarding and storing: the retry on a new gateway is 409, and the upstream saw exactly one write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-idem-crash-'));
    mkdirSync(join(dir, 'contracts', 'orders'), { recursive: true });
    copyFileSync(ORDERS, join(dir, 'contracts', 'orders', '1.0.0.yaml'));
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'gateway.yaml'), stringify({ version: 1, contractsDir: '../contracts', ...config(issuer, up.url, keyPrefix), admin: { enabled: false } }));
    const serve = startCli(['serve', '--config', join(dir, 'policies'), '--data-dir', join(dir, '.accord'), '--port', '0', '--no-watch'], { env: { [URL_ENV]: redisUrl() } });
    try {
      const url = (JSON.parse(await waitForLine(serve.lines, /"gateway listening"/)) as { url: string }).url;
      const key = '"crash-between-forward-and-store"';
      const held = up.nextHeld();
      const first = post(url, token, key, { sku: 'slow', quantity: 1 }).then(
        () => 'answered',
        () => 'connection lost',
      );
      // The upstream has the write; the gateway has not stored its outcome: kill it now.
      await held;
      serve.child.kill('SIGKILL');
      await once(serve.child, 'exit');
      assert.equal(serve.child.signalCode, 'SIGKILL');
      assert.equal(await first, 'connection lost');
      // The upstream finishes its write, to a gateway that is gone.
      up.release();
      const fresh = await startTestGateway({ contracts: { 'orders/1.0.0': ORDERS }, config: config(issuer, up.url, keyPrefix) });
      gateways.push(fresh);
      for (const gw of [fresh, gateways[0]!]) {
        const retry = await post(gw.url, token, key, { sku: 'slow', quantity: 1 });
        assert.equal(retry.status, 409);
        assert.equal(retry.json?.code, 'IDEMPOTENCY_KEY_IN_FLIGHT');
      }
      assert.equal(up.writes().filter((w) => w.headers['idempotency-key'] === key).length, 1, 'exactly one write reached the upstream');
    } finally {
      if (serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Idempotency-Key when its Redis goes away', { skip: skipWithoutRedis(problem) }, () => {
  let up: OrderUpstream;
  let issuer: TestIssuer;
  let token: string;
  let redis: PrivateRedis | undefined;
  let gw: TestGateway;

  before(async () => {
    assertRedis(problem);
    redis = await startPrivateRedis(await freePort());
    process.env[URL_ENV] = redis.url;
    up = await startOrderUpstream();
    issuer = await createTestIssuer();
    token = await issuer.token({ client_id: 'acme', scope: 'orders:write' }, { expiresIn: '1h' });
    gw = await startTestGateway({
      contracts: { 'strict/1.0.0': ORDERS, 'lenient/1.0.0': ORDERS },
      config: config(issuer, up.url, 'accord-test-outage', [
        { id: 'strict', onStoreError: 'refuse' },
        { id: 'lenient', onStoreError: 'pass' },
      ]),
    });
  });
  after(async () => {
    await gw?.stop();
    await up?.close();
    await redis?.stop();
    delete process.env[URL_ENV];
  });

  it('while Redis answers, both APIs protect their keys', async () => {
    for (const api of ['strict', 'lenient']) {
      const first = await post(gw.url, token, `"up-${api}"`, { sku: 'r-1', quantity: 1 }, `/${api}/v1/orders`);
      assert.equal(first.status, 201, api);
      const retry = await post(gw.url, token, `"up-${api}"`, { sku: 'r-1', quantity: 1 }, `/${api}/v1/orders`);
      assert.equal(retry.headers['idempotent-replayed'], 'true', api);
    }
  });

  const SCENARIOS = [
    { name: 'onStoreError refuse: 503 IDEMPOTENCY_STORE_UNAVAILABLE, nothing forwarded', api: 'strict', status: 503, code: 'IDEMPOTENCY_STORE_UNAVAILABLE', forwarded: 0 },
    { name: 'onStoreError pass: forwarded without protection', api: 'lenient', status: 201, code: undefined, forwarded: 1 },
  ] as const;
  for (const s of SCENARIOS) {
    it(`Redis down, ${s.name}`, async () => {
      await redis?.stop();
      redis = undefined;
      const before = up.writes().length;
      const r = await post(gw.url, token, `"down-${s.api}"`, { sku: 'd-1', quantity: 1 }, `/${s.api}/v1/orders`);
      assert.equal(r.status, s.status);
      assert.equal(r.json?.code, s.code);
      if (s.status === 503) assert.equal(r.headers['retry-after'], '1');
      assert.equal(up.writes().length, before + s.forwarded);
      assert.ok(gw.logs.some((l) => l.msg === 'idempotency store error on claim' && l.api === s.api && l.store === 'redis'), 'a log line names the API and the store');
    });
  }

  it('store errors and unprotected requests are counted', async () => {
    const metrics = await scrapeMetrics(gw, issuer);
    assert.match(metrics, /^accord_idempotency_store_errors_total\{store="redis",operation="claim"\} 2$/m);
    assert.match(metrics, /^accord_idempotency_requests_total\{api="lenient",outcome="unprotected"\} 1$/m);
  });
});
