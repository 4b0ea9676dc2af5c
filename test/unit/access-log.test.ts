import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../../src/observability/logger.js';
import { AccessLog, apiLogFields, operationLogFields } from '../../src/observability/access-log.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { RequestContext } from '../../src/gateway/pipeline/request-context.js';

function capture(level = 'info'): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

function context(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    req: { method: 'POST' } as IncomingMessage,
    res: { statusCode: 201 } as ServerResponse,
    startedAt: performance.now() - 2.5,
    requestId: 'req-1',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    clientIp: '203.0.113.7',
    forwardedFor: '203.0.113.7',
    api: { apiId: 'orders', version: '2.1.0', logFields: apiLogFields('orders', '2.1.0') },
    operation: { template: '/orders/{orderId}', operationId: 'getOrder', logFields: operationLogFields('/orders/{orderId}', 'getOrder') },
    consumerId: 'client "x"\nwith\u2028breaks',
    upstreamLatencyMs: 1.23456,
    ...overrides,
  };
}

describe('access log line', () => {
  it('is one JSON line in the logger’s own format, with untrusted values escaped', async () => {
    const { logger, lines } = capture();
    logger.info({ note: 'ordinary' }, 'hello');
    new AccessLog(logger, undefined).record(context(), false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 2);
    const ordinary = JSON.parse(lines[0]!) as Record<string, unknown>;
    const access = JSON.parse(lines[1]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(access).slice(0, 3), Object.keys(ordinary).slice(0, 3), 'level, time, service first, as pino writes them');
    assert.equal(access.level, ordinary.level);
    assert.equal(typeof access.time, 'number');
    assert.equal(access.service, 'accord');
    assert.equal(access.msg, 'request');
    assert.equal(access.type, 'access');
    assert.equal(access.consumer, 'client "x"\nwith\u2028breaks');
    assert.equal(access.route, '/orders/{orderId}');
    assert.equal(access.operationId, 'getOrder');
    assert.equal(access.api, 'orders');
    assert.equal(access.version, '2.1.0');
    assert.equal(access.status, 201);
    assert.equal(access.upstreamLatencyMs, 1.235);
    assert.ok(Number(access.latencyMs) >= 2.5);
    assert.equal(access.aborted, undefined);
  });

  it('leaves out what a request never reached, and marks aborted requests and error codes', async () => {
    const { logger, lines } = capture();
    new AccessLog(logger, undefined).record(context({ api: undefined, operation: undefined, consumerId: undefined, upstreamLatencyMs: undefined, errorCode: 'ROUTE_NOT_FOUND' }), true);
    await new Promise((resolve) => setImmediate(resolve));
    const access = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const absent of ['api', 'version', 'route', 'operationId', 'consumer', 'upstreamLatencyMs']) assert.equal(access[absent], undefined, absent);
    assert.equal(access.code, 'ROUTE_NOT_FOUND');
    assert.equal(access.aborted, true);
  });

  it('writes nothing when the info level is off, but still counts the request', async () => {
    const { logger, lines } = capture('warn');
    const metrics = createMetrics({ processMetrics: false });
    const log = new AccessLog(logger, metrics);
    log.record(context({ consumerId: 'acme' }), false);
    log.record(context({ consumerId: 'acme' }), false);
    log.record(context({ consumerId: 'acme', res: { statusCode: 429 } as ServerResponse, errorCode: 'RATE_LIMITED' }), false);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 0);
    const text = await metrics.registry.metrics();
    assert.match(text, /^accord_requests_total\{api="orders",version="2.1.0",operation="getOrder",consumer="acme",status_class="2xx"\} 2$/m);
    assert.match(text, /^accord_requests_total\{api="orders",version="2.1.0",operation="getOrder",consumer="acme",status_class="4xx"\} 1$/m);
    assert.match(text, /^accord_request_duration_seconds_count\{api="orders",version="2.1.0",operation="getOrder",consumer="acme",status_class="2xx"\} 2$/m);
    assert.match(text, /^accord_rejections_total\{api="orders",version="2.1.0",code="RATE_LIMITED"\} 1$/m);
    assert.match(text, /^accord_upstream_duration_seconds_count\{api="orders",version="2.1.0"\} 3$/m);
  });
});
