/**
 * What the upstream receives, byte for byte, when tracing and Idempotency-Key are on: one
 * traceparent naming the attempt's CLIENT span, one tracestate as the caller sent it (bounded),
 * one Idempotency-Key, the validated body with its own Content-Length, and none of the caller's
 * duplicates. Read from the raw bytes of the upstream's connection, not from a parsed request.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTestGateway, createTestIssuer, type TestGateway, type TestIssuer } from '../support/test-gateway.js';
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.js';
import { rawRequest } from '../support/raw-request.js';
import { within } from '../support/wait.js';
import { GatewayTracing } from '../../src/observability/tracing.js';

const ORDERS = join(import.meta.dirname, 'fixtures', 'idempotency', 'orders-1.0.0.yaml');
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** The header lines of the last request on the wire, lower-cased names, in order. */
function lastHead(upstream: RecordingUpstream): { requestLine: string; headers: Array<[string, string]>; body: string } {
  const wire = upstream.wire().join('');
  const start = wire.lastIndexOf('POST ');
  const text = wire.slice(start);
  const end = text.indexOf('\r\n\r\n');
  const [requestLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
  return { requestLine: requestLine!, headers, body: text.slice(end + 4) };
}

describe('the upstream request on the wire, tracing and Idempotency-Key on', () => {
  let issuer: TestIssuer;
  let upstream: RecordingUpstream;
  let gw: TestGateway;
  let exporter: InMemorySpanExporter;
  let tracing: GatewayTracing;

  before(async () => {
    issuer = await createTestIssuer();
    upstream = await startRecordingUpstream((req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'o-1', sku: 'a-1', quantity: 2 }));
    });
    exporter = new InMemorySpanExporter();
    tracing = new GatewayTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    gw = await startTestGateway({
      contracts: { 'orders/1.0.0': ORDERS },
      config: {
        listen: { host: '127.0.0.1', port: 0 },
        identityProviders: [issuer.provider()],
        apis: [
          {
            id: 'orders',
            basePath: '/orders',
            versions: [{ version: '1.0.0' }],
            upstream: { url: upstream.url },
            auth: { providers: ['test'] },
            idempotency: { expirySeconds: 600 },
            responseValidation: 'off',
          },
        ],
      },
      start: { tracing },
    });
  });
  after(async () => {
    await gw?.stop();
    await tracing?.shutdown();
    await upstream?.close();
  });

  it('one traceparent (the CLIENT span), one tracestate, one Idempotency-Key, the validated body with its own length', async () => {
    const token = await issuer.token({ client_id: 'acme', scope: 'orders:write' });
    // The caller repeats tracestate and Idempotency-Key is sent once; the body is sent chunked
    // with extra white space, which the gateway re-frames as it validated it.
    const res = await rawRequest(gw.url, 'POST', '/orders/v1/orders', {
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': '"wire-1"',
        traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
        tracestate: ['vendor=opaque', 'other=v2'],
        'transfer-encoding': 'chunked',
      },
      body: '{ "sku" : "a-1", "quantity": 2 }',
    });
    assert.equal(res.status, 201, res.text);
    assert.ok(await within(2000, async () => exporter.getFinishedSpans().some((s) => s.kind === SpanKind.CLIENT)), 'the CLIENT span ended');
    const client = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CLIENT)!;

    const head = lastHead(upstream);
    assert.equal(head.requestLine, 'POST /orders HTTP/1.1');
    const named = (name: string): string[] => head.headers.filter(([n]) => n === name).map(([, v]) => v);
    assert.deepEqual(named('traceparent'), [`00-${CALLER_TRACE}-${client.spanContext().spanId}-01`]);
    assert.notEqual(client.spanContext().spanId, CALLER_SPAN);
    assert.deepEqual(named('tracestate'), ['vendor=opaque,other=v2']);
    assert.deepEqual(named('idempotency-key'), ['"wire-1"']);
    assert.deepEqual(named('transfer-encoding'), []);
    assert.equal(upstream.requests.length, 1);
    const body = upstream.requests[0]!.body.toString('latin1');
    assert.deepEqual(named('content-length'), [String(Buffer.byteLength(body))]);
    assert.equal(head.body, body);
    assert.deepEqual(JSON.parse(body), { sku: 'a-1', quantity: 2 });
  });
});
