/**
 * The response fields that announce a deprecated version: `Deprecation` (RFC 9745, a structured
 * field Date: `@` and seconds since the epoch), `Sunset` (RFC 8594, an HTTP-date) and
 * `Link: <…>; rel="successor-version"` (RFC 5829).
 */
import type { ServedLifecycle } from '../../pipeline/served-contracts.js';

/** The field values of one deprecated version, built once per routing table. */
export interface DeprecationFields {
  readonly deprecation: string;
  readonly sunset?: string;
  readonly link?: string;
}

/** RFC 9745's Deprecation value for an instant. */
export function deprecationValue(instant: string): string {
  return `@${Math.floor(Date.parse(instant) / 1000)}`;
}

/** RFC 8594's Sunset value (an IMF-fixdate) for an instant. */
export function sunsetValue(instant: string): string {
  return new Date(instant).toUTCString();
}

/** The Link value naming the successor version. */
export function successorLink(successor: NonNullable<ServedLifecycle['successor']>): string {
  return `<${successor.path}>; rel="successor-version"`;
}

/** The fields a deprecated version answers with. */
export function deprecationFields(lifecycle: ServedLifecycle, now: () => number): DeprecationFields {
  // A record deprecated before `deprecatedAt` was kept would still be deprecated: from now on.
  const deprecation = deprecationValue(lifecycle.deprecatedAt ?? new Date(now()).toISOString());
  return {
    deprecation,
    ...(lifecycle.sunset !== undefined ? { sunset: sunsetValue(lifecycle.sunset) } : {}),
    ...(lifecycle.successor !== undefined ? { link: successorLink(lifecycle.successor) } : {}),
  };
}
