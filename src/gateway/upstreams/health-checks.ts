/**
 * Active health checks: every target's check path is polled on its own timer; a target failing
 * unhealthyThreshold checks in a row leaves balancing until healthyThreshold checks in a row pass.
 * Checks use their own short connections (no pooled socket of the traffic is held by a check).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../observability/logger.js';
import type { HealthCheckConfig } from './schema.js';
import type { UpstreamEvents } from './upstream-events.js';
import type { UpstreamTarget } from './upstream-target.js';

interface CheckState {
  readonly target: UpstreamTarget;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
  failures: number;
  successes: number;
}

/** Polls the targets of one group. */
export class HealthChecks {
  private readonly config: HealthCheckConfig;
  private readonly states: CheckState[];
  private readonly events: UpstreamEvents;
  private readonly logger: Logger;
  private readonly labels: Record<string, string>;
  private closed = false;

  constructor(config: HealthCheckConfig, targets: readonly UpstreamTarget[], events: UpstreamEvents, logger: Logger, labels: Record<string, string>) {
    this.config = config;
    this.events = events;
    this.logger = logger;
    this.labels = labels;
    this.states = targets.map((target) => ({ target, timer: undefined, running: false, failures: 0, successes: 0 }));
  }

  /** Starts polling: a first check at once, then one per interval. */
  start(): void {
    for (const state of this.states) {
      this.events.healthy(state.target.label, true);
      state.timer = setInterval(() => this.check(state), this.config.intervalMs);
      state.timer.unref();
      this.check(state);
    }
  }

  private check(state: CheckState): void {
    if (state.running || this.closed) return;
    state.running = true;
    const { target } = state;
    let done = false;
    const finish = (ok: boolean, reason: string): void => {
      if (done) return;
      done = true;
      state.running = false;
      if (!this.closed) this.record(state, ok, reason);
    };
    const request = target.client.request({
      host: target.hostname,
      port: target.port,
      method: 'GET',
      path: target.basePath + this.config.path,
      headers: { host: target.hostHeader, 'user-agent': 'accord-health-check' },
      agent: false,
      setHost: false,
      timeout: this.config.timeoutMs,
    });
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      response.resume();
      response.on('error', () => undefined);
      finish(status >= 200 && status < 400, `status ${status}`);
      request.destroy();
    });
    request.on('timeout', () => {
      finish(false, `no answer within ${this.config.timeoutMs} ms`);
      request.destroy();
    });
    request.on('error', (error: NodeJS.ErrnoException) => finish(false, error.code ?? error.message));
    request.end();
  }

  private record(state: CheckState, ok: boolean, reason: string): void {
    const { target } = state;
    if (ok) {
      state.failures = 0;
      if (!target.healthy && ++state.successes >= this.config.healthyThreshold) {
        target.healthy = true;
        state.successes = 0;
        this.events.healthy(target.label, true);
        this.logger.info({ ...this.labels, target: target.label }, 'upstream target passes its health checks again');
      }
      return;
    }
    state.successes = 0;
    if (target.healthy && ++state.failures >= this.config.unhealthyThreshold) {
      target.healthy = false;
      state.failures = 0;
      this.events.healthy(target.label, false);
      this.logger.warn({ ...this.labels, target: target.label, reason }, `upstream target unhealthy: ${this.config.unhealthyThreshold} health checks failed in a row`);
    }
  }

  close(): void {
    this.closed = true;
    for (const state of this.states) if (state.timer) clearInterval(state.timer);
  }
}
