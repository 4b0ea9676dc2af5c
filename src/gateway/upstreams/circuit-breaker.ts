/**
 * The circuit breaker of one upstream target, on cockatiel's CircuitBreakerPolicy (3.x: 4.x needs
 * Node 22). cockatiel runs promise-returning functions; an attempt here is a callback-driven
 * exchange, so each attempt is wrapped in a promise that the proxy settles with the attempt's
 * outcome. The balancer reads the state synchronously to skip open targets: an open target whose
 * break is over is offered again, and the attempt sent to it is cockatiel's half-open probe.
 */
import { circuitBreaker, ConsecutiveBreaker, handleAll, CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import type { CircuitBreakerConfig } from './schema.js';
import type { CircuitStateName } from './upstream-events.js';

/** Settles one attempt run through the breaker: true for a success, false for a failure. */
export type CircuitSettle = (success: boolean) => void;

const ATTEMPT_FAILED = new Error('upstream attempt failed');

function ignore(): void {}

function nameOf(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Closed) return 'closed';
  return state === CircuitState.HalfOpen ? 'half-open' : 'open';
}

/** One target's breaker. */
export class TargetCircuit {
  private readonly policy: CircuitBreakerPolicy;
  private readonly halfOpenAfterMs: number;
  /** `Date.now()` when the circuit last opened (cockatiel's own clock is Date.now too). */
  private openedAt = 0;
  readonly on5xx: boolean;

  constructor(config: CircuitBreakerConfig, onState: (state: CircuitStateName) => void) {
    this.halfOpenAfterMs = config.halfOpenAfterMs;
    this.on5xx = config.on5xx;
    this.policy = circuitBreaker(handleAll, { halfOpenAfter: config.halfOpenAfterMs, breaker: new ConsecutiveBreaker(config.consecutiveFailures) });
    this.policy.onStateChange((state) => {
      if (state === CircuitState.Open) this.openedAt = Date.now();
      onState(nameOf(state));
    });
  }

  get state(): CircuitStateName {
    return nameOf(this.policy.state);
  }

  /** Whether an attempt may go to the target now: closed, or open with its break over (the attempt probes). */
  isAvailable(now: number): boolean {
    const state = this.policy.state;
    return state === CircuitState.Closed || (state === CircuitState.Open && now - this.openedAt >= this.halfOpenAfterMs);
  }

  /** Milliseconds until an open circuit lets a probe through (0 when it would now). */
  remainingOpenMs(now: number): number {
    return Math.max(0, this.openedAt + this.halfOpenAfterMs - now);
  }

  /**
   * Runs `start` as one attempt through the breaker. Returns the function that settles it, or
   * undefined when the breaker refused the attempt (`start` was not called).
   */
  run(start: () => void): CircuitSettle | undefined {
    let settle: CircuitSettle | undefined;
    // cockatiel calls the function synchronously when it admits the attempt (closed, or open
    // with the break over); when it refuses, the returned promise rejects and settle stays unset.
    this.policy
      .execute(
        () =>
          new Promise<void>((resolve, reject) => {
            settle = (success) => (success ? resolve() : reject(ATTEMPT_FAILED));
          }),
      )
      .catch(ignore);
    if (!settle) return undefined;
    start();
    return settle;
  }
}
