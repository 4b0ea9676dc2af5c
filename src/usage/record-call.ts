/** The access-log point's hand-off to the usage recorder: what a finished request contributes. */
import { isJsonMediaType, mediaTypeEssence } from '../contracts/compile/media-type.js';
import type { RequestContext } from '../gateway/pipeline/request-context.js';
import type { OperationUsage } from './operation-usage.js';
import type { UsageRecorder } from './usage-recorder.js';

/** The consumer of a call made without any identity (refused before authentication, or a public operation). */
export const ANONYMOUS = '(anonymous)';

/**
 * Records one finished request of a routed operation. The body is the value validation parsed;
 * with validation off a JSON body is parsed here, and only when the fingerprint examines it.
 */
export function recordCall(recorder: UsageRecorder, plan: OperationUsage, ctx: RequestContext): void {
  const body = ctx.body;
  const hasBody = body !== undefined && body.length > 0;
  recorder.record(plan, ctx.consumerId ?? ANONYMOUS, ctx.res.statusCode, {
    rawQuery: ctx.rawQuery ?? '',
    headers: ctx.req.headers,
    hasBody,
    get body(): unknown {
      if (ctx.parsedBody !== undefined || !hasBody) return ctx.parsedBody;
      if (!isJsonMediaType(mediaTypeEssence(ctx.req.headers['content-type']))) return undefined;
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  });
}
