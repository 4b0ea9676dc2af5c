/** Composes an operation's policy steps into one handler, in list order, ending in the terminal step. */
import { performance } from 'node:perf_hooks';
import type { RequestContext } from './request-context.js';
import type { RequestStep, ResponseStep } from './policy.js';
import type { GatewayTracing } from '../../observability/tracing.js';

/** Names of the steps (their policies' names) and of the terminal, when the steps that wait are traced. */
export interface TracedSteps {
  readonly tracing: GatewayTracing;
  /** One name per step, in step order. */
  readonly names: readonly string[];
  readonly terminalName: string;
}

/**
 * One handler that runs `steps` in order and then `terminal`. A step that decided without I/O
 * calls the next directly, so a request costs a promise hop only where a step had to wait.
 */
export function composeRequest(steps: readonly RequestStep[], terminal: RequestStep, traced?: TracedSteps): RequestStep {
  if (traced !== undefined) {
    // Tracing on: a different chain is built, so that tracing off keeps the plain one untouched.
    let next = tracedTerminal(terminal, traced.terminalName, traced.tracing);
    for (let i = steps.length - 1; i >= 0; i--) next = tracedLink(steps[i]!, next, traced.names[i]!, traced.tracing);
    return next;
  }
  let next = terminal;
  for (let i = steps.length - 1; i >= 0; i--) next = link(steps[i]!, next);
  return next;
}

function link(step: RequestStep, next: RequestStep): RequestStep {
  return (ctx: RequestContext) => {
    const pending = step(ctx);
    return pending === undefined ? next(ctx) : pending.then(() => next(ctx));
  };
}

/** Like link, and a step that had to wait gets an INTERNAL span from its start to its end. */
function tracedLink(step: RequestStep, next: RequestStep, name: string, tracing: GatewayTracing): RequestStep {
  return (ctx: RequestContext) => {
    const startedAt = performance.now();
    const pending = step(ctx);
    if (pending === undefined) return next(ctx);
    const span = tracing.startPhase(ctx, name, startedAt);
    return pending.then(
      () => {
        span.end();
        return next(ctx);
      },
      (error: unknown) => {
        tracing.phaseFailed(span, error);
        throw error;
      },
    );
  };
}

/** The terminal step, whose only wait is reading the request body when no policy read it. */
function tracedTerminal(terminal: RequestStep, name: string, tracing: GatewayTracing): RequestStep {
  return (ctx: RequestContext) => {
    const startedAt = performance.now();
    const pending = terminal(ctx);
    if (pending === undefined) return;
    const span = tracing.startPhase(ctx, name, startedAt);
    return pending.then(
      () => span.end(),
      (error: unknown) => {
        tracing.phaseFailed(span, error);
        throw error;
      },
    );
  };
}

/** One response step that runs `steps` in reverse order (the last policy sees the response first); undefined when none. */
export function composeResponse(steps: readonly ResponseStep[]): ResponseStep | undefined {
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  const reversed = [...steps].reverse();
  return (ctx, status) => {
    for (let i = 0; i < reversed.length; i++) reversed[i]!(ctx, status);
  };
}
