/**
 * Every resource of the admin listener, one file each. Adding one touches its file and this list;
 * each reads only what it needs from AdminDependencies.
 */
import type { Router } from 'express';
import type { Logger } from '../../observability/logger.js';
import type { UsageRecorder } from '../../usage/usage-recorder.js';
import { usageRoutes } from './usage.js';

/** What the composition root hands the admin routes; a resource that is not available is undefined. */
export interface AdminDependencies {
  readonly logger: Logger;
  /** Usage records (undefined when `usage.enabled` is false). */
  readonly usage: UsageRecorder | undefined;
}

/** One admin resource: mounts its routes (already behind admin authentication). */
export interface AdminRoutes {
  readonly name: string;
  mount(router: Router, deps: AdminDependencies): void;
}

export const ADMIN_ROUTES: readonly AdminRoutes[] = [usageRoutes];
