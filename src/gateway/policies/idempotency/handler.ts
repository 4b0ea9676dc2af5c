/**
 * The request step of the idempotency policy: reads and checks the Idempotency-Key, claims it in
 * the store before anything is forwarded, and answers a retry from the store (replay), or refuses
 * it (in flight, other request, not replayable). Once the response is over it stores what the
 * client received, or releases the key when the upstream did not answer (5xx, transport failure,
 * or a refusal by the gateway) so that the client may retry.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../../../errors/problem.js';
import type { Logger } from '../../../observability/logger.js';
import { RESPONSE_SENT, type RequestStep } from '../../pipeline/policy.js';
import { hasBody, readBody } from '../../pipeline/read-body.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { parseIdempotencyKey } from './key-syntax.js';
import { ResponseCapture } from './response-capture.js';
import type { IdempotencyRecord, IdempotencyStore, InFlightRecord, StoredResponse } from './stores/idempotency-store.js';

/** What became of a request that the policy looked at; the label of `accord_idempotency_requests_total`. */
export type IdempotencyOutcome =
  | 'stored'
  | 'unreplayable'
  | 'released'
  | 'replayed'
  | 'mismatch'
  | 'in-flight'
  | 'completed'
  | 'missing'
  | 'invalid'
  | 'unprotected';

/** What the policy reports, for metrics. */
export interface IdempotencyEvents {
  onOutcome(apiId: string, outcome: IdempotencyOutcome): void;
  onStoreError(store: IdempotencyStore['kind'], operation: 'claim' | 'complete' | 'release'): void;
}

/** What every protected operation of one API shares. */
export interface IdempotencyContext {
  readonly apiId: string;
  readonly store: IdempotencyStore;
  readonly maxResponseBytes: number;
  readonly maxKeyLength: number;
  readonly onStoreError: 'refuse' | 'pass';
  /** The listener's body limit (the body is read here when request validation is off). */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly events: IdempotencyEvents | undefined;
}

/** One operation's settings, resolved at load. */
export interface OperationIdempotency {
  readonly required: boolean;
  readonly expiryMs: number;
}

/**
 * The store key of a request: the API, the caller's scope (the consumer, or the client address of
 * an anonymous caller) and the key, hashed, so that no id or key can be read as another's.
 */
function storeKey(apiId: string, ctx: RequestContext, key: string): string {
  const scope = ctx.consumerId !== undefined ? `c:${ctx.consumerId}` : `a:${ctx.clientIp}`;
  return createHash('sha256').update(apiId).update('\0').update(scope).update('\0').update(key).digest('base64url');
}

/** The digest of the request the upstream receives: method, operation path and query, and the validated body bytes. */
function fingerprintOf(ctx: RequestContext): string {
  const hash = createHash('sha256').update(ctx.req.method ?? '').update(' ').update(ctx.upstreamPath ?? '').update('\n');
  if (ctx.body !== undefined) hash.update(ctx.body);
  return hash.digest('base64url');
}

/** Writes a stored response: status, the upstream's headers, the exact body bytes, and Idempotent-Replayed. */
function replay(res: ServerResponse, stored: StoredResponse): void {
  res.statusCode = stored.status;
  for (const [name, value] of stored.headers) res.setHeader(name, value);
  res.setHeader('idempotent-replayed', 'true');
  res.setHeader('content-length', stored.body.length);
  res.end(stored.body);
}

/**
 * A refusal. The draft asks for a link to documentation: the problem's `type`
 * (https://accord.dev/problems/idempotency-key-…) is that link, as for every code.
 */
function refusal(code: 'IDEMPOTENCY_KEY_MISMATCH' | 'IDEMPOTENCY_KEY_IN_FLIGHT' | 'IDEMPOTENCY_KEY_COMPLETED', detail: string): GatewayError {
  return new GatewayError(code, detail);
}

