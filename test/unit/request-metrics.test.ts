import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createMetrics } from '../../src/observability/metrics.js';
import { apiLogFields, operationLogFields } from '../../src/observability/access-log.js';
import type { RequestContext } from '../../src/gateway/pipeline/request-context.js';
import { parseExposition, sampleValue } from '../support/prometheus-text.js';

const api = { apiId: 'orders', version: '2.1.0', logFields: apiLogFields('orders', '2.1.0') };
const getOrder = { template: '/orders/{orderId}', operationId: 'getOrder', logFields: operationLogFields('/orders/{orderId}', 'getOrder') };
const listOrders = { template: '/orders', operationId: undefined, logFields: operationLogFields('/orders', undefined) };

function context(overrides: Partial<RequestContext>): RequestContext {
  return { req: {} as IncomingMessage, res: {} as ServerResponse, startedAt: 0, requestId: 'r', traceparent: '', clientIp: '127.0.0.1', clientIpFamily: 4, forwardedFor: '', api, operation: getOrder, ...overrides };
}

const labels = (operation: string, consumer: string, statusClass: string) => ({ api: 'orders', version: '2.1.0', operation, consumer, status_class: statusClass });

describe('request metrics', () => {
  it('count each request under its operation, bounded consumer and status class, with the latency beside it', async () => {
    let now = 0;
    const metrics = createMetrics({ processMetrics: false, topConsumers: 1, consumerPeriodSeconds: 60, now: () => now });
    const scenario: Array<[Partial<RequestContext>, number]> = [
      [{ consumerId: 'acme' }, 200],
      [{ consumerId: 'acme' }, 204],
      [{ consumerId: 'globex' }, 200],
      [{ consumerId: 'acme', errorCode: 'RATE_LIMITED' }, 429],
      [{ consumerId: undefined, errorCode: 'AUTH_TOKEN_MISSING' }, 401],
      [{ consumerId: 'acme', operation: listOrders, upstreamLatencyMs: 12 }, 503],
      [{ api: undefined, operation: undefined, errorCode: 'ROUTE_NOT_FOUND' }, 404],
    ];
    for (const [ctx, status] of scenario) metrics.observe(context(ctx), status, 3);
    const samples = parseExposition(await metrics.registry.metrics());
    const expected: Array<[Record<string, string>, number]> = [
      [labels('getOrder', 'acme', '2xx'), 2],
      [labels('getOrder', '(other)', '2xx'), 1],
      [labels('getOrder', 'acme', '4xx'), 1],
      [labels('getOrder', '(anonymous)', '4xx'), 1],
      [labels('/orders', 'acme', '5xx'), 1],
      [{ api: '', version: '', operation: '', consumer: '(anonymous)', status_class: '4xx' }, 1],
    ];
    for (const [series, value] of expected) {
      assert.equal(sampleValue(samples, 'accord_requests_total', series), value, JSON.stringify(series));
      assert.equal(sampleValue(samples, 'accord_request_duration_seconds_count', series), value, JSON.stringify(series));
      assert.equal(sampleValue(samples, 'accord_request_duration_seconds_bucket', { ...series, le: '0.0025' }), 0);
      assert.equal(sampleValue(samples, 'accord_request_duration_seconds_bucket', { ...series, le: '0.005' }), value);
    }
    assert.equal(samples.filter((s) => s.name === 'accord_requests_total').length, expected.length);
    assert.equal(sampleValue(samples, 'accord_rejections_total', { api: 'orders', version: '2.1.0', code: 'RATE_LIMITED' }), 1);
    assert.equal(sampleValue(samples, 'accord_rejections_total', { api: 'orders', version: '2.1.0', code: 'AUTH_TOKEN_MISSING' }), 1);
    assert.equal(sampleValue(samples, 'accord_rejections_total', { api: '', version: '', code: 'ROUTE_NOT_FOUND' }), 1);
    assert.equal(sampleValue(samples, 'accord_upstream_duration_seconds_count', { api: 'orders', version: '2.1.0' }), 1);

    // globex out-calls acme within the period (6 calls to 4), so it takes the one slot in the next.
    for (let i = 0; i < 5; i++) metrics.observe(context({ consumerId: 'globex' }), 200, 3);
    now = 60_000;
    metrics.observe(context({ consumerId: 'globex' }), 200, 3);
    const after = parseExposition(await metrics.registry.metrics());
    assert.deepEqual(after.filter((s) => s.labels.consumer === 'acme'), [], 'acme lost its slot: its series are removed');
    assert.equal(sampleValue(after, 'accord_requests_total', labels('getOrder', 'globex', '2xx')), 1);
    assert.equal(sampleValue(after, 'accord_requests_total', labels('getOrder', '(other)', '2xx')), 6);
  });

  it('exports the certificate expiry the source names at scrape time', async () => {
    const metrics = createMetrics({ processMetrics: false });
    let notAfter = 1_900_000_000;
    metrics.setCertificateSource(() => [{ kind: 'listener', notAfterSeconds: notAfter }]);
    assert.equal(sampleValue(parseExposition(await metrics.registry.metrics()), 'accord_tls_certificate_expiry_timestamp_seconds', { kind: 'listener' }), 1_900_000_000);
    notAfter = 1_950_000_000;
    assert.equal(sampleValue(parseExposition(await metrics.registry.metrics()), 'accord_tls_certificate_expiry_timestamp_seconds', { kind: 'listener' }), 1_950_000_000);
  });
});
