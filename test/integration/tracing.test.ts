/**
 * OpenTelemetry tracing end to end: a real gateway in front of real loopback upstreams, spans
 * read from the SDK's in-memory exporter, and an OTLP/HTTP receiver started here that the
 * gateway, configured only by OTEL_* variables, exports to.
 */
import { describe, it, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ExportResult } from '@opentelemetry/core';
import { startUpstream, json, type TestUpstream, type UpstreamBehaviour } from '../support/upstream.js';
import { startTestGateway, createTestIssuer, scrapeMetrics, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { GatewayTracing } from '../../src/observability/tracing.js';
import { contextOf } from '../../src/gateway/pipeline/request-context.js';

const SHOP_V1 = join(import.meta.dirname, 'fixtures', 'gateway', 'shop-1.0.0.yaml');
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const ITEM = { id: 'abc', name: 'A', price: 3 };

/** An in-memory exporter that can be awaited until the spans a test expects have ended. */
class AwaitableExporter extends InMemorySpanExporter {
  private waiters: Array<() => void> = [];

  override export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    super.export(spans, resultCallback);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The spans of `traceId` once its SERVER span has ended (it ends last: on the response's close). */
  async trace(traceId: string): Promise<ReadableSpan[]> {
    const ofTrace = (): ReadableSpan[] => this.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    while (!ofTrace().some((s) => s.kind === SpanKind.SERVER)) await new Promise<void>((wake) => this.waiters.push(wake));
    return ofTrace();
  }
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

function only(spans: ReadableSpan[], kind: SpanKind): ReadableSpan {
  const found = spans.filter((s) => s.kind === kind);
  assert.equal(found.length, 1, `one span of kind ${SpanKind[kind]}, got ${found.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

/** An upstream that answers each request with the next behaviour of a list (the last one repeats). */
function sequence(...behaviours: UpstreamBehaviour[]): UpstreamBehaviour {
  let i = 0;
  return (req, res) => behaviours[Math.min(i++, behaviours.length - 1)]!(req, res);
}

describe('tracing with the in-memory exporter', () => {
  let issuer: TestIssuer;
  let shop: TestUpstream;
  let flaky: TestUpstream;
  let gw: TestGateway;
  let exporter: AwaitableExporter;
  let tracing: GatewayTracing;
  let read: string;

  before(async () => {
    issuer = await createTestIssuer();
    shop = await startUpstream(json(200, { items: [ITEM] }));
    flaky = await startUpstream();
    exporter = new AwaitableExporter();
    tracing = new GatewayTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1, 'flaky/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
        identityProviders: [issuer.provider()],
        apis: [
          { id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: shop.url }], auth: { providers: ['test'] }, responseValidation: 'off' },
          {
            id: 'flaky',
            basePath: '/flaky',
            versions: [{ version: '1.0.0', upstream: flaky.url }],
            upstream: { retries: { attempts: 1, on: ['gateway-error'], backoffBaseMs: 1, backoffMaxMs: 2, budget: { minRetriesPerSecond: 100 } } },
            auth: { providers: ['test'] },
            responseValidation: 'off',
            rateLimit: { points: 1000, windowSeconds: 60 },
          },
        ],
      },
      start: { tracing },
    });
    read = await issuer.token({ scope: 'items:read' });
  });
  after(async () => {
    await gw.stop();
    await tracing.shutdown();
    await shop.close();
    await flaky.close();
  });
  beforeEach(() => exporter.reset());

  it('a caller\'s traceparent: SERVER child of the caller, CLIENT child of SERVER, the upstream\'s parent-id is the CLIENT span, tracestate passed on', async () => {
    const res = await fetch(`${gw.url}/shop/v1/items?limit=5`, {
      headers: { authorization: `Bearer ${read}`, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'vendor=opaque,other=v2', 'user-agent': 'tracing-test/1' },
    });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const spans = await exporter.trace(CALLER_TRACE);
    const server = only(spans, SpanKind.SERVER);
    const client = only(spans, SpanKind.CLIENT);
    assert.equal(parentOf(server), CALLER_SPAN);
    assert.equal(server.parentSpanContext?.isRemote, true);
    assert.equal(parentOf(client), server.spanContext().spanId);
    assert.equal(server.name, 'GET /shop/v1/items');
    assert.deepEqual(server.attributes, {
      'http.request.method': 'GET',
      'url.path': '/shop/v1/items',
      'url.scheme': 'http',
      'client.address': '127.0.0.1',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(gw.url).port),
      'user_agent.original': 'tracing-test/1',
      'http.response.status_code': 200,
      'http.route': '/shop/v1/items',
      'accord.api': 'shop',
      'accord.version': '1.0.0',
      'accord.operation_id': 'listItems',
      'accord.consumer': 'test/acme',
    });
    assert.equal(server.status.code, SpanStatusCode.UNSET);
    assert.equal(client.name, 'GET');
    assert.deepEqual(client.attributes, {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': shop.port,
      'url.full': `${shop.url}/items?limit=5`,
      'accord.upstream.target': shop.url,
      'http.response.status_code': 200,
    });
    const received = shop.received.at(-1)!;
    assert.equal(received.headers.traceparent, `00-${CALLER_TRACE}-${client.spanContext().spanId}-01`);
    assert.equal(received.headers.tracestate, 'vendor=opaque,other=v2');
    // The token was new: verifying it waited, so the auth step has its span (a child of SERVER).
    const phases = spans.filter((s) => s.kind === SpanKind.INTERNAL);
    assert.deepEqual(phases.map((s) => [s.name, parentOf(s), s.attributes['accord.phase']]), [['auth', server.spanContext().spanId, 'auth']]);
  });

  it('a step that decides without waiting (a cached token) gets no span', async () => {
    const trace = '1af7651916cd43dd8448eb211c80319c';
    const res = await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${read}`, traceparent: `00-${trace}-${CALLER_SPAN}-01` } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const spans = await exporter.trace(trace);
    assert.deepEqual(spans.map((s) => SpanKind[s.kind]).sort(), ['CLIENT', 'SERVER']);
  });

  it('the request body read by request validation is a phase span', async () => {
    const trace = '2af7651916cd43dd8448eb211c80319c';
    const write = await issuer.token({ scope: 'items:read items:write', client_id: 'writer' });
    // Verify the token once first, so that only the body read waits in the traced request.
    await (await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${write}` } })).arrayBuffer();
    shop.respond(json(201, ITEM));
    try {
      const res = await fetch(`${gw.url}/shop/v1/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${write}`, 'content-type': 'application/json', traceparent: `00-${trace}-${CALLER_SPAN}-01` },
        body: JSON.stringify({ name: 'B', price: 4 }),
      });
      assert.equal(res.status, 201);
      await res.arrayBuffer();
    } finally {
      shop.respond(json(200, { items: [ITEM] }));
    }
    const spans = await exporter.trace(trace);
    const server = only(spans, SpanKind.SERVER);
    assert.equal(server.name, 'POST /shop/v1/items');
    assert.equal(server.attributes['accord.operation_id'], 'createItem');
    assert.equal(server.attributes['accord.consumer'], 'test/writer');
    const phases = spans.filter((s) => s.kind === SpanKind.INTERNAL).map((s) => [s.name, parentOf(s)]);
    assert.deepEqual(phases, [['request-validation', server.spanContext().spanId]]);
  });

  it('a rejected request (401): status and error code on the SERVER span, no CLIENT span, nothing upstream', async () => {
    const trace = '3af7651916cd43dd8448eb211c80319c';
    const before = shop.received.length;
    const res = await fetch(`${gw.url}/shop/v1/items`, { headers: { traceparent: `00-${trace}-${CALLER_SPAN}-01` } });
    assert.equal(res.status, 401);
    await res.arrayBuffer();
    const spans = await exporter.trace(trace);
    assert.deepEqual(spans.map((s) => SpanKind[s.kind]), ['SERVER']);
    const server = spans[0]!;
    assert.equal(server.attributes['http.response.status_code'], 401);
    assert.equal(server.attributes['accord.error_code'], 'AUTH_TOKEN_MISSING');
    assert.equal(server.attributes['error.type'], undefined);
    assert.equal(server.status.code, SpanStatusCode.UNSET);
    assert.equal(shop.received.length, before);
  });

  it('a retried attempt: two CLIENT spans under one SERVER span, the second with its resend count, each named in its upstream request', async () => {
    const trace = '4af7651916cd43dd8448eb211c80319c';
    flaky.respond(sequence(json(503, { down: true }), json(200, { items: [] })));
    const res = await fetch(`${gw.url}/flaky/v1/items`, { headers: { authorization: `Bearer ${read}`, traceparent: `00-${trace}-${CALLER_SPAN}-01` } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const spans = await exporter.trace(trace);
    const server = only(spans, SpanKind.SERVER);
    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT).sort((a, b) => (a.attributes['http.request.resend_count'] ?? 0) > (b.attributes['http.request.resend_count'] ?? 0) ? 1 : -1);
    assert.equal(clients.length, 2);
    assert.ok(clients.every((c) => parentOf(c) === server.spanContext().spanId));
    assert.deepEqual(clients.map((c) => [c.attributes['http.response.status_code'], c.attributes['http.request.resend_count'], c.attributes['error.type'], c.status.code]), [
      [503, undefined, '503', SpanStatusCode.ERROR],
      [200, 1, undefined, SpanStatusCode.UNSET],
    ]);
    assert.deepEqual(flaky.received.slice(-2).map((r) => r.headers.traceparent), clients.map((c) => `00-${trace}-${c.spanContext().spanId}-01`));
    assert.equal(server.attributes['http.response.status_code'], 200);
    // The limiter answers through a promise, so its step is a phase span.
    const limiter = spans.filter((s) => s.kind === SpanKind.INTERNAL && s.name === 'rate-limit');
    assert.equal(limiter.length, 1);
    assert.equal(parentOf(limiter[0]!), server.spanContext().spanId);
  });

  it('an upstream that resets the connection (not a retried condition here): error.type on both spans, the SERVER span an error', async () => {
    const trace = '5af7651916cd43dd8448eb211c80319c';
    flaky.respond((_req, res) => res.socket?.destroy());
    const res = await fetch(`${gw.url}/flaky/v1/items`, { headers: { authorization: `Bearer ${read}`, traceparent: `00-${trace}-${CALLER_SPAN}-01` } });
    assert.equal(res.status, 502);
    await res.arrayBuffer();
    const spans = await exporter.trace(trace);
    const server = only(spans, SpanKind.SERVER);
    assert.equal(server.attributes['error.type'], 'UPSTREAM_UNAVAILABLE');
    assert.equal(server.attributes['accord.error_code'], 'UPSTREAM_UNAVAILABLE');
    assert.equal(server.status.code, SpanStatusCode.ERROR);
    const clients = spans.filter((s) => s.kind === SpanKind.CLIENT);
    assert.deepEqual(clients.map((c) => [parentOf(c), c.attributes['error.type'], c.attributes['http.response.status_code'], c.status.code]), [[server.spanContext().spanId, 'reset', undefined, SpanStatusCode.ERROR]]);
  });

  const contexts: Array<{ name: string; headers: Record<string, string>; expect: (upstream: http.IncomingHttpHeaders, spans: ReadableSpan[] | undefined) => void }> = [
    {
      name: 'no traceparent: a new trace whose root is the SERVER span',
      headers: {},
      expect: (upstream, spans) => {
        const server = only(spans!, SpanKind.SERVER);
        assert.equal(server.parentSpanContext, undefined);
        assert.equal(upstream.traceparent, `00-${server.spanContext().traceId}-${only(spans!, SpanKind.CLIENT).spanContext().spanId}-01`);
        assert.equal(upstream.tracestate, undefined);
      },
    },
    {
      name: 'a malformed tracestate is not passed on; the traceparent still is',
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'not a tracestate at all' },
      expect: (upstream, spans) => {
        assert.equal(upstream.tracestate, undefined);
        assert.equal(upstream.traceparent, `00-${CALLER_TRACE}-${only(spans!, SpanKind.CLIENT).spanContext().spanId}-01`);
      },
    },
    {
      name: 'a caller that did not sample: nothing recorded, the upstream keeps the trace id and the unsampled flag',
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-00` },
      expect: (upstream, spans) => {
        assert.equal(spans, undefined);
        assert.match(String(upstream.traceparent), new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-00$`));
        assert.notEqual(String(upstream.traceparent).split('-')[2], CALLER_SPAN);
      },
    },
    {
      name: 'an all-zero trace id is refused: a new trace starts',
      headers: { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01` },
      expect: (upstream, spans) => {
        const server = only(spans!, SpanKind.SERVER);
        assert.equal(server.parentSpanContext, undefined);
        assert.notEqual(server.spanContext().traceId, '0'.repeat(32));
        assert.equal(String(upstream.traceparent).split('-')[1], server.spanContext().traceId);
      },
    },
  ];
  for (const scenario of contexts) {
    it(`trace context: ${scenario.name}`, async () => {
      const res = await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${read}`, ...scenario.headers } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const upstream = shop.received.at(-1)!.headers;
      const traceId = String(upstream.traceparent).split('-')[1]!;
      const sampled = String(upstream.traceparent).endsWith('-01');
      scenario.expect(upstream, sampled ? await exporter.trace(traceId) : undefined);
      if (!sampled) {
        // Settle: a later sampled request's spans arrive, and none of this trace among them.
        const probe = '6af7651916cd43dd8448eb211c80319c';
        await (await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${read}`, traceparent: `00-${probe}-${CALLER_SPAN}-01` } })).arrayBuffer();
        await exporter.trace(probe);
        assert.deepEqual(exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId), []);
      }
    });
  }
});

