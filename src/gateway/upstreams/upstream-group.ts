/**
 * The targets of one served API version and what decides among them: the balancer, passive
 * health, active health checks, circuit breakers and the retry budget. Built once per routing
 * table; the proxy asks it for a target per attempt and tells it how each attempt ended.
 */
import { GatewayError } from '../../errors/problem.js';
import type { Logger } from '../../observability/logger.js';
import { LeastOutstanding, RoundRobin, type Balancer } from './balancer.js';
import { TargetCircuit } from './circuit-breaker.js';
import { HealthChecks } from './health-checks.js';
import { OutlierDetection } from './outlier-detection.js';
import { RetryBudget } from './retry-budget.js';
import type { RetryConfig, TargetConfig, UpstreamConfig } from './schema.js';
import type { AttemptOutcome, UpstreamEvents } from './upstream-events.js';
import { UpstreamTarget } from './upstream-target.js';

/** What a group is built from. */
export interface UpstreamGroupOptions {
  targets: readonly TargetConfig[];
  upstream: UpstreamConfig;
  events: UpstreamEvents;
  logger: Logger;
  /** `api` and `version`, for log lines. */
  labels: Record<string, string>;
  /** Poll health-check paths (false when the table is only built to check a configuration). */
  startHealthChecks: boolean;
}

/** The targets of one API version and their live state. */
export class UpstreamGroup {
  readonly targets: readonly UpstreamTarget[];
  /** The one target when nothing can take it out of balancing: chosen without any bookkeeping. */
  readonly fixed: UpstreamTarget | undefined;
  readonly retries: RetryConfig | undefined;
  readonly budget: RetryBudget | undefined;
  readonly events: UpstreamEvents;
  private readonly balancer: Balancer;
  private readonly outliers: OutlierDetection | undefined;
  private readonly healthChecks: HealthChecks | undefined;
  private readonly logger: Logger;
  private readonly labels: Record<string, string>;
  /** Set once the routing table left service: late events of its targets are not reported. */
  private closed = false;

  constructor(options: UpstreamGroupOptions) {
    const { upstream, events, logger, labels } = options;
    this.events = events;
    this.logger = logger;
    this.labels = labels;
    this.targets = options.targets.map((config) => new UpstreamTarget(config, upstream.pool, upstream.timeoutMs));
    for (const target of this.targets) events.claim(target.label);
    this.balancer = upstream.balancing === 'least-outstanding' ? new LeastOutstanding() : new RoundRobin();
    if (upstream.circuitBreaker) {
      const config = upstream.circuitBreaker;
      for (const target of this.targets) {
        target.circuit = new TargetCircuit(config, (state) => {
          if (this.closed) return;
          events.circuit(target.label, state);
          const fields = { ...labels, target: target.label };
          if (state === 'open') logger.warn({ ...fields, halfOpenAfterMs: config.halfOpenAfterMs }, 'upstream circuit opened: the target gets no requests until a probe succeeds');
          else if (state === 'half-open') logger.info(fields, 'upstream circuit half-open: one probe request goes to the target');
          else logger.info(fields, 'upstream circuit closed: the probe succeeded');
        });
        events.circuit(target.label, 'closed');
      }
    }
    if (upstream.outlierDetection) {
      this.outliers = new OutlierDetection(upstream.outlierDetection, this.targets.length, events, logger, labels);
      for (const target of this.targets) events.ejected(target.label, false);
    }
    if (upstream.healthCheck && options.startHealthChecks) {
      this.healthChecks = new HealthChecks(upstream.healthCheck, this.targets, events, logger, labels);
      this.healthChecks.start();
    }
    this.retries = upstream.retries && upstream.retries.attempts > 0 ? upstream.retries : undefined;
    this.budget = this.retries ? new RetryBudget(this.retries.budget) : undefined;
    const fixed = this.targets.length === 1 && !upstream.circuitBreaker && !this.healthChecks;
    this.fixed = fixed ? this.targets[0] : undefined;
  }

  /**
   * The target of the next attempt: a usable one not tried yet by this request, else any usable
   * one (a retry may go back to the same target), else undefined (every target is out).
   */
  choose(tried: readonly UpstreamTarget[]): UpstreamTarget | undefined {
    if (this.fixed) return this.fixed;
    const now = Date.now();
    if (tried.length > 0 && this.targets.length > 1) {
      const fresh = this.balancer.pick(this.targets, (t) => !tried.includes(t) && t.isAvailable(now));
      if (fresh) return fresh;
    }
    return this.balancer.pick(this.targets, (t) => t.isAvailable(now));
  }

  /** Whether an attempt with this outcome (and response status) counts as a failure of its target. */
  private static failed(outcome: AttemptOutcome, status: number, on5xx: boolean): boolean {
    if (outcome === 'response') return on5xx && status >= 500;
    return outcome !== 'client-gone';
  }

  /** Records the end of an attempt; returns whether the circuit breaker should count it a success. */
  attemptEnded(target: UpstreamTarget, outcome: AttemptOutcome, status: number): boolean {
    this.events.attempt(target.label, outcome);
    if (this.outliers) {
      if (UpstreamGroup.failed(outcome, status, this.outliers.on5xx)) this.outliers.failure(target);
      else if (outcome !== 'client-gone') this.outliers.success(target);
    }
    return !target.circuit || !UpstreamGroup.failed(outcome, status, target.circuit.on5xx);
  }

  /** The 503 answered when no target can take a request, with Retry-After when circuits are open. */
  unavailable(): GatewayError {
    const now = Date.now();
    let soonestMs = Infinity;
    for (const target of this.targets) {
      if (target.circuit && target.circuit.state !== 'closed' && !target.ejected && target.healthy) soonestMs = Math.min(soonestMs, target.circuit.remainingOpenMs(now));
    }
    if (soonestMs !== Infinity) {
      this.events.unavailable('circuit-open');
      const retryAfter = Math.max(1, Math.ceil(soonestMs / 1000));
      this.logger.warn({ ...this.labels, retryAfter }, 'no upstream target available: every circuit is open');
      return new GatewayError('UPSTREAM_UNAVAILABLE', 'the upstream is unavailable: its circuit breaker is open', { status: 503, headers: { 'retry-after': String(retryAfter) } });
    }
    this.events.unavailable('no-healthy-target');
    this.logger.warn(this.labels, 'no upstream target available: every target is ejected or failing its health checks');
    return new GatewayError('UPSTREAM_UNAVAILABLE', 'the upstream is unavailable: no target is healthy', { status: 503 });
  }

  close(): void {
    this.closed = true;
    this.outliers?.close();
    this.healthChecks?.close();
    for (const target of this.targets) {
      target.agent.destroy();
      this.events.forget(target.label);
    }
  }
}
