/** Per-request state shared by the steps of the pipeline; it lives on the request, never in globals. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the pipeline knows about one request as it moves through the steps. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly startedAt: bigint;
  readonly requestId: string;
  traceparent: string;
  clientIp: string;
  forwardedFor: string;
  apiId?: string;
  apiVersion?: string;
  routeTemplate?: string;
  operationId?: string;
  consumerId?: string;
  pathParams?: Record<string, string>;
  /** The buffered request body when there was one. */
  body?: Buffer;
  /** The path and query sent upstream. */
  upstreamPath?: string;
  upstreamStartedAt?: bigint;
  upstreamLatencyMs?: number;
  upstreamTimedOut?: boolean;
  /** Set when the response was found to break the contract (report or enforce). */
  responseViolations?: number;
  /** Error code of a rejection, for the access log. */
  errorCode?: string;
}

const CONTEXT = Symbol('accord.context');

type WithContext = IncomingMessage & { [CONTEXT]?: RequestContext };

/** Attaches the context to its request (so proxy event handlers can find it). */
export function attachContext(req: IncomingMessage, ctx: RequestContext): void {
  (req as WithContext)[CONTEXT] = ctx;
}

/** The context of a request, if the gateway created one. */
export function contextOf(req: IncomingMessage): RequestContext | undefined {
  return (req as WithContext)[CONTEXT];
}
