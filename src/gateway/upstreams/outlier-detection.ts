/**
 * Passive health (Envoy's outlier detection, consecutive failures only): a target whose attempts
 * fail N times in a row leaves balancing for T, but never more than maxEjectionPercent of the
 * targets at once, so that a shared fault (the network, a bad deploy everywhere) cannot empty the
 * pool; with a single target nothing is ejected (the circuit breaker is the tool for that).
 */
import type { Logger } from '../../observability/logger.js';
import type { OutlierDetectionConfig } from './schema.js';
import type { UpstreamEvents } from './upstream-events.js';
import type { UpstreamTarget } from './upstream-target.js';

/** The passive health of one group's targets. */
export class OutlierDetection {
  private readonly config: OutlierDetectionConfig;
  private readonly maxEjected: number;
  private readonly events: UpstreamEvents;
  private readonly log: (target: UpstreamTarget, message: string, level: 'warn' | 'info') => void;
  private readonly timers = new Map<UpstreamTarget, NodeJS.Timeout>();
  readonly on5xx: boolean;

  constructor(config: OutlierDetectionConfig, targetCount: number, events: UpstreamEvents, logger: Logger, labels: Record<string, string>) {
    this.config = config;
    this.on5xx = config.on5xx;
    this.maxEjected = targetCount < 2 || config.maxEjectionPercent === 0 ? 0 : Math.max(1, Math.floor((targetCount * config.maxEjectionPercent) / 100));
    this.events = events;
    this.log = (target, message, level) => logger[level]({ ...labels, target: target.label, ejectionMs: config.ejectionMs }, message);
  }

  success(target: UpstreamTarget): void {
    target.consecutiveFailures = 0;
  }

  failure(target: UpstreamTarget): void {
    if (++target.consecutiveFailures < this.config.consecutiveFailures || target.ejected) return;
    if (this.timers.size >= this.maxEjected) {
      this.log(target, 'upstream target keeps failing but is not ejected: the ejection cap (maxEjectionPercent) is reached', 'warn');
      return;
    }
    target.ejected = true;
    target.consecutiveFailures = 0;
    const timer = setTimeout(() => this.readmit(target), this.config.ejectionMs);
    timer.unref();
    this.timers.set(target, timer);
    this.events.ejected(target.label, true);
    this.log(target, `upstream target ejected after ${this.config.consecutiveFailures} consecutive failures`, 'warn');
  }

  private readmit(target: UpstreamTarget): void {
    this.timers.delete(target);
    target.ejected = false;
    this.events.ejected(target.label, false);
    this.log(target, 'upstream target back in balancing after its ejection', 'info');
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
