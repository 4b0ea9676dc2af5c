/**
 * What the upstreams of a served version report for logs and metrics: attempts, retries, circuit
 * states, ejections and health. One interface, so that the proxy knows nothing of prom-client.
 */
import type { GatewayMetrics } from '../../observability/metrics.js';

/** How an attempt to one target ended. */
export type AttemptOutcome = 'response' | 'connect-failure' | 'reset' | 'timeout' | 'invalid-response' | 'client-gone';

/** Circuit states as the metric reports them (0 closed, 1 open, 2 half-open). */
export type CircuitStateName = 'closed' | 'open' | 'half-open';

/** Why a request got 503 at once: no target could take it. */
export type UnavailableReason = 'circuit-open' | 'no-healthy-target';

/** Receives upstream events of one served API version (labels are bound by `forVersion`). */
export interface UpstreamEvents {
  attempt(target: string, outcome: AttemptOutcome): void;
  retry(reason: string): void;
  retryBudgetExhausted(): void;
  unavailable(reason: UnavailableReason): void;
  circuit(target: string, state: CircuitStateName): void;
  ejected(target: string, ejected: boolean): void;
  healthy(target: string, healthy: boolean): void;
  /** A routing table put this target in service (its per-target series are kept while one does). */
  claim(target: string): void;
  /** A routing table with this target left service: its series go when no table serves it any more. */
  forget(target: string): void;
}

/** Makes the events of one API version. */
export type UpstreamEventsFactory = (api: string, version: string) => UpstreamEvents;

const CIRCUIT_VALUE: Record<CircuitStateName, number> = { closed: 0, open: 1, 'half-open': 2 };

/**
 * Events recorded on the gateway's metric instruments. Made once per gateway: a reload builds the
 * new table before the old one closes, so the per-target series are counted by the tables that
 * serve them rather than removed by whichever table closes last.
 */
export function upstreamMetricEvents(metrics: GatewayMetrics): UpstreamEventsFactory {
  const claims = new Map<string, number>();
  return (api, version) => {
    // Bound children per target and outcome: an attempt costs two lookups, not a label hash.
    const attempts = new Map<string, Map<AttemptOutcome, { inc(): void }>>();
    return {
    attempt(target, outcome) {
      let byOutcome = attempts.get(target);
      if (!byOutcome) attempts.set(target, (byOutcome = new Map()));
      let child = byOutcome.get(outcome);
      if (!child) byOutcome.set(outcome, (child = metrics.upstreamAttempts.labels({ api, version, target, outcome })));
      child.inc();
    },
    retry: (reason) => metrics.upstreamRetries.inc({ api, version, reason }),
    retryBudgetExhausted: () => metrics.upstreamRetryBudgetExhausted.inc({ api, version }),
    unavailable: (reason) => metrics.upstreamUnavailable.inc({ api, version, reason }),
    circuit: (target, state) => metrics.upstreamCircuitState.set({ api, version, target }, CIRCUIT_VALUE[state]),
    ejected(target, ejected) {
      metrics.upstreamTargetEjected.set({ api, version, target }, ejected ? 1 : 0);
      if (ejected) metrics.upstreamEjections.inc({ api, version, target });
    },
    healthy: (target, healthy) => metrics.upstreamTargetHealthy.set({ api, version, target }, healthy ? 1 : 0),
    claim(target) {
      const key = `${api}\u0000${version}\u0000${target}`;
      claims.set(key, (claims.get(key) ?? 0) + 1);
    },
    forget(target) {
      const key = `${api}\u0000${version}\u0000${target}`;
      const left = (claims.get(key) ?? 1) - 1;
      if (left > 0) {
        claims.set(key, left);
        return;
      }
      claims.delete(key);
      metrics.upstreamCircuitState.remove({ api, version, target });
      metrics.upstreamTargetEjected.remove({ api, version, target });
      metrics.upstreamTargetHealthy.remove({ api, version, target });
    },
    };
  };
}

/** Events that go nowhere (no metrics wired, `accord config validate`). */
export const NO_UPSTREAM_EVENTS: UpstreamEvents = {
  attempt() {},
  retry() {},
  retryBudgetExhausted() {},
  unavailable() {},
  circuit() {},
  ejected() {},
  healthy() {},
  claim() {},
  forget() {},
};
