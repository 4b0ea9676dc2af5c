/**
 * The idempotency policy: Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header) on
 * POST and PATCH operations that enable it in the config (`apis[].idempotency`) or the contract
 * (`x-accord-idempotency`). Keys are claimed before forwarding, scoped per consumer, and the first
 * completed response is replayed to retries. An operation without it gets no step.
 */
import type { Policy } from '../../pipeline/policy.js';
import { createIdempotencyExtensionReader, IDEMPOTENCY_EXTENSION, IDEMPOTENCY_METHODS } from './contract-extension.js';
import { idempotencyStep, type IdempotencyContext } from './handler.js';
import type { IdempotencyConfig, OperationIdempotencyConfig } from './schema.js';
import type { IdempotencyStore } from './stores/idempotency-store.js';

export { idempotencySchema, idempotencyStoresSchema, type IdempotencyConfig, type IdempotencyStoresConfig } from './schema.js';
export type { IdempotencyStore, IdempotencyRecord, StoredResponse } from './stores/idempotency-store.js';
export { memoryIdempotencyStore } from './stores/memory-store.js';
export type { IdempotencyEvents, IdempotencyOutcome } from './handler.js';
export { parseIdempotencyKey } from './key-syntax.js';
export { IDEMPOTENCY_EXTENSION } from './contract-extension.js';

/** The stores of a process: made by the composition root, opened on first use, shared by every routing table. */
export interface IdempotencyStores {
  /** The store of `kind`; throws Error when it cannot be opened (redis without its URL). */
  get(kind: IdempotencyStore['kind']): IdempotencyStore;
}

/** The defaults of apis[].idempotency, for an operation enabled by its contract alone. */
const CONTRACT_ONLY: IdempotencyConfig = {
  enabled: false,
  required: false,
  expirySeconds: 86400,
  store: 'memory',
  maxResponseBytes: 1048576,
  maxKeyLength: 255,
  onStoreError: 'refuse',
};

export const idempotency: Policy = {
  name: 'idempotency',
  create(scope, deps) {
    const { api } = scope;
    const config = api.idempotency ?? CONTRACT_ONLY;
    // Made once per routing table and API: it holds a compiled validator.
    const readExtension = scope.perApi('idempotency', createIdempotencyExtensionReader);
    let shared: IdempotencyContext | undefined;
    const context = (): IdempotencyContext => {
      if (!shared) {
        const stores = deps.idempotencyStores;
        if (!stores) throw new TypeError('the idempotency policy needs the process\'s idempotency stores');
        shared = {
          apiId: api.id,
          store: stores.get(config.store),
          maxResponseBytes: config.maxResponseBytes,
          maxKeyLength: config.maxKeyLength,
          onStoreError: config.onStoreError,
          maxBodyBytes: scope.config.listen.maxBodyBytes,
          logger: deps.logger,
          events: deps.idempotencyEvents,
        };
      }
      return shared;
    };
    return {
      operation(op) {
        // Read (and checked) on every operation, so that a bad extension fails the load wherever it is.
        const contract = readExtension(op.extensions.get(IDEMPOTENCY_EXTENSION), op.method);
        if (!IDEMPOTENCY_METHODS.has(op.method)) return undefined;
        const configured: OperationIdempotencyConfig | undefined = op.operationId !== undefined ? config.operations?.[op.operationId] : undefined;
        // Most specific wins: the operator's per-operation config, then the contract, then the API.
        const enabled = configured?.enabled ?? contract?.enabled ?? (contract !== undefined || config.enabled);
        if (!enabled) return undefined;
        // A configuration check names the policy but opens no store.
        if (deps.dryRun) return {};
        const required = configured?.required ?? contract?.required ?? config.required;
        const expirySeconds = configured?.expirySeconds ?? contract?.expirySeconds ?? config.expirySeconds;
        return { request: idempotencyStep(context(), { required, expiryMs: expirySeconds * 1000 }) };
      },
    };
  },
};
