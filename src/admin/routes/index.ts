/**
 * Every resource of the admin listener, one file each. Adding one touches its file, this list and
 * the admin OpenAPI document (admin-openapi.ts; a test keeps the two in step); each reads only
 * what it needs from AdminDependencies.
 */
import type { Router } from 'express';
import type { AdminCaller } from '../caller.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { UsageRecorder } from '../../usage/usage-recorder.js';
import type { RegistryService } from '../../registry/registry-service.js';
import { usageRoutes } from './usage.js';
import { keysRoutes } from './keys.js';
import { registryRoutes } from './contracts.js';
import { metricsRoutes } from './metrics.js';
import { impactRoutes } from './impact.js';
import { logLevelRoutes } from './log-level.js';
import { driftRoutes } from './drift.js';
import type { LogLevelControl } from '../../observability/log-level-control.js';
import type { DriftRecorder } from '../../observability/drift-recorder.js';
import type { ConsumerContact } from '../../impact/impact-report.js';
import type { ApiKeyStore } from '../../gateway/policies/auth/stores/key-store.js';

/** What the composition root hands the admin routes; a resource that is not available is undefined. */
export interface AdminDependencies {
  readonly logger: Logger;
  /** Usage records (undefined when `usage.enabled` is false). */
  readonly usage: UsageRecorder | undefined;
  /** The API key store and who may hold keys (undefined: `/keys` answers 503). */
  readonly keys?: { readonly store: ApiKeyStore; isDeclaredConsumer(id: string): boolean };
  /** The contract registry (undefined: the `/admin/...` registry routes answer 503). */
  readonly registry?: RegistryService | undefined;
  /** Largest contract document a registration may send (`admin.maxDocumentBytes`; read per request, it follows reloads). */
  readonly maxDocumentBytes?: () => number;
  /** The declared consumers and their contacts (read per request, it follows reloads); impact reports name them. */
  readonly consumers?: () => readonly ConsumerContact[];
  /** The wall clock of usage windows (ms since the epoch; default Date.now). Tests inject one. */
  readonly now?: () => number;
  /** The process's Prometheus metrics (undefined: `/metrics` answers 503). */
  readonly metrics?: GatewayMetrics | undefined;
  /** The process's log level (undefined: `/admin/log-level` answers 503). */
  readonly logLevel?: LogLevelControl | undefined;
  /** Response-validation violations over time (undefined: `/admin/drift` answers 503). */
  readonly drift?: DriftRecorder | undefined;
}

/** One admin resource: mounts its routes (already behind admin authentication). */
export interface AdminRoutes {
  readonly name: string;
  /** The path the resource serves, and everything under it (`/usage`, `/admin`). */
  readonly base: string;
  /**
   * Who may call it: `admin` needs the admin scope; `owner` also admits tokens that own an API
   * (admin.owners), the resource checking ownership of what is changed (requireOwnership).
   */
  readonly access: 'admin' | 'owner';
  /**
   * A check of the caller against the request, run after authentication and before the body is
   * read or validated (so a caller refused anyway never uploads a large body). Throws to refuse.
   */
  authorize?(caller: AdminCaller, method: string, path: string): void;
  mount(router: Router, deps: AdminDependencies): void;
}

// impact shares the registry's `/admin` base after it: the registry's access rules apply to both (and without a registry its 503 answers).
// log-level and drift come before the registry: their own bases (and access rules) match first, and they answer without a registry.
export const ADMIN_ROUTES: readonly AdminRoutes[] = [usageRoutes, keysRoutes, logLevelRoutes, driftRoutes, registryRoutes, impactRoutes, metricsRoutes];
