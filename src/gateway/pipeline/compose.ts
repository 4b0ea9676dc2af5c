/** Composes an operation's policy steps into one handler, in list order, ending in the terminal step. */
import type { RequestContext } from './request-context.js';
import type { RequestStep, ResponseStep } from './policy.js';

/**
 * One handler that runs `steps` in order and then `terminal`. A step that decided without I/O
 * calls the next directly, so a request costs a promise hop only where a step had to wait.
 */
export function composeRequest(steps: readonly RequestStep[], terminal: RequestStep): RequestStep {
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

/** One response step that runs `steps` in reverse order (the last policy sees the response first); undefined when none. */
export function composeResponse(steps: readonly ResponseStep[]): ResponseStep | undefined {
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  const reversed = [...steps].reverse();
  return (ctx, status) => {
    for (let i = 0; i < reversed.length; i++) reversed[i]!(ctx, status);
  };
}