/** An OTLP/HTTP receiver on loopback: decodes each JSON export, or refuses them all with a status. */
async function startReceiver(refuseWith?: number): Promise<{ url: string; exports: Array<{ path: string; headers: http.IncomingHttpHeaders; body: OtlpExport }>; close(): Promise<void> }> {
  const exports: Array<{ path: string; headers: http.IncomingHttpHeaders; body: OtlpExport }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (refuseWith) {
        res.writeHead(refuseWith, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      exports.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface OtlpKeyValue { key: string; value: { stringValue?: string; intValue?: number | string } }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: OtlpKeyValue[] }
interface OtlpExport { resourceSpans: Array<{ resource: { attributes: OtlpKeyValue[] }; scopeSpans: Array<{ scope: { name: string }; spans: OtlpSpan[] }> }> }

function attribute(list: OtlpKeyValue[], key: string): string | number | undefined {
  const found = list.find((a) => a.key === key)?.value;
  return found?.stringValue ?? (found?.intValue !== undefined ? Number(found.intValue) : undefined);
}

describe('tracing configured by OTEL_* variables, exported over OTLP/HTTP', () => {
  let issuer: TestIssuer;
  let shop: TestUpstream;

  before(async () => {
    issuer = await createTestIssuer();
    shop = await startUpstream(json(200, { items: [ITEM] }));
  });
  after(async () => {
    await shop.close();
  });

  function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
      identityProviders: [issuer.provider()],
      admin: { auth: { providers: ['test'] } },
      apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: shop.url }], auth: { providers: ['test'] }, responseValidation: 'off' }],
      ...extra,
    };
  }

  it('spans arrive at the receiver with the resource, headers and parent-child structure; stop() flushes them', async () => {
    const receiver = await startReceiver();
    try {
      const gw = await startTestGateway({
        contracts: { 'shop/1.0.0': SHOP_V1 },
        config: config(),
        start: {
          env: {
            OTEL_TRACES_EXPORTER: 'otlp',
            OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/collector/`,
            OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cret,x-tenant=acme',
            OTEL_SERVICE_NAME: 'edge-gateway',
            OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,service.name=ignored',
            OTEL_TRACES_SAMPLER: 'always_on',
          },
        },
      });
      assert.ok(gw.running.tracing);
      assert.deepEqual(gw.logs.filter((l) => l.msg === 'tracing enabled').map((l) => [l.exporter, l.endpoint, l.sampler, l.service]), [['otlp', `${receiver.url}/collector/v1/traces`, 'always_on', 'edge-gateway']]);
      const token = await issuer.token({ scope: 'items:read' });
      const res = await fetch(`${gw.url}/shop/v1/items/abc`, { headers: { authorization: `Bearer ${token}`, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      // The batch processor would wait up to 5 s: stop() (the SIGTERM drain) must flush it.
      await gw.stop();
      assert.ok(receiver.exports.length >= 1);
      assert.ok(receiver.exports.every((e) => e.path === '/collector/v1/traces' && e.headers['content-type'] === 'application/json' && e.headers.authorization === 'Bearer s3cret' && e.headers['x-tenant'] === 'acme'));
      const resourceSpans = receiver.exports.flatMap((e) => e.body.resourceSpans);
      assert.ok(resourceSpans.every((r) => attribute(r.resource.attributes, 'service.name') === 'edge-gateway' && attribute(r.resource.attributes, 'deployment.environment.name') === 'test'));
      const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      assert.ok(resourceSpans.every((r) => r.scopeSpans.every((s) => s.scope.name === 'accord-gateway')));
      // OTLP span kinds: 2 SERVER, 3 CLIENT, 1 INTERNAL.
      const server = spans.find((s) => s.kind === 2)!;
      const client = spans.find((s) => s.kind === 3)!;
      assert.equal(server.traceId, CALLER_TRACE);
      assert.equal(server.parentSpanId, CALLER_SPAN);
      assert.equal(server.name, 'GET /shop/v1/items/{itemId}');
      assert.equal(attribute(server.attributes, 'http.route'), '/shop/v1/items/{itemId}');
      assert.equal(attribute(server.attributes, 'http.response.status_code'), 200);
      assert.equal(client.parentSpanId, server.spanId);
      assert.equal(attribute(client.attributes, 'url.full'), `${shop.url}/items/abc`);
      assert.equal(shop.received.at(-1)!.headers.traceparent, `00-${CALLER_TRACE}-${client.spanId}-01`);
      assert.deepEqual(spans.filter((s) => s.kind === 1).map((s) => [s.name, s.parentSpanId]), [['auth', server.spanId]]);
    } finally {
      await receiver.close();
    }
  });

  it('a refused export is counted and logged; requests are served as before', async () => {
    const receiver = await startReceiver(400);
    try {
      const gw = await startTestGateway({
        contracts: { 'shop/1.0.0': SHOP_V1 },
        config: config(),
        start: { env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` } },
      });
      try {
        const token = await issuer.token({ scope: 'items:read' });
        const res = await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        await gw.running.tracing!.forceFlush();
        const metrics = await scrapeMetrics(gw, issuer);
        const failed = /accord_tracing_spans_exported_total\{outcome="failure"\} (\d+)/.exec(metrics);
        assert.ok(failed && Number(failed[1]) >= 2, metrics.split('\n').filter((l) => l.includes('tracing')).join('\n'));
        const lines = gw.logs.filter((l) => l.msg === 'trace export failed; these spans are dropped');
        assert.equal(lines.length, 1);
        assert.equal(lines[0]!.target, `${receiver.url}/v1/traces`);
      } finally {
        await gw.stop();
      }
    } finally {
      await receiver.close();
    }
  });
});

