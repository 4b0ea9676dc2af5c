/**
 * The contract every data-plane policy keeps: a factory that compiles its configuration once per
 * served API version and hands back, for each operation, the steps it adds (or none).
 */
import type { CompiledOperation } from '../../contracts/compile/index.js';
import type { ApiConfig, GatewayConfig } from '../../config/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { JwtAuthenticator } from '../policies/jwt-auth/index.js';
import type { LimiterStore } from '../policies/rate-limit/stores/limiter-store.js';
import type { ConsumerIndex } from '../policies/consumers/consumer-index.js';
import type { ApiKeyVerifier } from '../policies/auth/api-key-verifier.js';
import type { ClientCertificates } from '../policies/mtls/client-certificates.js';
import type { RequestContext } from './request-context.js';
import type { ServedLifecycle } from './served-contracts.js';
import type { IdempotencyEvents, IdempotencyStores } from '../policies/idempotency/index.js';
import type { RequestViolationKind } from '../../observability/violation-kinds.js';

/**
 * One step of a request. It returns nothing when it decided without I/O, and a promise only when
 * it had to wait; it refuses by throwing (or rejecting with) a GatewayError. Steps share state only
 * through the request context.
 */
export type RequestStep = (ctx: RequestContext) => Promise<void> | void;

/** What a step throws once it answered the request itself (a replayed response): the chain stops, nothing more is written. */
class ResponseSent {
  readonly name = 'ResponseSent';
}

/** The one ResponseSent value (made once: throwing it costs no stack trace). */
export const RESPONSE_SENT: unknown = new ResponseSent();

/**
 * A step on the response, run just before the response head is written (in reverse policy
 * order, as Envoy unwinds its filters). It may set or remove response headers; it never waits.
 */
export type ResponseStep = (ctx: RequestContext, status: number) => void;

/** What a policy adds to one operation. Both are optional; a policy with neither returns undefined instead. */
export interface OperationSteps {
  readonly request?: RequestStep;
  readonly response?: ResponseStep;
}

/** The served API version a policy is compiled for. */
export interface PolicyScope {
  readonly api: ApiConfig;
  /** The contract version serving this major. */
  readonly version: string;
  readonly major: number;
  /** The contract file (or registered document's name), for errors that name it. */
  readonly file: string;
  /** The version's lifecycle, when it is served from the registry. */
  readonly lifecycle?: ServedLifecycle;
  readonly config: GatewayConfig;
  /** The declared consumers, indexed once per routing table. */
  readonly consumers: ConsumerIndex;
  /**
   * State shared by every served version of the same API within one routing table (a limiter
   * counts v1 and v2 calls together): made by `make` on first use, then returned for `key`.
   */
  perApi<T>(key: string, make: () => T): T;
}

/** Dependencies the composition root creates once and every policy may read. */
export interface PolicyDependencies {
  readonly logger: Logger;
  readonly authenticator: JwtAuthenticator | undefined;
  /** Build only to check the configuration (`accord config validate`): never served. */
  readonly dryRun: boolean;
  /** Where limit counters live; this process's memory when not given. */
  readonly limiterStore?: LimiterStore;
  /** The wall clock of calendar quotas (ms since the epoch); Date.now when not given. Tests inject one. */
  readonly now?: () => number;
  /** Counts a request refused by a limit (`policy`: rate, burst or quota) of an API. */
  readonly onLimitRejected?: (apiId: string, policy: 'rate' | 'burst' | 'quota') => void;
  /** Verifies issued API keys (and basic credentials); required once an operation takes them. */
  readonly apiKeys?: ApiKeyVerifier;
  /** Counts a refused API key or basic credential, by reason (a metric). */
  readonly onKeyFailure?: (reason: string) => void;
  /** Counts a request refused by request validation, by kind (a metric). */
  readonly onRequestInvalid?: (ctx: RequestContext, kind: RequestViolationKind) => void;
  /** Counts a call to a deprecated version, by consumer (a metric). */
  readonly onDeprecatedCall?: (apiId: string, version: string, consumer: string) => void;
  /** The client-certificate verifier, when `listen.tls` is configured. */
  readonly clientCertificates?: ClientCertificates;
  /** Where Idempotency-Key records live; required once an operation takes keys. */
  readonly idempotencyStores?: IdempotencyStores;
  /** Counts what the idempotency policy did, and its store errors (metrics). */
  readonly idempotencyEvents?: IdempotencyEvents;
}

/** A policy compiled for one served API version. */
export interface ApiPolicy {
  /** The steps for one operation, or undefined when the policy has nothing to do for it. */
  operation(op: CompiledOperation): OperationSteps | undefined;
  /** Releases what the policy holds (timers, connections); called when its routing table retires. */
  close?(): void;
}

/** A policy: its name (config key, log and metric label) and its factory. */
export interface Policy {
  readonly name: string;
  /**
   * Compiles the policy for one served API version, or returns undefined when it is not
   * configured there (it then costs nothing). Throws ContractError/TypeError on unusable input.
   */
  create(scope: PolicyScope, deps: PolicyDependencies): ApiPolicy | undefined;
}
