/** The gateway's drift recorder with its one failure mode instrumented: a log line and a metric when a site is dropped. */
import { Counter } from 'prom-client';
import { DriftRecorder } from './drift-recorder.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Creates the recorder of one gateway instance. Its instrument is registered here, apart from
 * metrics.ts: `accord_drift_dropped_total` counts broken responses of sites beyond the recorder's
 * bound, which the drift report cannot show.
 */
export function createDriftRecorder(metrics: GatewayMetrics, logger: Logger, now?: () => number): DriftRecorder {
  const dropped = new Counter({
    name: 'accord_drift_dropped_total',
    help: 'Responses that broke their contract at an (API, version, operation, target) site the drift report does not track: it holds its maximum of sites',
    registers: [metrics.registry],
  });
  return new DriftRecorder({
    now,
    onSiteDropped: (site, first) => {
      dropped.inc();
      if (first) logger.warn({ api: site.api, version: site.version, operation: site.operation, target: site.target }, 'drift report full: violations of further sites are counted in accord_drift_dropped_total only');
    },
  });
}
