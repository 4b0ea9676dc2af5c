/** Per-API ownership (`admin.owners`): which APIs a caller owns, and the config's cross-checks. */
import type { AdminOwner } from './schema.js';

/** Looks up owned APIs by provider and subject; built once per configuration, read per request. */
export class OwnerIndex {
  private readonly byCaller = new Map<string, Set<string>>();

  constructor(owners: readonly AdminOwner[]) {
    for (const owner of owners) {
      for (const subject of owner.subjects) {
        const key = OwnerIndex.key(owner.provider, subject);
        let apis = this.byCaller.get(key);
        if (!apis) this.byCaller.set(key, (apis = new Set()));
        apis.add(owner.api);
      }
    }
  }

  /** The APIs the subject of this provider owns (empty set when none). */
  apisOf(provider: string, subject: string): ReadonlySet<string> {
    return this.byCaller.get(OwnerIndex.key(provider, subject)) ?? NONE;
  }

  // A NUL cannot appear in a provider id or a claim that reached us as JSON text; it keeps keys unambiguous.
  private static key(provider: string, subject: string): string {
    return `${provider}\u0000${subject}`;
  }
}

const NONE: ReadonlySet<string> = new Set();

/** A problem of `admin.owners`, addressed by path segments under the config root. */
export interface OwnerIssue {
  at: Array<string | number>;
  message: string;
}

/** Owners must name a provider the admin listener trusts, else their tokens would never be accepted. */
export function checkOwners(owners: readonly AdminOwner[], adminProviders: readonly string[]): OwnerIssue[] {
  const issues: OwnerIssue[] = [];
  const trusted = new Set(adminProviders);
  owners.forEach((owner, i) => {
    if (!trusted.has(owner.provider)) {
      issues.push({ at: ['admin', 'owners', i, 'provider'], message: `"${owner.provider}" is not in admin.auth.providers (${adminProviders.join(', ') || 'empty'}): its tokens are never accepted by the admin listener` });
    }
  });
  return issues;
}
