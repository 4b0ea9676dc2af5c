/**
 * Builds the tracing of `accord serve` from the OTEL_* settings: the exporter (OTLP/HTTP or the
 * console) behind a batch span processor, the sampler, the resource, and the export outcome as a
 * metric and a (throttled) log line.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { GatewayTracing } from './tracing.js';
import type { TracingSettings } from './tracing-settings.js';

/** Time between two log lines about failing exports; the metric counts every one. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

/** What the exporter of the tracing needs from the composition root. */
export interface TracingExportDependencies {
  readonly logger: Logger;
  /** The gateway's metrics registry: `accord_tracing_spans_exported_total` is registered on it. */
  readonly registry: Registry;
  /** The wall clock of the failure-log throttle (ms); Date.now when not given. */
  readonly now?: () => number;
}

/** Wraps an exporter to count its outcomes and log its failures at most once a minute. */
class WatchedExporter implements SpanExporter {
  private lastLogged = Number.NEGATIVE_INFINITY;
  private failedSinceLog = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly deps: TracingExportDependencies,
    private readonly spans: Counter<'outcome'>,
    private readonly target: string,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.spans.inc({ outcome: 'success' }, spans.length);
      } else {
        this.spans.inc({ outcome: 'failure' }, spans.length);
        this.failedSinceLog += spans.length;
        const now = (this.deps.now ?? Date.now)();
        if (now - this.lastLogged >= FAILURE_LOG_INTERVAL_MS) {
          this.deps.logger.warn({ target: this.target, droppedSpans: this.failedSinceLog, err: { message: result.error?.message ?? 'export failed' } }, 'trace export failed; these spans are dropped');
          this.lastLogged = now;
          this.failedSinceLog = 0;
        }
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function samplerOf(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/** The tracing of given settings, exporting in batches (OTEL_BSP_* tune the batches). */
export function createTracing(settings: TracingSettings, deps: TracingExportDependencies): GatewayTracing {
  const spans = new Counter({
    name: 'accord_tracing_spans_exported_total',
    help: 'Spans handed to the trace exporter, by outcome (success, failure: the batch was dropped)',
    labelNames: ['outcome'],
    registers: [deps.registry],
  });
  const exporter = settings.exporter === 'console' ? new ConsoleSpanExporter() : new OTLPTraceExporter({ url: settings.endpoint, headers: { ...settings.headers } });
  const target = settings.exporter === 'console' ? 'console' : settings.endpoint;
  const processor = new BatchSpanProcessor(new WatchedExporter(exporter, deps, spans, target));
  return new GatewayTracing({
    spanProcessors: [processor],
    sampler: samplerOf(settings),
    resourceAttributes: { ...settings.resourceAttributes, 'service.name': settings.serviceName },
  });
}

/** The tracing of settings read from the OTEL_* variables (tracingSettingsFromEnv); logs what it enabled. */
export function createTracingFromSettings(settings: TracingSettings, deps: TracingExportDependencies): GatewayTracing {
  if (settings.protobufRequested) deps.logger.warn({ endpoint: settings.endpoint }, 'OTLP protocol http/protobuf requested; traces are sent as http/json, which OTLP/HTTP receivers accept on the same path');
  deps.logger.info(
    { exporter: settings.exporter, endpoint: settings.exporter === 'otlp' ? settings.endpoint : undefined, sampler: settings.sampler, ratio: settings.sampler.endsWith('traceidratio') ? settings.samplerRatio : undefined, service: settings.serviceName },
    'tracing enabled',
  );
  return createTracing(settings, deps);
}
