/** Who is calling the admin API, as the admin listener's authentication established it, and what they may change. */
import type { Response } from 'express';
import { GatewayError } from '../errors/problem.js';
import type { Actor } from '../registry/model.js';

/** An authenticated admin API caller. */
export interface AdminCaller {
  readonly actor: Actor;
  /** The token carries `accord:admin`: every API. */
  readonly isAdmin: boolean;
  /** APIs this caller owns (registers and changes), from `admin.owners`. */
  readonly ownedApis: ReadonlySet<string>;
}

const CALLER = 'accordAdminCaller';

/** Records the caller for the routes (set by the admin listener's authentication). */
export function setCaller(res: Response, caller: AdminCaller): void {
  res.locals[CALLER] = caller;
}

/** The caller of this request; a route mounted without authentication is a programming error. */
export function callerOf(res: Response): AdminCaller {
  const caller = res.locals[CALLER] as AdminCaller | undefined;
  if (!caller) throw new TypeError('admin route reached without an authenticated caller');
  return caller;
}

/** Refuses with 403 API_NOT_OWNED unless the caller may change `api`. */
export function requireOwnership(caller: AdminCaller, api: string): void {
  if (caller.isAdmin || caller.ownedApis.has(api)) return;
  throw new GatewayError('API_NOT_OWNED', `${caller.actor.provider}/${caller.actor.subject} does not own API "${api}" (scope accord:admin, or an admin.owners entry, is needed)`);
}
