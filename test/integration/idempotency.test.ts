/**
 * Idempotency-Key with the memory store: replay byte for byte, mismatch, in flight, missing and
 * malformed keys, per-consumer scope, expiry on an injected clock, keys given back after a 5xx,
 * a response too large to keep, and a refused request that claims nothing.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { rawRequest, type RawResponse } from '../support/raw-request.js';
import { startOrderUpstream, type OrderUpstream } from '../support/order-upstream.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'idempotency');
const ORDERS = join(FIXTURES, 'orders-1.0.0.yaml');
const START = Date.parse('2026-12-03T10:00:00Z');
const EXPIRY_SECONDS = 600;

describe('Idempotency-Key (memory store)', () => {
  let up: OrderUpstream;
  let issuer: TestIssuer;
  let gw: TestGateway;
  let clock = START;
  const tokens: Record<string, string> = {};

  before(async () => {
    up = await startOrderUpstream();
    issuer = await createTestIssuer();
    tokens.acme = await issuer.token({ client_id: 'acme', scope: 'orders:write' }, { expiresIn: '1h' });
    tokens.globex = await issuer.token({ client_id: 'globex', scope: 'orders:write' }, { expiresIn: '1h' });
    const api = (id: string, extra: Record<string, unknown>) => ({
      id,
      basePath: `/${id}`,
      versions: [{ version: '1.0.0' }],
      upstream: { url: up.url },
      auth: { providers: ['test'] },
      idempotency: { expirySeconds: EXPIRY_SECONDS, maxResponseBytes: 256 },
      ...extra,
    });
    gw = await startTestGateway({
      contracts: { 'orders/1.0.0': ORDERS, 'enforced/1.0.0': ORDERS, 'plain/1.0.0': ORDERS },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        admin: { auth: { providers: ['test'] } },
        apis: [
          api('orders', { responseValidation: 'report' }),
          // Buffered relay: the response is validated whole before it goes out.
          api('enforced', { responseValidation: 'enforce' }),
          // No apis[].idempotency: only the contract's x-accord-idempotency (PATCH) applies.
          { ...api('plain', {}), idempotency: undefined },
        ],
      },
      start: { now: () => clock },
    });
  });
  after(async () => {
    await gw?.stop();
    await up?.close();
  });

  const send = (method: string, path: string, options: { key?: string | string[]; body?: unknown; consumer?: string } = {}): Promise<RawResponse> => {
    const headers: Record<string, string | string[]> = { authorization: `Bearer ${tokens[options.consumer ?? 'acme']}`, 'content-type': 'application/json' };
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    return rawRequest(gw.url, method, path, { headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  };
  const writes = (): number => up.writes().length;
  /** The response fields a replay must repeat: status, the upstream's headers, the body. */
  const relayed = (r: RawResponse) => ({ status: r.status, type: r.headers['content-type'], seq: r.headers['x-order-seq'], cookies: r.headers['set-cookie'], length: r.headers['content-length'], body: r.text });

  for (const api of ['orders', 'enforced']) {
    it(`${api}: a retry with the same key, consumer and body is replayed byte for byte, with Idempotent-Replayed`, async () => {
      const before = writes();
      const first = await send('POST', `/${api}/v1/orders`, { key: `"replay-${api}"`, body: { sku: 'a-1', quantity: 2 } });
      assert.equal(first.status, 201);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const retry = await send('POST', `/${api}/v1/orders`, { key: `"replay-${api}"`, body: { sku: 'a-1', quantity: 2 } });
      assert.deepEqual(relayed(retry), relayed(first));
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.notEqual(retry.headers['x-request-id'], first.headers['x-request-id']);
      assert.equal(writes(), before + 1, 'the upstream received one write');
      // The upstream can dedupe too: it receives the key.
      assert.equal(up.writes().at(-1)!.headers['idempotency-key'], `"replay-${api}"`);
    });
  }

  it('a chunked answer is replayed with its own Content-Length, never the first exchange\'s Transfer-Encoding', async () => {
    const first = await send('POST', '/orders/v1/orders', { key: '"chunked"', body: { sku: 'chunked', quantity: 1 } });
    assert.equal(first.status, 201);
    assert.equal(first.headers['transfer-encoding'], 'chunked');
    const retry = await send('POST', '/orders/v1/orders', { key: '"chunked"', body: { sku: 'chunked', quantity: 1 } });
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.headers['transfer-encoding'], undefined);
    assert.equal(retry.headers['content-length'], String(Buffer.byteLength(first.text)));
    assert.equal(retry.text, first.text);
    assert.equal(retry.headers['x-order-seq'], first.headers['x-order-seq']);
  });

  it('the same key with another body is 422 IDEMPOTENCY_KEY_MISMATCH, and nothing is forwarded', async () => {
    await send('POST', '/orders/v1/orders', { key: '"mismatch"', body: { sku: 'm-1', quantity: 1 } });
    const before = writes();
    const cases = [
      { name: 'other body', method: 'POST', path: '/orders/v1/orders', body: { sku: 'm-1', quantity: 3 } },
      { name: 'same body, other operation', method: 'PATCH', path: '/orders/v1/orders/o-1', body: { sku: 'm-1', quantity: 1 } },
    ];
    for (const c of cases) {
      const r = await send(c.method, c.path, { key: '"mismatch"', body: c.body });
      assert.equal(r.status, 422, c.name);
      assert.equal(r.headers['content-type'], 'application/problem+json', c.name);
      assert.equal(r.json?.code, 'IDEMPOTENCY_KEY_MISMATCH', c.name);
      assert.equal(r.json?.type, 'https://accord.dev/problems/idempotency-key-mismatch', c.name);
    }
    assert.equal(writes(), before);
  });

  it('a retry while the first is in flight is 409 IDEMPOTENCY_KEY_IN_FLIGHT; once it completes, it is replayed', async () => {
    const held = up.nextHeld();
    const first = send('POST', '/orders/v1/orders', { key: '"in-flight"', body: { sku: 'slow', quantity: 1 } });
    await held;
    const before = writes();
    const during = await send('POST', '/orders/v1/orders', { key: '"in-flight"', body: { sku: 'slow', quantity: 1 } });
    assert.equal(during.status, 409);
    assert.equal(during.json?.code, 'IDEMPOTENCY_KEY_IN_FLIGHT');
    up.release();
    const done = await first;
    assert.equal(done.status, 201);
    const after = await send('POST', '/orders/v1/orders', { key: '"in-flight"', body: { sku: 'slow', quantity: 1 } });
    assert.equal(after.headers['idempotent-replayed'], 'true');
    assert.deepEqual(relayed(after), relayed(done));
    assert.equal(writes(), before);
  });

  it('keys are scoped per consumer: another consumer\'s same key is a new request', async () => {
    const a = await send('POST', '/orders/v1/orders', { key: '"shared-key"', body: { sku: 's-1', quantity: 1 }, consumer: 'acme' });
    const before = writes();
    const b = await send('POST', '/orders/v1/orders', { key: '"shared-key"', body: { sku: 's-1', quantity: 1 }, consumer: 'globex' });
    assert.equal(b.status, 201);
    assert.equal(b.headers['idempotent-replayed'], undefined);
    assert.notEqual(b.headers['x-order-seq'], a.headers['x-order-seq']);
    assert.equal(writes(), before + 1);
  });

  it('a key expires after expirySeconds (injected clock): the same key then starts a new request', async () => {
    const first = await send('POST', '/orders/v1/orders', { key: '"expiring"', body: { sku: 'e-1', quantity: 1 } });
    clock += (EXPIRY_SECONDS - 1) * 1000;
    const within = await send('POST', '/orders/v1/orders', { key: '"expiring"', body: { sku: 'e-1', quantity: 1 } });
    assert.equal(within.headers['idempotent-replayed'], 'true');
    assert.equal(within.headers['x-order-seq'], first.headers['x-order-seq']);
    clock += 2000;
    const before = writes();
    const after = await send('POST', '/orders/v1/orders', { key: '"expiring"', body: { sku: 'e-1', quantity: 1 } });
    assert.equal(after.status, 201);
    assert.equal(after.headers['idempotent-replayed'], undefined);
    assert.equal(writes(), before + 1);
  });

  it('a 5xx is not stored: the key is released and the retry reaches the upstream, whose answer is then kept', async () => {
    const before = writes();
    const failed = await send('POST', '/orders/v1/orders', { key: '"fails-once"', body: { sku: 'fail-once', quantity: 1 } });
    assert.equal(failed.status, 503);
    const retry = await send('POST', '/orders/v1/orders', { key: '"fails-once"', body: { sku: 'fail-once', quantity: 1 } });
    assert.equal(retry.status, 201);
    const again = await send('POST', '/orders/v1/orders', { key: '"fails-once"', body: { sku: 'fail-once', quantity: 1 } });
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(writes(), before + 2);
  });

  it('a response larger than maxResponseBytes is relayed whole; a retry is 409 IDEMPOTENCY_KEY_COMPLETED', async () => {
    const before = writes();
    const first = await send('POST', '/orders/v1/orders', { key: '"too-big"', body: { sku: 'big', quantity: 1 } });
    assert.equal(first.status, 201);
    assert.ok(first.text.length > 600);
    assert.equal((JSON.parse(first.text) as { padding: string }).padding.length, 600);
    const retry = await send('POST', '/orders/v1/orders', { key: '"too-big"', body: { sku: 'big', quantity: 1 } });
    assert.equal(retry.status, 409);
    assert.equal(retry.json?.code, 'IDEMPOTENCY_KEY_COMPLETED');
    assert.match(String(retry.json?.detail), /completed with status 201/);
    assert.equal(writes(), before + 1);
  });

  it('an answer refused in enforce mode (502 RESPONSE_INVALID) took effect upstream: a retry is 409 IDEMPOTENCY_KEY_COMPLETED', async () => {
    const before = writes();
    const first = await send('POST', '/enforced/v1/orders', { key: '"off-contract"', body: { sku: 'off-contract', quantity: 1 } });
    assert.equal(first.status, 502);
    assert.equal(first.json?.code, 'RESPONSE_INVALID');
    const retry = await send('POST', '/enforced/v1/orders', { key: '"off-contract"', body: { sku: 'off-contract', quantity: 1 } });
    assert.equal(retry.status, 409);
    assert.equal(retry.json?.code, 'IDEMPOTENCY_KEY_COMPLETED');
    assert.equal(writes(), before + 1);
  });

  it('a body refused by request validation claims no key: the corrected request with the same key goes through', async () => {
    const refused = await send('POST', '/orders/v1/orders', { key: '"fix-me"', body: { sku: 'v-1', quantity: 0 } });
    assert.equal(refused.status, 400);
    assert.equal(refused.json?.code, 'REQUEST_INVALID');
    const before = writes();
    const fixed = await send('POST', '/orders/v1/orders', { key: '"fix-me"', body: { sku: 'v-1', quantity: 1 } });
    assert.equal(fixed.status, 201);
    assert.equal(writes(), before + 1);
  });

  const MISSING_AND_INVALID = [
    { name: 'required by the contract (PATCH), none sent', method: 'PATCH', path: '/orders/v1/orders/o-2', key: undefined, status: 400, code: 'IDEMPOTENCY_KEY_MISSING' },
    { name: 'required, on an API without apis[].idempotency', method: 'PATCH', path: '/plain/v1/orders/o-2', key: undefined, status: 400, code: 'IDEMPOTENCY_KEY_MISSING' },
    { name: 'a token, not a string', method: 'POST', path: '/orders/v1/orders', key: 'abc', status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
    { name: 'an empty string', method: 'POST', path: '/orders/v1/orders', key: '""', status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
    { name: 'an unescaped quote inside', method: 'POST', path: '/orders/v1/orders', key: '"a"b"', status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
    { name: 'a bad escape', method: 'POST', path: '/orders/v1/orders', key: '"a\\nb"', status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
    { name: 'longer than maxKeyLength (255)', method: 'POST', path: '/orders/v1/orders', key: `"${'k'.repeat(256)}"`, status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
    { name: 'two header lines', method: 'POST', path: '/orders/v1/orders', key: ['"one"', '"two"'], status: 400, code: 'IDEMPOTENCY_KEY_INVALID' },
  ] as const;
  for (const c of MISSING_AND_INVALID) {
    it(`refused before forwarding: ${c.name} -> ${c.status} ${c.code}`, async () => {
      const before = writes();
      const r = await send(c.method, c.path, { key: c.key as string | string[] | undefined, body: { sku: 'k-1', quantity: 1 } });
      assert.equal(r.status, c.status);
      assert.equal(r.json?.code, c.code);
      assert.equal(writes(), before);
    });
  }

  it('keys at the limits are accepted: 255 characters, escapes undone', async () => {
    for (const key of [`"${'k'.repeat(255)}"`, '"with \\"quotes\\" and \\\\"']) {
      const first = await send('POST', '/orders/v1/orders', { key, body: { sku: 'l-1', quantity: 1 } });
      assert.equal(first.status, 201, key);
      const retry = await send('POST', '/orders/v1/orders', { key, body: { sku: 'l-1', quantity: 1 } });
      assert.equal(retry.headers['idempotent-replayed'], 'true', key);
    }
  });

  const UNPROTECTED = [
    { name: 'POST without a key where it is optional', path: '/orders/v1/orders', key: undefined },
    { name: 'POST on an API without apis[].idempotency (no step)', path: '/plain/v1/orders', key: '"ignored"' },
    { name: 'POST whose contract sets enabled: false', path: '/orders/v1/notes', key: '"ignored"' },
  ];
  for (const c of UNPROTECTED) {
    it(`not protected: ${c.name} — each send reaches the upstream`, async () => {
      const before = writes();
      for (let i = 0; i < 2; i++) {
        const r = await send('POST', c.path, { key: c.key, body: { sku: 'u-1', quantity: 1 } });
        assert.equal(r.status, 201);
        assert.equal(r.headers['idempotent-replayed'], undefined);
      }
      assert.equal(writes(), before + 2);
    });
  }

  it('the policy is on the protected operations only', () => {
    const orders = gw.running.gateway.current()!.served.find((s) => s.apiId === 'orders')!;
    const plain = gw.running.gateway.current()!.served.find((s) => s.apiId === 'plain')!;
    const policiesOf = (served: typeof orders, method: string, path: string[]) => served.operations.match(method, path, path, 0).route?.policies ?? [];
    assert.ok(policiesOf(orders, 'POST', ['orders']).includes('idempotency'));
    assert.ok(!policiesOf(orders, 'GET', ['orders', 'o-1']).includes('idempotency'));
    assert.ok(!policiesOf(orders, 'POST', ['notes']).includes('idempotency'));
    assert.ok(!policiesOf(plain, 'POST', ['orders']).includes('idempotency'));
    assert.ok(policiesOf(plain, 'PATCH', ['orders', 'o-1']).includes('idempotency'));
  });

  it('outcomes are counted by accord_idempotency_requests_total', async () => {
    const metrics = await scrapeMetrics(gw, issuer);
    const count = (outcome: string) => Number(new RegExp(`^accord_idempotency_requests_total\\{api="orders",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    assert.ok(count('replayed') >= 5, `replayed ${count('replayed')}`);
    assert.equal(count('mismatch'), 2);
    assert.equal(count('in-flight'), 1);
    assert.equal(count('completed'), 1);
    assert.equal(count('unreplayable'), 1);
    assert.equal(count('missing'), 1);
    assert.equal(count('invalid'), 6);
    assert.equal(count('released'), 1);
  });
});

describe('x-accord-idempotency is checked at load', () => {
  const CASES = [
    { name: 'on a GET operation', file: 'get-extension-1.0.0.yaml', pointer: '#/paths/~1orders~1{orderId}/get/x-accord-idempotency', line: 37, message: /honoured on POST and PATCH operations only, not GET/ },
    { name: 'a value of the wrong type', file: 'bad-extension-1.0.0.yaml', pointer: '#/paths/~1orders~1{orderId}/patch/x-accord-idempotency/required', line: 46, message: /must be boolean/ },
  ];
  for (const c of CASES) {
    it(`refuses ${c.name}, naming file, pointer and line`, async () => {
      const issuer = await createTestIssuer();
      await assert.rejects(
        startTestGateway({
          contracts: { 'orders/1.0.0': join(FIXTURES, c.file) },
          config: {
            listen: { host: '127.0.0.1', port: 0 },
            admin: { enabled: false },
            identityProviders: [issuer.provider()],
            apis: [{ id: 'orders', basePath: '/orders', versions: [{ version: '1.0.0' }], upstream: { url: 'http://127.0.0.1:9' }, auth: { providers: ['test'] } }],
          },
        }),
        (error: Error & { describe?: () => string }) => {
          const text = error.describe?.() ?? error.message;
          assert.ok(text.includes(`orders/1.0.0.yaml:${c.line} (${c.pointer})`), text);
          assert.match(text, c.message);
          return true;
        },
      );
    });
  }
});
