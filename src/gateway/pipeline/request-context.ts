/** Per-request state shared by the steps of the pipeline; it lives on the request, never in globals. */
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { InFlightEntry } from '../in-flight.js';
import type { Principal } from '../policies/jwt-auth/index.js';
import type { Consumer } from '../policies/consumers/consumer-index.js';
import type { VerifiedCertificate } from '../policies/mtls/client-certificates.js';
import type { OperationUsage } from '../../usage/operation-usage.js';
import type { ResponseCapture } from '../policies/idempotency/response-capture.js';

/** The served API version a request was routed to; one object per routing table entry. */
export interface ApiLabels {
  readonly apiId: string;
  readonly version: string;
  /** Its access-log fields, serialised once when the routing table is built. */
  readonly logFields: string;
}

/** The operation a request was routed to; one object per compiled operation. */
export interface OperationLabels {
  /** The contract's path template, e.g. `/orders/{orderId}`. */
  readonly template: string;
  readonly operationId: string | undefined;
  /** Its access-log fields, serialised once when the routing table is built. */
  readonly logFields: string;
  /** Its usage-record plan, when usage is recorded. */
  readonly usage?: OperationUsage;
}

/** What the pipeline knows about one request as it moves through the steps. */
export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** `performance.now()` when the request arrived. */
  readonly startedAt: number;
  readonly requestId: string;
  traceparent: string;
  /** The client's address (IPv4-mapped IPv6 as IPv4), or a label (`unknown`, an obfuscated `_id`) when clientIpFamily is 0. */
  clientIp: string;
  clientIpFamily: 0 | 4 | 6;
  /** X-Forwarded-For for the upstream: the client and the trusted hops after it, then the peer. */
  forwardedFor: string;
  /** Set once the path matched a served API version. */
  api?: ApiLabels;
  /** Set once method and path matched an operation. */
  operation?: OperationLabels;
  /** The verified client certificate, once the mtls policy accepted one. */
  clientCertificate?: VerifiedCertificate;
  /** The verified token, once the auth policy accepted one. */
  principal?: Principal;
  /** The declared consumer the caller is, once a policy resolved it. */
  consumer?: Consumer;
  /** The consumer id sent upstream: the declared consumer's id, else `<provider>/<claim>`. */
  consumerId?: string;
  /** Index in the operation's `security` of the alternative the credentials satisfied. */
  authAlternative?: number;
  /** The id (public part) of the API key that authenticated the request. */
  apiKeyId?: string;
  pathParams?: Record<string, string>;
  /** The raw query without '?', '' when none. */
  rawQuery?: string;
  /** The buffered request body when there was one. */
  body?: Buffer;
  /** The body as request validation parsed it (JSON value or form fields), so that nothing parses it twice. */
  parsedBody?: unknown;
  /** The path and query sent upstream. */
  upstreamPath?: string;
  /** The request to the upstream, once it was sent. */
  upstreamRequest?: ClientRequest;
  /** `performance.now()` when the upstream request was sent. */
  upstreamStartedAt?: number;
  upstreamLatencyMs?: number;
  upstreamTimedOut?: boolean;
  /** Attempts sent upstream so far (1 without retries). */
  upstreamAttempts?: number;
  /** The target of the last attempt: the one that served the response, or whose failure was answered. */
  upstreamTarget?: { readonly label: string; readonly logField: string };
  /** Set when the response was found to break the contract (report or enforce). */
  responseViolations?: number;
  /** Error code of a rejection, for the access log. */
  errorCode?: string;
  /** Its entry among the responses in progress. */
  inFlight?: InFlightEntry;
  /** The copy of the relayed response kept for an Idempotency-Key, when the request holds a claim. */
  capture?: ResponseCapture;
  /** The request's SERVER span, when tracing is on. */
  span?: Span;
}

const CONTEXT = Symbol('accord.context');

type WithContext = IncomingMessage & { [CONTEXT]?: RequestContext };

/** Attaches the context to its request (so proxy event handlers can find it). */
export function attachContext(ctx: RequestContext): void {
  (ctx.req as WithContext)[CONTEXT] = ctx;
}

/** The context of a request, if the gateway created one. */
export function contextOf(req: IncomingMessage): RequestContext | undefined {
  return (req as WithContext)[CONTEXT];
}

/** The context of the request a response answers. */
export function contextOfResponse(res: ServerResponse): RequestContext | undefined {
  return (res.req as WithContext)[CONTEXT];
}
