/**
 * Every resource of the admin listener, one file each. Adding one touches its file and this list;
 * each reads only what it needs from AdminDependencies.
 */
import type { Router } from 'express';
import type { Logger } from '../../observability/logger.js';
import type { UsageRecorder } from '../../usage/usage-recorder.js';
import { usageRoutes } from './usage.js';
import { keysRoutes } from './keys.js';
import type { ApiKeyStore } from '../../gateway/policies/auth/stores/key-store.js';

/** What the composition root hands the admin routes; a resource that is not available is undefined. */
export interface AdminDependencies {
  readonly logger: Logger;
  /** Usage records (undefined when `usage.enabled` is false). */
  readonly usage: UsageRecorder | undefined;
  /** The API key store and who may hold keys (undefined: `/keys` answers 503). */
  readonly keys?: { readonly store: ApiKeyStore; isDeclaredConsumer(id: string): boolean };
}

/** One admin resource: mounts its routes (already behind admin authentication). */
export interface AdminRoutes {
  readonly name: string;
  mount(router: Router, deps: AdminDependencies): void;
}

export const ADMIN_ROUTES: readonly AdminRoutes[] = [usageRoutes, keysRoutes];