describe('tracing off (the default)', () => {
  it('no tracing object and no span exist; the upstream gets today\'s traceparent and the caller\'s tracestate untouched', async () => {
    const issuer = await createTestIssuer();
    const shop = await startUpstream(json(200, { items: [ITEM] }));
    const gw = await startTestGateway({
      contracts: { 'shop/1.0.0': SHOP_V1 },
      config: {
        listen: { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 },
        identityProviders: [issuer.provider()],
        apis: [{ id: 'shop', basePath: '/shop', versions: [{ version: '1.0.0', upstream: shop.url }], auth: { providers: ['test'] }, responseValidation: 'off' }],
      },
      // Variables that configure an exporter but disable the SDK, and an explicit `none`: both off.
      start: { env: { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' } },
    });
    const seen: Array<[boolean, unknown]> = [];
    // Runs before the gateway's handler; the context it attaches is read once the handler ran.
    const spy = (req: http.IncomingMessage): void => {
      setImmediate(() => {
        const ctx = contextOf(req);
        seen.push([ctx !== undefined && 'span' in ctx, ctx?.span]);
      });
    };
    gw.running.server.server.prependListener('request', spy);
    try {
      assert.equal(gw.running.tracing, undefined);
      assert.equal(gw.running.gateway.tracing, undefined);
      assert.equal(gw.logs.some((l) => l.msg === 'tracing enabled'), false);
      const token = await issuer.token({ scope: 'items:read' });
      const res = await fetch(`${gw.url}/shop/v1/items`, { headers: { authorization: `Bearer ${token}`, traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'not a tracestate at all' } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const headers = shop.received.at(-1)!.headers;
      assert.match(String(headers.traceparent), new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));
      assert.notEqual(String(headers.traceparent).split('-')[2], CALLER_SPAN);
      assert.equal(headers.tracestate, 'not a tracestate at all');
      assert.deepEqual(seen, [[true, undefined]]);
    } finally {
      gw.running.server.server.off('request', spy);
      await gw.stop();
      await shop.close();
    }
  });
});