/** Builds the request step of one protected operation. */
export function idempotencyStep(shared: IdempotencyContext, op: OperationIdempotency): RequestStep {
  const { apiId, store, events, logger } = shared;
  const count = (outcome: IdempotencyOutcome): void => events?.onOutcome(apiId, outcome);

  const storeFailed = (operation: 'claim' | 'complete' | 'release', ctx: RequestContext, error: unknown): void => {
    events?.onStoreError(store.kind, operation);
    logger.warn({ requestId: ctx.requestId, api: apiId, store: store.kind, operation, err: { message: (error as Error).message } }, `idempotency store error on ${operation}`);
  };

  /** Once the response is over: store what the client received, or give the key back. */
  const settle = (ctx: RequestContext, key: string, claim: InFlightRecord, capture: ResponseCapture): void => {
    const status = capture.answered;
    let record: IdempotencyRecord | undefined;
    if (status === undefined || status >= 500) {
      // The upstream gave no final answer (5xx, transport failure, timeout, a refusal by the
      // gateway before forwarding): the draft lets the client retry, so the key is free again.
      count('released');
      store.release(key, claim).catch((error: unknown) => storeFailed('release', ctx, error));
      return;
    }
    if (capture.status !== undefined && ctx.res.writableFinished && !capture.overflowed) {
      record = { state: 'completed', fingerprint: claim.fingerprint, response: capture.response() };
      count('stored');
    } else {
      // The upstream answered, so the request took effect, but the client did not receive it whole
      // (too large to keep, cut off, or refused as breaking the contract in enforce mode): a retry
      // must not run it again, and cannot be shown it.
      record = { state: 'unreplayable', fingerprint: claim.fingerprint, status };
      count('unreplayable');
    }
    store.complete(key, claim, record, op.expiryMs).catch((error: unknown) => storeFailed('complete', ctx, error));
  };

  const claimKey = (ctx: RequestContext, idempotencyKey: string): Promise<void> => {
    const key = storeKey(apiId, ctx, idempotencyKey);
    const claim: InFlightRecord = { state: 'in-flight', fingerprint: fingerprintOf(ctx), token: randomUUID() };
    return store.claim(key, claim, op.expiryMs).then(
      (existing) => {
        if (existing === undefined) {
          if (ctx.res.closed) {
            // The client left while the key was being claimed: nothing was forwarded, nothing will be.
            count('released');
            store.release(key, claim).catch((error: unknown) => storeFailed('release', ctx, error));
            throw RESPONSE_SENT;
          }
          const capture = new ResponseCapture(shared.maxResponseBytes);
          ctx.capture = capture;
          ctx.res.once('close', () => settle(ctx, key, claim, capture));
          return;
        }
        if (existing.fingerprint !== claim.fingerprint) {
          count('mismatch');
          throw refusal('IDEMPOTENCY_KEY_MISMATCH', 'this Idempotency-Key was used for a different request (method, path, query or body)');
        }
        if (existing.state === 'in-flight') {
          count('in-flight');
          throw refusal('IDEMPOTENCY_KEY_IN_FLIGHT', 'a request with this Idempotency-Key is still being processed, or its outcome is unknown; retry later');
        }
        if (existing.state === 'unreplayable') {
          count('completed');
          throw refusal('IDEMPOTENCY_KEY_COMPLETED', `a request with this Idempotency-Key completed with status ${existing.status}, but its response was not stored and cannot be replayed`);
        }
        count('replayed');
        replay(ctx.res, existing.response);
        throw RESPONSE_SENT;
      },
      (error: unknown) => {
        storeFailed('claim', ctx, error);
        if (shared.onStoreError === 'refuse') throw new GatewayError('IDEMPOTENCY_STORE_UNAVAILABLE', 'the idempotency key store cannot be reached; retry later', { headers: { 'retry-after': '1' } });
        // onStoreError: pass — forwarded without protection, as the operator chose.
        count('unprotected');
      },
    );
  };

  return (ctx) => {
    const header = ctx.req.headers['idempotency-key'];
    if (header === undefined) {
      if (!op.required) return;
      count('missing');
      throw new GatewayError('IDEMPOTENCY_KEY_MISSING', 'this operation requires an Idempotency-Key header');
    }
    // node:http joins repeated lines with a comma, which no single sf-string holds: two keys are invalid.
    const key = typeof header === 'string' ? parseIdempotencyKey(header, shared.maxKeyLength) : undefined;
    if (key === undefined) {
      count('invalid');
      throw new GatewayError('IDEMPOTENCY_KEY_INVALID', `Idempotency-Key must be one structured-field string of 1 to ${shared.maxKeyLength} printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"`);
    }
    if (ctx.body !== undefined || !hasBody(ctx.req)) return claimKey(ctx, key);
    return readBody(ctx.req, shared.maxBodyBytes, ctx.res).then((body) => {
      ctx.body = body;
      return claimKey(ctx, key);
    });
  };
}
